"""How the server writes its answers: HAL samples, pages and links, filters and cursors."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from biosample.emulator.checks import Refusal, date_format, instant_format
from biosample.emulator.store import Filter

# Spring's UriComponentsBuilder leaves these as they are in a query value (fixtures
# page_0.json: filter=attr:project:IMAGE); '+' is escaped, which the server would read as
# a space.
_QUERY_SAFE = "!$'()*,;:@/?"
_FILTER_SPLIT = re.compile(r"(?<!\\):")


def href(base: str, path: str, parameters: Iterable[tuple[str, Any]] = ()) -> str:
    """An absolute link below ``base`` with its query in the given order."""
    query = "&".join(
        f"{quote(name, safe='')}={quote(str(value), safe=_QUERY_SAFE)}"
        for name, value in parameters
    )
    return f"{base}{path}?{query}" if query else f"{base}{path}"


def filter_parse(text: str) -> Filter:
    """One ``filter=`` value, split as the server's FilterBuilder does (``\\:`` escapes):
    ``name:``, ``attr:``, ``acc:`` and ``webinId:`` are known.

    A kind the emulator does not implement is a 400, as an unknown kind is there.
    """
    parts = [part.replace("\\:", ":") for part in _FILTER_SPLIT.split(text, maxsplit=2)]
    kind = parts[0]
    if kind == "name" and len(parts) >= 2:
        return Filter("name", ":".join(parts[1:]))
    if kind == "attr" and len(parts) >= 2:
        return Filter("attr", parts[1], parts[2] if len(parts) > 2 else None)
    if kind == "acc" and len(parts) >= 2:
        return Filter("acc", ":".join(parts[1:]))
    # The server's WEBINID_FILTER ("webinId", FilterType): the samples a Webin account
    # submitted, matched exactly against the indexed account (SolrSampleAuthenticationField).
    if kind == "webinId" and len(parts) >= 2:
        return Filter("webinId", ":".join(parts[1:]))
    raise Refusal(400, f"The BioSamples emulator does not know the filter {text!r}")


def cursor_encode(number: int) -> str:
    """An opaque cursor after a sample number (Solr's are opaque too)."""
    return base64.urlsafe_b64encode(f"AoE{number}".encode()).rstrip(b"=").decode()


def cursor_decode(cursor: str) -> int:
    """The sample number a cursor continues after; ``*`` is the start."""
    if cursor == "*":
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text.startswith("AoE"):
            return int(text[3:])
    except (ValueError, UnicodeDecodeError, binascii.Error):
        pass
    raise Refusal(400, f"Unable to parse 'cursorMark' after {cursor!r}")


def _sample_links(base: str, accession: str) -> dict[str, Any]:
    self_href = f"{base}/biosamples/samples/{accession}"
    return {
        "self": {"href": self_href},
        "curationLinks": {"href": f"{self_href}/curationlinks"},
        "curationLink": {"href": f"{self_href}/curationlinks/{{hash}}", "templated": True},
    }


def sample_render(
    document: dict[str, Any], *, incoming: Sequence[dict[str, str]], base: str, now: float
) -> dict[str, Any]:
    """A stored sample as the server answers it: its fields in the recorded answers' order
    (../shared/fixtures/biosamples), empty ones left out, incoming relationships after its
    own, and its ``_links``."""
    release = document["release"]
    answer: dict[str, Any] = {
        "name": document.get("name"),
        "accession": document["accession"],
        "sraAccession": document.get("sraAccession"),
        "webinSubmissionAccountId": document.get("webinSubmissionAccountId"),
        "release": instant_format(release),
        "update": instant_format(document["update"]),
        "submitted": instant_format(document["submitted"]),
        "taxId": document.get("taxId"),
        # As on the server: not before the release instant means private.
        "status": "PRIVATE" if release >= now else "PUBLIC",
        "characteristics": document["characteristics"],
        "relationships": [*document["relationships"], *incoming],
        "externalReferences": document.get("externalReferences"),
        "releaseDate": date_format(release),
        "updateDate": date_format(document["update"]),
        "submittedDate": date_format(document["submitted"]),
        "submittedVia": document.get("submittedVia", "JSON_API"),
        "create": instant_format(document["create"]),
        "organization": document.get("organization"),
        "contact": document.get("contact"),
        "publications": document.get("publications"),
    }
    answer = {key: value for key, value in answer.items() if value not in (None, [], {})}
    answer["_links"] = _sample_links(base, document["accession"])
    return answer


def collection(
    key: str, items: list[Any], links: dict[str, str], page: dict[str, int] | None = None
) -> dict[str, Any]:
    """A HAL collection: ``_embedded`` (left out when empty, as Spring HATEOAS does),
    ``_links`` and, for page paging, ``page``."""
    answer: dict[str, Any] = {}
    if items:
        answer["_embedded"] = {key: items}
    answer["_links"] = {
        rel: ({"href": link, "templated": True} if "{" in link else {"href": link})
        for rel, link in links.items()
    }
    if page is not None:
        answer["page"] = page
    return answer


def page_links(
    *, base: str, path: str, query: list[tuple[str, Any]], page: int, size: int, total_pages: int
) -> dict[str, str]:
    """first, self, previous, next and last of page paging, in fixtures page_0/1's order."""

    def link(number: int) -> str:
        return href(base, path, [*query, ("page", number), ("size", size)])

    links = {}
    if total_pages > 1:
        links["first"] = link(0)
    links["self"] = link(page)
    if page > 0:
        links["previous"] = link(page - 1)
    if page < total_pages - 1:
        links["next"] = link(page + 1)
    if total_pages > 1:
        links["last"] = link(total_pages - 1)
    return links


def page_metadata(*, size: int, number: int, total: int) -> dict[str, int]:
    """Spring's ``page`` object."""
    return {
        "size": size,
        "totalElements": total,
        "totalPages": -(-total // size),
        "number": number,
    }
