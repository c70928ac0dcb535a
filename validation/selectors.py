"""Reads of the validation app's tables."""

from __future__ import annotations

from collections.abc import Iterable

from validation.models import OntologyTerm
from validation.terms import TermInfo


def terms_lookup(*, term_ids: Iterable[str] | None = None) -> dict[str, TermInfo]:
    """The term table as the engine reads it, in one query: the given ids, or every term.

    Ids the table lacks are simply absent (the engine warns that they cannot be verified).
    """
    rows = OntologyTerm.objects.all()
    if term_ids is not None:
        rows = rows.filter(id__in=set(term_ids))
    return {
        term: TermInfo(
            id=term,
            label=label,
            synonyms=tuple(synonyms or ()),
            ancestors=frozenset(ancestors or ()),
            obsolete=obsolete,
        )
        for term, label, synonyms, ancestors, obsolete in rows.values_list(
            "id", "label", "synonyms", "ancestors", "obsolete"
        )
    }
