"""A submission's records as files: canonical records (for the IMAGE template, which the
excel app writes) and CSV. Every text cell is formula-safe (uid.spreadsheets)."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterator

from django.db.models import QuerySet

from uid.models import Animal, Sample
from uid.records import AnimalRecord, SampleRecord
from uid.spreadsheets import spreadsheet_safe

# Read with each record, one query for all.
ANIMAL_RELATED = ("breed__country", "species", "sex", "father", "mother", "publication")
SAMPLE_RELATED = (
    "animal", "organism_part", "developmental_stage", "physiological_stage", "publication",
)  # fmt: skip


def _reference(record) -> str | None:
    """How a file names a related record: by name in its own submission, else by accession."""
    if record is None:
        return None
    return record.name if record.accession is None else record.accession


def animal_record(animal: Animal, *, submission_id: int) -> AnimalRecord:
    def parent(other):
        if other is None:
            return None
        return other.name if other.submission_id == submission_id else _reference(other)

    return AnimalRecord(
        name=animal.name,
        breed=animal.breed.supplied_breed,
        species=animal.species.label,
        country=animal.breed.country.label,
        sex=animal.sex.label,
        father=parent(animal.father),
        mother=parent(animal.mother),
        alternative_id=animal.alternative_id,
        description=animal.description,
        birth_date=animal.birth_date,
        birth_location=animal.birth_location,
        birth_location_latitude=animal.birth_location_latitude,
        birth_location_longitude=animal.birth_location_longitude,
        birth_location_accuracy=animal.birth_location_accuracy,
        accession=animal.accession,
        publication_doi=animal.publication.doi if animal.publication else "",
        extra=dict(animal.extra),
    )


def sample_record(sample: Sample, *, submission_id: int) -> SampleRecord:
    animal = sample.animal
    return SampleRecord(
        name=sample.name,
        animal=animal.name if animal.submission_id == submission_id else _reference(animal),
        organism_part=sample.organism_part.label,
        alternative_id=sample.alternative_id,
        description=sample.description,
        protocol=sample.protocol,
        collection_date=sample.collection_date,
        collection_place=sample.collection_place,
        collection_place_latitude=sample.collection_place_latitude,
        collection_place_longitude=sample.collection_place_longitude,
        collection_place_accuracy=sample.collection_place_accuracy,
        developmental_stage=sample.developmental_stage.label if sample.developmental_stage else "",
        physiological_stage=sample.physiological_stage.label if sample.physiological_stage else "",
        animal_age_at_collection=sample.animal_age_at_collection,
        animal_age_at_collection_unit=sample.animal_age_at_collection_unit,
        availability=sample.availability,
        storage=sample.storage,
        storage_processing=sample.storage_processing,
        preparation_interval=sample.preparation_interval,
        preparation_interval_unit=sample.preparation_interval_unit,
        accession=sample.accession,
        publication_doi=sample.publication.doi if sample.publication else "",
        extra=dict(sample.extra),
    )


def records_for_export(
    *, submission_id: int, animals: QuerySet, samples: QuerySet
) -> tuple[list[AnimalRecord], list[SampleRecord]]:
    """The given animals and samples as canonical records, as a file would hold them."""
    return (
        [
            animal_record(a, submission_id=submission_id)
            for a in animals.select_related(*ANIMAL_RELATED).order_by("name")
        ],
        [
            sample_record(s, submission_id=submission_id)
            for s in samples.select_related(*SAMPLE_RELATED).order_by("name")
        ],
    )


_NOT_IN_CSV = {"source", "notes", "extra"}


def records_csv(records: QuerySet, *, kind: str, submission_id: int) -> Iterator[str]:
    """The records as CSV lines: every field of the record, its status, its other
    attributes (``extra``) as columns of their own."""
    related = ANIMAL_RELATED if kind == "animals" else SAMPLE_RELATED
    convert = animal_record if kind == "animals" else sample_record
    record_class = AnimalRecord if kind == "animals" else SampleRecord
    rows = records.select_related(*related).order_by("name")
    fields = [f.name for f in dataclasses.fields(record_class) if f.name not in _NOT_IN_CSV]
    extra_keys: dict[str, None] = {}
    for extra in rows.values_list("extra", flat=True):
        extra_keys.update(dict.fromkeys(extra or {}))
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list) -> str:
        writer.writerow([spreadsheet_safe("" if cell is None else cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line([*fields, "status", *extra_keys])
    for stored in rows.iterator(chunk_size=2000):
        record = convert(stored, submission_id=submission_id)
        cells = [getattr(record, name) for name in fields]
        yield line(
            [*cells, stored.get_status_display(), *(record.extra.get(k) for k in extra_keys)]
        )


PROBLEM_COLUMNS = ("row", "line", "sheet", "column", "value", "problem")


def problems_csv(task) -> Iterator[str]:
    """Every problem a failed import kept, as CSV lines (formula-safe), then how many
    more there were, if it could not keep them all."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    kept = task.result.get("problems", [])
    writer.writerow(PROBLEM_COLUMNS)
    for problem in kept:
        writer.writerow([spreadsheet_safe(problem.get(name) or "") for name in PROBLEM_COLUMNS])
    more = task.result.get("problems_total", len(kept)) - len(kept)
    if more > 0:
        writer.writerow(["", "", "", "", "", f"and {more:,} more, not listed"])
    yield buffer.getvalue()


# --- Exports by type (the API's /export/?type=...): uid knows csv; format apps add theirs ---

Exporter = Callable[..., tuple[bytes, str, str]]  # (submission, query) -> (body, type, name)
_EXPORTERS: dict[str, Exporter] = {}


def exporter_register(type_: str, exporter: Exporter) -> None:
    _EXPORTERS[type_] = exporter


def exporter_for(type_: str) -> Exporter | None:
    return _EXPORTERS.get(type_)


def export_types() -> list[str]:
    return sorted(_EXPORTERS)


def _csv_export(submission, query) -> tuple[bytes, str, str]:
    from uid import selectors

    kind = "samples" if query.get("kind") == "samples" else "animals"
    query = query.copy()
    query.pop("kind", None)
    records = selectors.submission_records_filtered(submission=submission, kind=kind, query=query)
    body = "".join(records_csv(records, kind=kind, submission_id=submission.pk)).encode()
    return body, "text/csv; charset=utf-8", f"submission-{submission.pk}-{kind}.csv"


exporter_register("csv", _csv_export)
