"""A stand-in OLS4 on a loopback port, for the tests of validation.ols.

It answers the two requests validation.ols makes, in the shapes EBISPOT/ols4's V1
controllers give them (Spring HATEOAS pages: ``_embedded.terms``, ``_links``, ``page``,
no ``_embedded`` when a page is empty; terms as V1Term serialises them, cf. the
testcases_expected_output_api in that repository). The terms are real ones, trimmed of the
annotations nobody reads here. It can also fail: answer 500 from the n-th request on, or
answer late. Every request it gets is recorded.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

OBO = "http://purl.obolibrary.org/obo/"


def _term(
    ontology: str,
    short_form: str,
    label: str,
    *,
    synonyms: tuple[str, ...] = (),
    description: str = "",
    obsolete: bool = False,
    defining: bool = True,
) -> dict:
    """A term as OLS4's V1 API serialises it (a V1Term; null fields left out)."""
    iri = OBO + short_form
    prefix, local = short_form.split("_", 1)
    path = f"/api/ontologies/{ontology}/terms/{quote(quote(iri, safe=''), safe='')}"
    relations = ["parents", "ancestors", "hierarchicalParents", "hierarchicalAncestors",
                 "jstree", "children", "descendants", "hierarchicalChildren",
                 "hierarchicalDescendants", "graph"]  # fmt: skip
    return {
        "iri": iri,
        "lang": "en",
        "description": [description] if description else [],
        "synonyms": list(synonyms),
        "annotation": {"id": [f"{prefix}:{local}"]},
        "label": label,
        "ontology_name": ontology,
        "ontology_prefix": ontology.upper(),
        "ontology_iri": f"{OBO}{ontology}.owl",
        "is_obsolete": obsolete,
        "is_defining_ontology": defining,
        "has_children": False,
        "is_root": False,
        "short_form": short_form,
        "obo_id": f"{prefix}:{local}",
        "obo_definition_citation": [],
        "obo_xref": [],
        "obo_synonym": [
            {"name": name, "scope": "hasExactSynonym", "type": None, "xrefs": []}
            for name in synonyms
        ],
        "is_preferred_root": False,
        "_links": {"self": {"href": f"{path}?lang=en"}}
        | {name: {"href": f"{path}/{name}"} for name in relations},
    }


# ontology → (term, its hierarchical ancestors as OLS lists them, nearest first)
_LBO_BREED = _term("lbo", "LBO_0000000", "breed")
_PIG_BREED = _term("lbo", "LBO_0000003", "pig breed")
_UBERON_ABOVE_LIVER = [
    _term("uberon", "UBERON_0002423", "hepatobiliary system"),  # liver is part of it
    _term("uberon", "UBERON_0000062", "organ"),
    _term("uberon", "UBERON_0000061", "anatomical structure"),
    _term("uberon", "UBERON_0000465", "material anatomical entity"),
    _term("uberon", "UBERON_0001062", "anatomical entity"),
    _term("uberon", "BFO_0000040", "material entity", defining=False),
    _term("uberon", "BFO_0000004", "independent continuant", defining=False),
    _term("uberon", "BFO_0000002", "continuant", defining=False),
    _term("uberon", "BFO_0000001", "entity", defining=False),
]

TERMS: dict[str, tuple[dict, list[dict]]] = {
    "LBO_0000358": (
        _term("lbo", "LBO_0000358", "Duroc", description="A pig breed from the United States."),
        [_PIG_BREED, _LBO_BREED],
    ),
    "UBERON_0002107": (
        _term(
            "uberon",
            "UBERON_0002107",
            "liver",
            synonyms=("iecur", "jecur"),
            description="An exocrine gland which secretes bile and functions in metabolism.",
        ),
        _UBERON_ABOVE_LIVER,
    ),
    "UBERON_0001968": (
        _term("uberon", "UBERON_0001968", "semen", synonyms=("seminal fluid",)),
        [_term("uberon", "UBERON_0000463", "organism substance"), *_UBERON_ABOVE_LIVER[3:]],
    ),
}


# The IRI in it is URL-encoded twice: OLS's Tomcat decodes it once, its controller again.
_ANCESTORS_PATH = re.compile(
    r"/api/ontologies/(?P<onto>[^/]+)/terms/(?P<iri>[^/]+)/hierarchicalAncestors"
)


def _page(url: str, terms: list[dict], size: int) -> dict:
    """A page as Spring's PagedResourcesAssembler writes it (one page: all fit here)."""
    answer: dict = {}
    if terms:
        answer["_embedded"] = {"terms": terms[:size]}
    answer["_links"] = {"self": {"href": url}}
    answer["page"] = {
        "size": size,
        "totalElements": len(terms),
        "totalPages": -(-len(terms) // size),
        "number": 0,
    }
    return answer


class OlsStandIn:
    """The stand-in server: ``url`` is what OLS_URL would be, ``requests`` the paths and
    queries it was asked; set ``fail_from`` (answer 500 from that request on, counting
    from 1) or ``delay`` (seconds before any answer)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.fail_from: int | None = None
        self.delay = 0.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True  # a late answer must not hold up the shutdown
        self.url = f"http://127.0.0.1:{self._server.server_port}/ols4"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )  # a short poll: shutdown() waits for it

    def __enter__(self) -> OlsStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, target: str) -> tuple[int, dict]:
        """The status and JSON body OLS4 gives to a GET of ``target``."""
        if self.fail_from is not None and len(self.requests) >= self.fail_from:
            return 500, {"error": "Internal Server Error", "status": 500}
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        size = int(query.get("size", ["20"])[0])
        path = parts.path.removeprefix("/ols4")
        url = f"{self.url}{path}?{parts.query}"
        if path == "/api/terms/findByIdAndIsDefiningOntology":
            short_form = query.get("short_form", [""])[0]
            found = TERMS.get(short_form)
            return 200, _page(url, [found[0]] if found else [], size)
        ancestors = _ANCESTORS_PATH.fullmatch(path)
        if ancestors is not None:
            onto, iri = ancestors["onto"], unquote(unquote(ancestors["iri"]))
            for term, above in TERMS.values():
                if term["iri"] == iri and term["ontology_name"] == onto:
                    return 200, _page(url, above, size)
            return 200, _page(url, [], size)  # what its graph query gives for no such term
        return 404, {"error": "Not Found", "status": 404, "path": path}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                standin.requests.append(self.path)
                if standin.delay:
                    time.sleep(standin.delay)
                status, body = standin._answer(self.path)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting (the timeout test)
                    pass

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # quiet: the requests are recorded in standin.requests

        return Handler
