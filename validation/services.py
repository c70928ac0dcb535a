"""Writes of the validation app: seeding the ontology term table."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from validation.models import OntologyTerm
from validation.terms import TERMS_PATH, term_iri

_FIELDS = ("iri", "label", "synonyms", "ancestors", "obsolete")


def terms_seed(*, path: Path = TERMS_PATH) -> tuple[int, int]:
    """Put the shipped terms into the term table; return (created, updated).

    One read and one bulk upsert, whatever the number of terms; a second run changes
    nothing. Terms that are not in the file (added by admins) are left alone; a shipped
    term is reset to the file's values, which are checked against their ontologies.
    """
    with path.open(encoding="utf-8") as handle:
        rows = json.load(handle)
    terms = []
    for row in rows:
        term = OntologyTerm(
            id=row["id"],
            iri=row.get("iri") or term_iri(row["id"]),
            label=row["label"],
            synonyms=list(row.get("synonyms", [])),
            ancestors=list(row.get("ancestors", [])),
            obsolete=bool(row.get("obsolete", False)),
        )
        term.full_clean(validate_unique=False, validate_constraints=False)
        terms.append(term)

    with transaction.atomic():
        existing = {
            row[0]: row[1:]
            for row in OntologyTerm.objects.filter(id__in=[term.id for term in terms])
            .select_for_update()
            .values_list("id", *_FIELDS)
        }
        changed = [
            term
            for term in terms
            if existing.get(term.id) != tuple(getattr(term, name) for name in _FIELDS)
        ]
        if changed:
            OntologyTerm.objects.bulk_create(
                changed, update_conflicts=True, unique_fields=["id"], update_fields=list(_FIELDS)
            )
    created = sum(1 for term in changed if term.id not in existing)
    return created, len(changed) - created
