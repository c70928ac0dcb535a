"""The emulator's HTTP server: BioSamples below /biosamples, Webin below /ena/submit/webin/auth."""

from __future__ import annotations

import contextlib
import hmac
import http
import json
import logging
import re
import secrets
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from biosample.emulator import checks, faults, hal, webin
from biosample.emulator.checks import Refusal
from biosample.emulator.store import SampleStore

logger = logging.getLogger("biosample.emulator")

BIOSAMPLES_PATH = "/biosamples"
WEBIN_AUTH_PATH = "/ena/submit/webin/auth"
CONTROL_PATH = "/_emulator"
HAL_JSON = "application/hal+json"
JSON = "application/json"


class Emulator:
    """A BioSamples and Webin stand-in serving on a socket, controllable from Python.

    ``storage`` is the SQLite file of its archive (``":memory:"`` for a throwaway one);
    ``accounts`` maps Webin usernames to passwords; ``port=0`` takes a free port.
    ``unauthenticated_post_status`` is what a POST without a valid token gets: 403
    "Access Denied" (Spring Security's answer, read from the server's source) or 401.
    ``search_delay`` keeps a new or changed sample out of searches for that many
    seconds, as the real archive's indexing does. ``faults`` is a
    :class:`~biosample.emulator.faults.Faults`.
    """

    def __init__(
        self,
        *,
        storage: Path | str = ":memory:",
        host: str = "127.0.0.1",
        port: int = 0,
        accounts: Mapping[str, str] | None = None,
        token_lifetime: float = 3 * 3600,
        unauthenticated_post_status: int = 403,
        taxonomy: Mapping[int, str] | None = None,
        checklists: tuple[str, ...] = (checks.DEFAULT_CHECKLIST,),
        search_delay: float = 0.0,
        first_accession: int = 1,
        control_secret: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if unauthenticated_post_status not in (401, 403):
            raise ValueError("unauthenticated_post_status is 401 or 403")
        self.host = host
        self.port = port
        self.accounts = dict(accounts or {})
        self.token_lifetime = token_lifetime
        self.unauthenticated_post_status = unauthenticated_post_status
        self.taxonomy = dict(checks.TAXONOMY if taxonomy is None else taxonomy)
        self.checklists = set(checklists)
        self.search_delay = search_delay
        self.control_secret = control_secret or secrets.token_urlsafe(24)
        self.faults = faults.Faults()
        self.store = SampleStore(storage, first_accession=first_accession)
        self.requests: deque[tuple[str, str, int | str]] = deque(maxlen=100_000)
        self.connections_accepted = 0
        self._clock = clock
        self._clock_offset = 0.0
        self._token_secret = secrets.token_bytes(32)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- the Python API ----------------------------------------------------------------

    def now(self) -> float:
        """The emulator's time (its clock plus what clock_advance added)."""
        return self._clock() + self._clock_offset

    def clock_advance(self, seconds: float) -> None:
        """Move the emulator's time on: tokens expire and release dates pass sooner."""
        self._clock_offset += seconds

    def account_add(self, username: str, password: str) -> None:
        """Add (or change) a Webin account."""
        self.accounts[username] = password

    def taxon_add(self, tax_id: int, scientific_name: str) -> None:
        """Teach the emulator's taxonomy one more taxon."""
        self.taxonomy[tax_id] = scientific_name

    def token_issue(self, principle: str, *, lifetime: float | None = None) -> str:
        """A Webin token for ``principle``, as the token endpoint would give (tests use a
        negative ``lifetime`` for an expired one)."""
        lifetime = self.token_lifetime if lifetime is None else lifetime
        return webin.token_issue(
            principle=principle, lifetime=lifetime, secret=self._token_secret, now=self.now()
        )

    @property
    def url(self) -> str:
        """The root of the emulator, ``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def biosamples_url(self) -> str:
        """What BIOSAMPLES_URL is when it points here."""
        return self.url + BIOSAMPLES_PATH

    @property
    def webin_auth_url(self) -> str:
        """What WEBIN_AUTH_URL is when it points here (the token is ``…/token``)."""
        return self.url + WEBIN_AUTH_PATH

    @property
    def control_url(self) -> str:
        """The root of the control endpoint (the secret is part of the path)."""
        return f"{self.url}{CONTROL_PATH}/{self.control_secret}"

    def request_counts(self) -> Counter[tuple[str, str, int | str]]:
        """How many requests the emulator saw, by (method, path, status or fault)."""
        return Counter(self.requests)

    def start(self) -> Emulator:
        """Listen and serve from a background thread; return self."""
        self._server = _Server((self.host, self.port), _Handler)
        self._server.emulator = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"biosamples-emulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Listen and serve in this thread until interrupted."""
        self._server = _Server((self.host, self.port), _Handler)
        self._server.emulator = self
        self.port = self._server.server_address[1]
        try:
            self._server.serve_forever(poll_interval=0.5)
        finally:
            self._server.server_close()
            self.store.close()

    def stop(self) -> None:
        """Stop serving, close every open connection and the archive."""
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.store.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    emulator: Emulator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
            self.emulator.connections_accepted += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End kept-alive connections, so no pooled client connection outlives a stop."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Dropped(Exception):  # noqa: N818 (a way out of a handler, not an error)
    """Close the connection without an answer."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients pool their connections
    server_version = "BioSamplesEmulator"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 60  # an idle kept-alive connection is closed after a minute
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        # Request lines only: headers, and so tokens, are never logged.
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:  # noqa: N802 (http.server's names)
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._handle("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle("PATCH")

    # --- plumbing ------------------------------------------------------------------------

    @property
    def emulator(self) -> Emulator:
        return self.server.emulator

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        body = self._body()
        if path.startswith(CONTROL_PATH + "/"):
            self._control(method, path, body)
            return
        fault = self.emulator.faults.decide(method, path)
        delay = self.emulator.faults.delay + fault.seconds
        if delay:
            time.sleep(delay)
        if fault.kind == faults.DROP:
            self._drop(method, path, fault.kind)
            return
        if fault.kind == faults.ERROR:
            self._refuse(Refusal(fault.status, "Injected by the BioSamples emulator"), method)
            return
        if fault.kind == faults.THROTTLE:
            seconds = fault.retry_after
            retry_after = str(int(seconds)) if seconds == int(seconds) else str(seconds)
            self._refuse(Refusal(429, "Too many requests"), method, {"Retry-After": retry_after})
            return
        try:
            status, payload, content_type, headers = self._dispatch(method, path, query, body)
        except Refusal as refusal:
            if fault.kind == faults.DROP_AFTER_WRITE:
                self._drop(method, path, fault.kind)
            else:
                self._refuse(refusal, method)
            return
        if fault.kind == faults.DROP_AFTER_WRITE:
            self._drop(method, path, fault.kind)
            return
        self._answer(method, status, payload, content_type, headers)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _drop(self, method: str, path: str, kind: str) -> None:
        self.emulator.requests.append((method, path, kind))
        self.close_connection = True

    def _answer(
        self,
        method: str,
        status: int,
        payload: bytes,
        content_type: str | None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.emulator.requests.append((method, urlsplit(self.path).path, status))
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def _refuse(
        self, refusal: Refusal, method: str, headers: Mapping[str, str] | None = None
    ) -> None:
        if refusal.body is not None:
            self._answer(method, refusal.status, refusal.body, JSON, headers)
        elif refusal.message is None:  # the server's empty 404
            self._answer(method, refusal.status, b"", None, headers)
        else:
            self._answer(method, refusal.status, self._spring_error(refusal), JSON, headers)

    def _spring_error(self, refusal: Refusal) -> bytes:
        """Spring Boot's error body (the server runs with include-message=always)."""
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+00:00"
        return _json(
            {
                "timestamp": stamp,
                "status": refusal.status,
                "error": http.HTTPStatus(refusal.status).phrase,
                "message": refusal.message,
                "path": urlsplit(self.path).path,
            }
        )

    def _base(self) -> str:
        return f"http://{self.headers.get('Host') or f'{self.emulator.host}:{self.emulator.port}'}"

    def _principle(self) -> str | None:
        token = webin.bearer_token(self.headers.get("Authorization"))
        return webin.token_principle(token, now=self.emulator.now()) if token else None

    def _dispatch(
        self, method: str, path: str, query: dict[str, list[str]], body: bytes
    ) -> tuple[int, bytes, str | None, dict[str, str]]:
        samples = BIOSAMPLES_PATH + "/samples"
        routes: dict[tuple[str, str], Callable[..., tuple[int, bytes, str | None, dict]]] = {
            ("POST", WEBIN_AUTH_PATH + "/token"): lambda: self._token(body),
            ("GET", BIOSAMPLES_PATH): self._root,
            ("GET", BIOSAMPLES_PATH + "/"): self._root,
            ("GET", samples): lambda: self._search(query),
            ("POST", samples): lambda: self._create(body),
            ("POST", samples + "/validate"): lambda: self._validate(body),
            ("GET", BIOSAMPLES_PATH + "/accessions"): lambda: self._accessions(query),
        }
        route = routes.get((method, path))
        if route is not None:
            return route()
        prefix = samples + "/"
        accession = path[len(prefix) :] if path.startswith(prefix) else ""
        if accession and "/" not in accession and accession != "validate":
            if method == "GET":
                return self._fetch(accession)
            if method == "PUT":
                return self._update(accession, body)
            raise Refusal(405, f"Request method '{method}' is not supported")
        if any(path == known for _, known in routes):
            raise Refusal(405, f"Request method '{method}' is not supported")
        raise Refusal(404, "No message available")

    # --- Webin -----------------------------------------------------------------------------

    def _token(self, body: bytes) -> tuple[int, bytes, str, dict[str, str]]:
        try:
            request = json.loads(body or b"null")
        except ValueError:
            raise Refusal(400, "JSON parse error") from None
        if not isinstance(request, dict):
            raise Refusal(400, "JSON parse error")
        username, password = request.get("username"), request.get("password")
        known = self.emulator.accounts.get(str(username))
        if (
            known is None
            or not isinstance(password, str)
            or not hmac.compare_digest(known.encode(), password.encode())
        ):
            raise Refusal(401, "Invalid username or password")
        token = self.emulator.token_issue(str(username))
        return 200, token.encode(), "text/plain;charset=UTF-8", {}

    # --- BioSamples ------------------------------------------------------------------------

    def _root(self) -> tuple[int, bytes, str, dict[str, str]]:
        base = self._base() + BIOSAMPLES_PATH
        links = {"samples": f"{base}/samples", "curations": f"{base}/curations"}
        return 200, _json(hal.collection("", [], links)), HAL_JSON, {}

    def _render(self, document: dict[str, Any]) -> dict[str, Any]:
        return hal.sample_render(
            document,
            incoming=self.emulator.store.incoming(document["accession"]),
            base=self._base(),
            now=self.emulator.now(),
        )

    def _check(self, sample: dict[str, Any]) -> None:
        """Checks 4 to 6 of a POST, which a PUT repeats: checklist, taxonomy, the rest."""
        errors = checks.checklist_errors(sample, known=self.emulator.checklists)
        if errors:
            raise Refusal(400, body=_json(errors))
        sample["taxId"] = checks.taxon_resolve(sample, taxonomy=self.emulator.taxonomy)
        missing = checks.mandatory_errors(sample)
        if missing:
            raise Refusal(400, "|".join(missing))

    def _create(self, body: bytes) -> tuple[int, bytes, str, dict[str, str]]:
        principle = self._principle()  # Spring Security refuses before the body is read
        if principle is None:
            status = self.emulator.unauthenticated_post_status
            raise Refusal(status, checks.ACCESS_DENIED if status == 403 else checks.UNAUTHORIZED)
        sample = checks.sample_parse(body)
        if checks.has_accession(sample):
            raise Refusal(400, checks.NEW_SAMPLE_WITH_ACCESSION)
        self._check(sample)
        now = self.emulator.now()
        document = {
            **sample,
            "webinSubmissionAccountId": principle,
            "create": now,
            "update": now,
            "submitted": now,
            "submittedVia": "JSON_API",
        }
        stored = self.emulator.store.sample_insert(
            document, owner=principle, searchable_from=now + self.emulator.search_delay
        )
        answer = self._render(stored)
        location = answer["_links"]["self"]["href"]
        return 201, _json(answer), HAL_JSON, {"Location": location}

    def _update(self, accession: str, body: bytes) -> tuple[int, bytes, str, dict[str, str]]:
        sample = checks.sample_parse(body)  # Spring reads the body before the method runs
        principle = self._principle()
        if principle is None:
            raise Refusal(401, checks.UNAUTHORIZED_SUBMITTER)
        if sample.get("accession") != accession:
            raise Refusal(400, checks.ACCESSION_MISMATCH)
        stored = self.emulator.store.sample_get(accession)
        if stored is None:
            raise Refusal(400, checks.ACCESSION_UNKNOWN)
        if principle.lower() != stored.owner.lower():
            raise Refusal(403, checks.NOT_ORIGINAL_SUBMITTER)
        self._check(sample)
        old = stored.document
        sra = old.get("sraAccession")
        given = sample.get("sraAccession") or next(
            (
                values[0].get("text")
                for name, values in sample["characteristics"].items()
                if name == checks.SRA_ACCESSION and values
            ),
            None,
        )
        if given and sra and given != sra:
            raise Refusal(400, checks.SRA_ACCESSION_CHANGED)
        characteristics = dict(sample["characteristics"])
        if sra:
            characteristics[checks.SRA_ACCESSION] = [{"text": sra}]
        relationships = sorted(
            {(r["source"] or accession, r["type"], r["target"]) for r in sample["relationships"]}
        )
        now = self.emulator.now()
        document = {
            **sample,
            "accession": accession,
            "sraAccession": sra,
            "webinSubmissionAccountId": stored.owner,
            "characteristics": dict(sorted(characteristics.items())),
            "relationships": [{"source": s, "type": k, "target": t} for s, k, t in relationships],
            "create": old["create"],
            "submitted": old["submitted"],
            "update": now,
            "submittedVia": "JSON_API",
        }
        self.emulator.store.sample_replace(
            stored.number,
            document,
            owner=stored.owner,
            searchable_from=now + self.emulator.search_delay,
        )
        return 200, _json(self._render(document)), HAL_JSON, {}

    def _fetch(self, accession: str) -> tuple[int, bytes, str, dict[str, str]]:
        stored = self.emulator.store.sample_get(accession)
        if stored is None:
            raise Refusal(404)
        if stored.release >= self.emulator.now() and self._principle() != stored.owner:
            raise Refusal(403, checks.SAMPLE_PRIVATE)
        return 200, _json(self._render(stored.document)), HAL_JSON, {}

    def _validate(self, body: bytes) -> tuple[int, bytes, str, dict[str, str]]:
        sample = checks.sample_parse(body)
        errors = checks.checklist_errors(sample, known=self.emulator.checklists)
        if errors:
            raise Refusal(400, body=_json(errors))
        echo = {key: value for key, value in sample.items() if value not in (None, [], {})}
        if "release" in echo:
            echo["release"] = checks.instant_format(echo["release"])
        return 200, _json(echo), JSON, {}

    def _search(self, query: dict[str, list[str]]) -> tuple[int, bytes, str, dict[str, str]]:
        text = _last(query, "text")
        filter_texts = query.get("filter", [])
        filters = [hal.filter_parse(item) for item in sorted(set(filter_texts)) if item]
        cursor = _last(query, "cursor")
        page = _integer(query, "page")
        size = _integer(query, "size")
        effective_page = 0 if page is None or page < 0 else page
        effective_size = 20 if size is None or size < 1 else size
        if effective_page > 500 or effective_size > 200:
            raise Refusal(400, checks.PAGINATION_LIMITS)
        if cursor is None and page is None:  # cursor paging is the default
            cursor = "*"
        base = self._base()
        path = BIOSAMPLES_PATH + "/samples"
        selection = [("text", text)] if text and text.strip() else []
        selection += [("filter", item) for item in filter_texts]
        viewer, now = self._principle(), self.emulator.now()
        if cursor is not None:
            after = hal.cursor_decode(cursor)
            found, _ = self.emulator.store.search(
                viewer=viewer, now=now, filters=filters, text=text, after=after,
                limit=effective_size,
            )  # fmt: skip

            def cursor_link(mark: str) -> str:
                parameters = [*selection, ("applyCurations", "true"), ("cursor", mark)]
                return hal.href(base, path, [*parameters, ("size", effective_size)])

            links = {"self": cursor_link(cursor)}
            # Solr hands out a new cursor mark whenever a page had results: the last page
            # still links to a next one, which comes back empty and without a next link.
            if found:
                links["next"] = cursor_link(hal.cursor_encode(found[-1].number))
            if cursor == "*":
                links["cursor"] = cursor_link("*")
            links["sample"] = f"{base}{path}/{{accession}}"
            items = [self._render(stored.document) for stored in found]
            return 200, _json(hal.collection("samples", items, links)), HAL_JSON, {}
        found, total = self.emulator.store.search(
            viewer=viewer, now=now, filters=filters, text=text,
            offset=effective_page * effective_size, limit=effective_size, count=True,
        )  # fmt: skip
        metadata = hal.page_metadata(size=effective_size, number=effective_page, total=total or 0)
        links = hal.page_links(
            base=base, path=path, query=selection, page=effective_page, size=effective_size,
            total_pages=metadata["totalPages"],
        )  # fmt: skip
        if effective_page == 0:
            links["cursor"] = hal.href(
                base, path,
                [*selection, ("applyCurations", "true"), ("cursor", "*"), ("size", effective_size)],
            )  # fmt: skip
        links["sample"] = f"{base}{path}/{{accession}}"
        items = [self._render(stored.document) for stored in found]
        return 200, _json(hal.collection("samples", items, links, metadata)), HAL_JSON, {}

    def _accessions(self, query: dict[str, list[str]]) -> tuple[int, bytes, str, dict[str, str]]:
        text = _last(query, "text")
        filter_texts = query.get("filter", [])
        filters = [hal.filter_parse(item) for item in sorted(set(filter_texts)) if item]
        page = _integer(query, "page")
        size = _integer(query, "size")
        page = 0 if page is None else page
        size = 100 if size is None else size
        if page < 0 or size < 1:
            raise Refusal(400, "Page index must not be less than zero and size at least one")
        found, total = self.emulator.store.search(
            viewer=self._principle(), now=self.emulator.now(), filters=filters, text=text,
            offset=page * size, limit=size, count=True,
        )  # fmt: skip
        metadata = hal.page_metadata(size=size, number=page, total=total or 0)
        selection = [("text", text)] if text else []
        selection += [("filter", item) for item in filter_texts]
        links = hal.page_links(
            base=self._base(), path=BIOSAMPLES_PATH + "/accessions", query=selection,
            page=page, size=size, total_pages=metadata["totalPages"],
        )  # fmt: skip
        accessions = [stored.accession for stored in found]
        answer = hal.collection("accessions", accessions, links, metadata)
        return 200, _json(answer), HAL_JSON, {}

    # --- control -----------------------------------------------------------------------------

    def _control(self, method: str, path: str, body: bytes) -> None:
        """The control endpoint: ``/_emulator/<secret>/<what>``; a wrong secret is a 404."""
        secret, _, what = path[len(CONTROL_PATH) + 1 :].partition("/")
        if not hmac.compare_digest(secret.encode(), self.emulator.control_secret.encode()):
            self._refuse(Refusal(404, "No message available"), method)
            return
        try:
            request = json.loads(body or b"{}")
            answer = _control_apply(self.emulator, method, what, request)
        except (ValueError, TypeError) as error:
            self._refuse(Refusal(400, str(error)), method)
            return
        if answer is None:
            self._refuse(Refusal(404, "No message available"), method)
            return
        self._answer(method, 200, _json(answer), JSON)


def _control_apply(
    emulator: Emulator, method: str, what: str, request: dict[str, Any]
) -> dict[str, Any] | None:
    """What the control endpoint does; None for an unknown action."""
    if what == "faults" and method == "GET":
        return emulator.faults.settings()
    if what == "faults" and method == "DELETE":
        emulator.faults.reset()
        return emulator.faults.settings()
    if what == "faults" and method in ("POST", "PUT"):
        script = request.pop("script", [])
        script_method = request.pop("script_method", None)
        script_path = request.pop("script_path", None)
        emulator.faults.reset()
        emulator.faults.configure(**request)
        emulator.faults.script(*script, method=script_method, path=script_path)
        return emulator.faults.settings()
    if what == "accounts" and method == "POST":
        emulator.account_add(str(request["username"]), str(request["password"]))
        return {"username": request["username"]}
    if what == "clock" and method == "POST":
        emulator.clock_advance(float(request.get("advance", 0)))
        return {"now": emulator.now()}
    if what == "settings" and method in ("POST", "PUT"):
        for name in ("token_lifetime", "search_delay"):
            if name in request:
                setattr(emulator, name, float(request[name]))
        return {"token_lifetime": emulator.token_lifetime, "search_delay": emulator.search_delay}
    if what == "stats" and method == "GET":
        names = emulator.store.names_count()
        return {
            "samples": emulator.store.sample_count(),
            "duplicate_names": {name: n for name, n in names.items() if n > 1},
            "faults": emulator.faults.settings(),
            "requests": len(emulator.requests),
        }
    return None


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _last(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _integer(query: dict[str, list[str]], name: str) -> int | None:
    value = _last(query, name)
    if value is None or value == "":
        return None
    if not re.fullmatch(r"-?[0-9]+", value):
        raise Refusal(
            400,
            f"Failed to convert value of type 'java.lang.String' to required type "
            f"'java.lang.Integer'; For input string: \"{value}\"",
        )
    return int(value)
