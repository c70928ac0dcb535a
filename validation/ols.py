"""The optional OLS4 look-up: terms the term table lacks, fetched once and kept in it.

Off unless ``settings.OLS_URL`` names an OLS4 (e.g. ``https://www.ebi.ac.uk/ols4``).
Validation itself never waits on OLS: this fills the table beforehand, and a term it
could not fetch stays a Warning "cannot be verified offline".

The OLS4 API used (its OLS3-compatible ``/api`` of EBISPOT/ols4's V1 controllers):

- ``GET {OLS_URL}/api/terms/findByIdAndIsDefiningOntology?short_form=UBERON_0001968``:
  the term as its own ontology defines it (an ontology that imports the term is left out).
  A page, ``{"_embedded": {"terms": [term]}, "page": {"totalElements": n, ...}}``, with no
  ``_embedded`` when OLS does not know the term. Of a term we read ``iri``, ``short_form``,
  ``label``, ``synonyms`` (a list of strings), ``is_obsolete`` and ``ontology_name``.
- ``GET {OLS_URL}/api/ontologies/{ontology_name}/terms/{iri, URL-encoded twice}/
  hierarchicalAncestors?size=1000``: every term above it, transitively, through is-a and
  the ontology's hierarchical relations such as part-of (what OLS's ``childrenOf`` search
  filter, which the original IMAGE validation used, follows). A page of terms, of which we
  read ``short_form``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.exceptions import ValidationError

from validation.models import OntologyTerm
from validation.ruleset import TERM_ID_RE
from validation.terms import term_id

log = logging.getLogger(__name__)

# Terms looked up per call (two requests each): a submission naming more missing terms
# gets the rest at its next validation, so one call never holds a worker for long.
MAX_TERMS = 50
# Far above any real term's ancestors (a deep UBERON term has under 100); a term with more
# is skipped rather than stored with some ancestors missing, which would fail checks.
_ANCESTORS_PAGE = 1000
_HEADERS = {"Accept": "application/json", "User-Agent": "InjectTool (IMAGE genebank records)"}


class _OlsUnavailable(Exception):
    """OLS did not answer, or answered with a server error: ask it nothing more now."""


def terms_fill_missing(term_ids: Iterable[str]) -> int:
    """Look up in OLS4 the terms of ``term_ids`` that the term table lacks, store those OLS
    knows (label, synonyms, obsolete, IRI and ancestors as term ids) in one bulk write, and
    return how many were added.

    Ids may be given as term ids, CURIEs or IRIs; what names no term is ignored. Nothing is
    asked when ``OLS_URL`` is empty, nor for terms already in the table, and at most
    ``MAX_TERMS`` terms per call. A term OLS does not know is skipped. A network failure,
    timeout or server error is logged and ends the look-up (OLS is down: each further
    request would only wait out its timeout); what was fetched before it is still stored.
    Never raises for OLS's sake: validation goes on with the table as it is.
    """
    base = (settings.OLS_URL or "").rstrip("/")
    if not base:
        return 0
    wanted = list(dict.fromkeys(filter(None, map(term_id, term_ids))))
    if not wanted:
        return 0
    known = set(OntologyTerm.objects.filter(id__in=wanted).values_list("id", flat=True))
    missing = [term for term in wanted if term not in known]
    if len(missing) > MAX_TERMS:
        log.info("OLS look-up of %d terms; %d left for later", MAX_TERMS, len(missing) - MAX_TERMS)
        missing = missing[:MAX_TERMS]

    found: list[OntologyTerm] = []
    with requests.Session() as session:
        session.headers.update(_HEADERS)
        for term in missing:
            try:
                fetched = _term_fetch(session, base, term)
            except _OlsUnavailable as error:
                log.warning("OLS look-up stopped at %s: %s", term, error)
                break
            if fetched is not None:
                found.append(fetched)

    if not found:
        return 0
    # Another worker may have stored the same term meanwhile: its row is kept as it is.
    OntologyTerm.objects.bulk_create(found, ignore_conflicts=True)
    log.info("OLS filled %d terms: %s", len(found), ", ".join(term.id for term in found))
    return len(found)


def _term_fetch(session: requests.Session, base: str, term: str) -> OntologyTerm | None:
    """The term as OLS knows it, checked as an admin's would be; None if OLS does not know
    it or describes it in a way the table cannot hold."""
    page = _get(
        session,
        f"{base}/api/terms/findByIdAndIsDefiningOntology",
        params={"short_form": term},
    )
    docs = [doc for doc in _page_terms(page) if doc.get("short_form") == term]
    if not docs:
        log.info("OLS does not know %s", term)
        return None
    doc = docs[0]
    iri, ontology = doc.get("iri"), doc.get("ontology_name")
    if not isinstance(iri, str) or not isinstance(ontology, str):
        log.warning("OLS answered %s without its IRI or ontology: skipped", term)
        return None

    # OLS's path variable is the IRI URL-encoded twice: its server decodes the path once
    # (and refuses an encoded "/" in it), the controller decodes it again.
    encoded = quote(quote(iri, safe=""), safe="")
    page = _get(
        session,
        f"{base}/api/ontologies/{quote(ontology, safe='')}/terms/{encoded}/hierarchicalAncestors",
        params={"size": _ANCESTORS_PAGE},
    )
    if page is None:  # stored without its ancestors, it would fail descendant checks
        log.warning("OLS gave no ancestors of %s: skipped", term)
        return None
    above = _page_terms(page)
    paging = page.get("page")
    total = paging.get("totalElements", len(above)) if isinstance(paging, dict) else len(above)
    if not isinstance(total, int) or total > len(above):
        log.warning("OLS lists %s ancestors of %s, more than one page: skipped", total, term)
        return None
    ancestors = [
        ancestor
        for ancestor in dict.fromkeys(doc.get("short_form") for doc in above)
        # owl:Thing and terms without an "ONTO_123" id cannot be named in a record
        if isinstance(ancestor, str) and ancestor != term and TERM_ID_RE.match(ancestor)
    ]

    stored = OntologyTerm(
        id=term,
        iri=iri,
        label=doc.get("label") or "",
        synonyms=_words(doc.get("synonyms")),
        ancestors=ancestors,
        obsolete=doc.get("is_obsolete") is True,
    )
    try:
        stored.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        log.warning("OLS's %s does not fit the term table (%s): skipped", term, error)
        return None
    return stored


def _get(session: requests.Session, url: str, *, params: dict) -> dict | None:
    """One GET answered in JSON; None for a 404 or another client error (the question was
    about a term OLS does not have); _OlsUnavailable when OLS did not answer properly."""
    try:
        response = session.get(url, params=params, timeout=settings.OLS_TIMEOUT)
    except requests.RequestException as error:
        raise _OlsUnavailable(f"{type(error).__name__}: {error}") from error
    # 429 too: OLS asks us to come back later, which the next validation does.
    if response.status_code >= 500 or response.status_code == 429:
        raise _OlsUnavailable(f"HTTP {response.status_code} from {response.url}")
    if response.status_code >= 400:
        log.info("OLS answered HTTP %s to %s", response.status_code, response.url)
        return None
    try:
        answer = response.json()
    except ValueError as error:
        raise _OlsUnavailable(f"not JSON from {response.url}") from error
    return answer if isinstance(answer, dict) else None


def _page_terms(page: dict | None) -> list[dict]:
    """The terms of a page of OLS's answer (HAL: absent ``_embedded`` when empty)."""
    embedded = (page or {}).get("_embedded")
    terms = embedded.get("terms") if isinstance(embedded, dict) else None
    return [doc for doc in terms if isinstance(doc, dict)] if isinstance(terms, list) else []


def _words(value: object) -> list[str]:
    """A JSON list of strings as the table keeps it: without blanks and repeats."""
    if not isinstance(value, list):
        return []
    return list(
        dict.fromkeys(item.strip() for item in value if isinstance(item, str) and item.strip())
    )
