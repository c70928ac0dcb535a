"""Seeding of the shared dictionaries from the data files the project ships.

The files are in ``uid/data/`` (ontologies, countries, sexes, species, organism parts,
stages, roles) and ``language/data/`` (the language of each country, species words).
Each row is keyed by its natural key (a label, a library name, a country, a word in a
language), so a second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from uid.models import (
    Breed,
    Confidence,
    Country,
    DevelopmentalStage,
    Ontology,
    Organisation,
    OrganismPart,
    PhysiologicalStage,
    Role,
    Sex,
    Species,
)

# Concurrent seeds (two `make run` at once) wait for each other instead of colliding on
# the unique keys: any constant 64-bit number serves as the advisory lock's name.
_SEED_LOCK_KEY = 0x5EED_D1C7

# The project checked these rows against their ontologies; a curator who wants a seeded
# row to stay as they edited it marks it "manually curated" and the seed leaves it alone.
SEEDED_CONFIDENCE = Confidence.CURATED

# (model, data file, natural key). A species is its taxon: its label may be corrected.
_TERM_FILES: Sequence[tuple[type[models.Model], str, tuple[str, ...]]] = (
    (Country, "countries.json", ("label",)),
    (Sex, "sexes.json", ("label",)),
    (Species, "species.json", ("taxon_id",)),
    (OrganismPart, "organism_parts.json", ("label",)),
    (DevelopmentalStage, "developmental_stages.json", ("label",)),
    (PhysiologicalStage, "physiological_stages.json", ("label",)),
    (Role, "roles.json", ("label",)),
)


def _data_dir(app_label: str) -> Path:
    return Path(apps.get_app_config(app_label).path) / "data"


def read_json(app_label: str, name: str) -> Any:
    with open(_data_dir(app_label) / name, encoding="utf-8") as handle:
        return json.load(handle)


def rows_upsert(
    *,
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    key: Sequence[str],
    skip_fk_validation: Sequence[str] = (),
    scope: dict[str, Any] | None = None,
) -> tuple[int, int]:
    """Create the rows that are missing and update those that differ; return (created, updated).

    ``key`` names the fields (attnames for foreign keys) that identify a row among those
    ``scope`` selects (curators' proposals are not the shipped rows). Queries do not
    grow with the number of rows: one read, one bulk insert, one bulk update. A row whose
    confidence is "manually curated" is never overwritten.
    """
    rows = list(rows)
    if not rows:
        return 0, 0

    first = key[0]
    existing = {
        tuple(getattr(obj, name) for name in key): obj
        for obj in model.objects.filter(
            **(scope or {}), **{f"{first}__in": {row[first] for row in rows}}
        )
    }
    has_confidence = any(field.name == "confidence" for field in model._meta.fields)

    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    for row in rows:
        obj = existing.get(tuple(row[name] for name in key))
        if obj is None:
            obj = model(**row)
            # Foreign keys point at rows of this same seed; checking each one would cost a
            # query per row, and the database checks them anyway.
            obj.full_clean(
                exclude=list(skip_fk_validation), validate_unique=False, validate_constraints=False
            )
            to_create.append(obj)
            continue
        if has_confidence and obj.confidence == Confidence.MANUALLY_CURATED:
            continue
        differing = [name for name, value in row.items() if getattr(obj, name) != value]
        if differing:
            for name in differing:
                setattr(obj, name, row[name])
            obj.full_clean(
                exclude=list(skip_fk_validation), validate_unique=False, validate_constraints=False
            )
            to_update.append(obj)
            changed_fields.update(differing)

    if to_create:
        model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields))
    return len(to_create), len(to_update)


def _term_rows(model: type[models.Model], file_name: str) -> list[dict[str, Any]]:
    rows = []
    for item in read_json("uid", file_name):
        row = dict(item)
        if any(field.name == "confidence" for field in model._meta.fields):
            row.setdefault("confidence", SEEDED_CONFIDENCE)
        rows.append(row)
    return rows


# Apps that keep dictionaries of their own (language: species words) seed them with
# uid's, in the same transaction, through this list (uid imports none of them).
_SEEDERS: list[Callable[[], dict[str, tuple[int, int]]]] = []


def dictionaries_seeder_register(seeder: Callable[[], dict[str, tuple[int, int]]]) -> None:
    """Have ``dictionaries_seed`` call ``seeder`` after uid's own rows (once per seeder)."""
    if seeder not in _SEEDERS:
        _SEEDERS.append(seeder)


# How species words of a file become species: the language app registers its resolver
# (words of the gene bank's language, the curator's own proposals); without one, only
# scientific and English common names are known.
_species_resolver: Callable[..., dict[str, Species | None]] | None = None


def species_resolver_register(resolver: Callable[..., dict[str, Species | None]]) -> None:
    """Make ``resolver(words=, country=, user=)`` the way imports read species words."""
    global _species_resolver
    _species_resolver = resolver


def species_resolve(*, words, country, user) -> dict[str, Species | None]:
    """Each word with the species it means for ``user``'s gene bank in ``country``, or None."""
    if _species_resolver is not None:
        return _species_resolver(words=words, country=country, user=user)
    by_name = {}
    for species in Species.objects.all():
        for name in (species.common_name, species.label):
            if name:
                by_name["".join(name.split()).casefold()] = species
    return {word: by_name.get("".join(word.split()).casefold()) for word in words}


@transaction.atomic
def dictionaries_seed() -> dict[str, tuple[int, int]]:
    """Put the shipped dictionary rows into the database; return (created, updated) per table.

    Idempotent: a second run reports nothing created and nothing updated. Everything
    happens in one transaction, so a broken data file leaves the tables as they were.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEED_LOCK_KEY])

    report: dict[str, tuple[int, int]] = {}
    report[Ontology._meta.label] = rows_upsert(
        model=Ontology, rows=read_json("uid", "ontologies.json"), key=("library_name",)
    )
    for model, file_name, key in _TERM_FILES:
        report[model._meta.label] = rows_upsert(
            model=model, rows=_term_rows(model, file_name), key=key
        )
    for seeder in _SEEDERS:
        report.update(seeder())
    return report


def proposals_share(*, rows: Iterable[models.Model], changes: dict[str, Any]) -> tuple[int, list]:
    """Make curators' proposed dictionary rows shared (``changes`` says how); return how
    many were, and the rows that clash with a shared row of the same name (they stay
    proposals: the unique constraint on shared rows decides, not a look beforehand).
    """
    shared, clashes = 0, []
    for row in rows:
        try:
            with transaction.atomic():
                type(row).objects.filter(pk=row.pk).update(**changes)
        except IntegrityError:
            clashes.append(row)
        else:
            shared += 1
    return shared, clashes


def breeds_confirm(*, breeds: Iterable[Breed]) -> tuple[int, list[Breed]]:
    """Make curators' proposed breeds everyone's (see proposals_share)."""
    return proposals_share(rows=breeds, changes={"proposed_by": None})


def organisations_merge(*, organisations, keep: Organisation) -> int:
    """Point every reference to any of ``organisations`` at ``keep`` and delete the others
    (profiles' affiliations, submissions, whatever else names one); returns how many went."""
    others = [o for o in organisations if o.pk != keep.pk]
    if not others:
        return 0
    with transaction.atomic():
        for relation in Organisation._meta.related_objects:
            if relation.many_to_many:
                raise NotImplementedError(f"merging does not move {relation.name} yet")
            relation.related_model._default_manager.filter(
                **{f"{relation.field.name}__in": others}
            ).update(**{relation.field.name: keep})
        Organisation.objects.filter(pk__in=[o.pk for o in others]).delete()
    return len(others)
