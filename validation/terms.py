"""Ontology terms as the validation engine sees them: plain values, no database.

The engine reads terms from a mapping of term id to :class:`TermInfo`; the term table
(``validation.models.OntologyTerm``) fills one in a single query
(``validation.selectors.terms_lookup``), and tests build one by hand.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The terms the project ships: the seed of the term table (manage.py terms_seed).
TERMS_PATH = Path(__file__).resolve().parent / "data" / "ontology_terms.json"

# Where each ontology's terms live; every other ontology the project uses is an OBO
# library (uid/data/ontologies.json has the same bases).
OBO_BASE = "http://purl.obolibrary.org/obo/"
IRI_BASES = {"EFO": "http://www.ebi.ac.uk/efo/"}

# A term id: "UBERON_0001968"; "UBERON:0001968" (a CURIE) names the same term.
_TERM_ID_RE = re.compile(r"\A([A-Za-z][A-Za-z0-9]*)[_:]([A-Za-z0-9]+)\Z")


@dataclass(frozen=True, slots=True)
class TermInfo:
    """What the engine knows of one ontology term."""

    id: str  # "UBERON_0001968"
    label: str
    synonyms: tuple[str, ...] = ()
    ancestors: frozenset[str] = frozenset()  # every term above it (transitively)
    obsolete: bool = False


# The engine's view of the term table: term id → term.
TermLookup = Mapping[str, TermInfo]


def term_id(iri: str) -> str | None:
    """The term id an IRI (or a bare id or CURIE) names; None if it names none.

    "http://purl.obolibrary.org/obo/UBERON_0001968", "UBERON_0001968" and
    "UBERON:0001968" all name "UBERON_0001968".
    """
    if not isinstance(iri, str):
        return None
    return _term_id(iri)


@functools.lru_cache(maxsize=65_536)  # a genebank names the same few terms on every record
def _term_id(iri: str) -> str | None:
    tail = iri.strip().rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    found = _TERM_ID_RE.match(tail)
    if found is None:
        return None
    return f"{found.group(1)}_{found.group(2)}"


def term_iri(term: str) -> str:
    """The IRI of a term id, e.g. EFO_0001741 → http://www.ebi.ac.uk/efo/EFO_0001741."""
    prefix = term.split("_", 1)[0]
    return IRI_BASES.get(prefix, OBO_BASE) + term


def term_describe(term: str, terms: TermLookup, *, label: str = "") -> str:
    """A term for a message: "NCBITaxon_9940 (Ovis aries)", or the bare id if unknown."""
    info = terms.get(term)
    label = info.label if info is not None else label
    return f"{term} ({label})" if label else term
