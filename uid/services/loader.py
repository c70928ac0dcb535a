"""The bulk loader: canonical records of one file into a submission, all or nothing.

Every format parser yields the same records (uid.records); this module checks them
across records (names, references, cycles), resolves words against the dictionaries
with a constant number of queries, and writes everything in one transaction with
PostgreSQL COPY. Record ids are taken from the sequences beforehand, so parents and a
sample's animal are written in the same pass whatever the order of the file (the
foreign keys are checked at commit).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import CharField, Q
from django.utils import timezone

from uid.models import (
    Animal,
    Breed,
    Confidence,
    Country,
    DevelopmentalStage,
    OrganismPart,
    PhysiologicalStage,
    Publication,
    Sample,
    Sex,
    Status,
    Submission,
)
from uid.records import AnimalRecord, BreedRecord, Record, SampleRecord, problem_list
from uid.services.values import Notes, records_normalise
from validation.registry import ACCESSION_RE, UNKNOWN_SEX

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


class LoadError(Exception):
    """The records of a file do not fit together; ``problems`` names each one and where."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        if len(problems) == 1:
            super().__init__(problems[0])
            return
        super().__init__(f"{len(problems)} problems:\n{problem_list(problems)}")


class UnknownSpeciesWords(LoadError):
    """Species words no dictionary knows: the curator maps them, then retries."""

    def __init__(self, words: list[str]) -> None:
        self.words = sorted(words)
        super().__init__([f"Unknown species word(s): {', '.join(self.words)}"])


@dataclass
class LoadResult:
    animals_created: int = 0
    animals_updated: int = 0
    samples_created: int = 0
    samples_updated: int = 0
    breeds_created: int = 0
    removed: int = 0
    # Records with an accession that the new file no longer has: kept, listed for the curator.
    kept_missing: list[str] = field(default_factory=list)
    # What the import changed or could not use (uid.services.values).
    notes: Notes = field(default_factory=Notes)

    @property
    def animals(self) -> int:
        return self.animals_created + self.animals_updated

    @property
    def samples(self) -> int:
        return self.samples_created + self.samples_updated


def records_load(
    *,
    submission: Submission,
    records: Iterable[Record],
    progress: Progress | None = None,
    on_written: Callable[[LoadResult], None] | None = None,
) -> LoadResult:
    """Load the records of one file into ``submission``, replacing what it had.

    Records not yet submitted are replaced; records that have an accession are matched
    by name and updated, never dropped (those missing from the file are listed in
    ``kept_missing``). Raises LoadError (or UnknownSpeciesWords) and writes nothing
    when the records do not fit together. ``progress(phase, done, total)`` hears the
    phases "check" and "write"; ``on_written(result)`` is called inside the transaction
    of the writes, so that what it writes commits with them or not at all.
    """
    report = progress or (lambda phase, done, total: None)
    breeds, animals, samples = _collect(records)
    report("check", 0, len(animals) + len(samples))
    notes = records_normalise(animals, samples)
    _check_names(animals, samples)
    owner_accessions = _owner_accessions(submission, animals, samples)
    _check_references(animals, samples, owner_accessions)
    _check_no_cycles(animals)
    _check_lengths(animals, samples)
    lookups = _Lookups.build(submission, breeds, animals, samples)
    report("write", 0, len(animals) + len(samples))
    with transaction.atomic():
        result = _write(submission, breeds, animals, samples, lookups, owner_accessions, report)
        result.notes = notes
        if on_written is not None:
            on_written(result)
    return result


def records_analyze(*, added: int | None = None) -> None:
    """Refresh PostgreSQL's statistics of the record tables after a bulk change.

    After a COPY of hundreds of thousands of rows they stay stale until autovacuum comes
    by, and PostgreSQL plans as if the tables were small: the foreign-key checks of a
    later delete then scan a whole table per deleted row (100,000 animals: a quarter of
    an hour instead of seconds). ANALYZE reads a sample of each table, a few tenths of a
    second on big tables: with ``added`` (rows just written) a table is only analysed
    when that grew it by a fifth or more, or when it never was; smaller changes are
    autovacuum's.
    """
    with connection.cursor() as cursor:
        tables = ["uid_animal", "uid_sample"]
        if added is not None:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [tables]
            )
            known = dict(cursor.fetchall())
            tables = [t for t in tables if known.get(t, -1) < 0 or added * 5 >= known[t]]
        if tables:
            cursor.execute(f"ANALYZE {', '.join(tables)}")  # our own table names only


# --- Checks across records ----------------------------------------------------------


def _collect(records: Iterable[Record]):
    breeds: list[BreedRecord] = []
    animals: list[AnimalRecord] = []
    samples: list[SampleRecord] = []
    for record in records:
        if isinstance(record, AnimalRecord):
            animals.append(record)
        elif isinstance(record, SampleRecord):
            samples.append(record)
        elif isinstance(record, BreedRecord):
            breeds.append(record)
    if not animals and not samples:
        raise LoadError(["the file holds no animals and no samples"])
    return breeds, animals, samples


def _where(record) -> str:
    return f"{record.source}: " if record.source else ""


def _check_names(animals: list[AnimalRecord], samples: list[SampleRecord]) -> None:
    problems = []
    for kind, items in (("animal", animals), ("sample", samples)):
        seen: dict[str, object] = {}
        for record in items:
            if not record.name:
                problems.append(f"{_where(record)}{kind} without an id")
            elif record.name in seen:
                first = seen[record.name]
                problems.append(
                    f"{_where(record)}{kind} id '{record.name}' is used twice "
                    f"(first at {first.source or 'an earlier record'})"
                )
            else:
                seen[record.name] = record
    if problems:
        raise LoadError(problems)


def _text_fields(model, record_class) -> list[str]:
    """The model's bounded text columns that a record of ``record_class`` fills."""
    fields = {f.name for f in dataclasses.fields(record_class)}
    return [
        field.name
        for field in model._meta.fields
        if isinstance(field, CharField) and field.max_length and field.name in fields
    ]


_TEXT_FIELDS = {
    Animal: _text_fields(Animal, AnimalRecord),
    Sample: _text_fields(Sample, SampleRecord),
}


def _check_lengths(animals, samples) -> None:
    """Text longer than its column is named here, not by the database halfway through."""
    problems = []
    for model, items in ((Animal, animals), (Sample, samples)):
        for name in _TEXT_FIELDS[model]:
            limit = model._meta.get_field(name).max_length
            longest = max((len(getattr(r, name) or "") for r in items), default=0)
            if longest <= limit:
                continue
            for record in items:
                value = getattr(record, name) or ""
                if len(value) > limit:
                    label = name.replace("_", " ")
                    problems.append(
                        f"{_where(record)}the {label} of '{record.name}' is {len(value)} "
                        f"characters long; at most {limit} fit"
                    )
    for record in animals:
        if len(record.breed.strip()) > Breed._meta.get_field("supplied_breed").max_length:
            problems.append(f"{_where(record)}the breed name of '{record.name}' is too long")
    if problems:
        raise LoadError(problems)


def _owner_accessions(submission, animals, samples) -> dict[str, int]:
    """Accession → animal id, for the owner's animals named by accession in this file."""
    wanted = {
        ref for a in animals for ref in (a.father, a.mother) if ref and ACCESSION_RE.match(ref)
    } | {s.animal for s in samples if s.animal and ACCESSION_RE.match(s.animal)}
    if not wanted:
        return {}
    return dict(
        Animal.objects.filter(owner=submission.owner, accession__in=wanted).values_list(
            "accession", "id"
        )
    )


def _check_references(animals, samples, owner_accessions) -> None:
    names = {a.name for a in animals}
    problems = []
    for animal in animals:
        for role, ref in (("father", animal.father), ("mother", animal.mother)):
            if not ref:
                continue
            if ref == animal.name:
                problems.append(f"{_where(animal)}animal '{animal.name}' is its own {role}")
            elif ref not in names and ref not in owner_accessions:
                problems.append(
                    f"{_where(animal)}the {role} '{ref}' of animal '{animal.name}' "
                    "is not an animal of this file nor one of your records"
                )
        if animal.father and animal.father == animal.mother:
            problems.append(
                f"{_where(animal)}animal '{animal.name}' has the same father and mother"
            )
    for animal in animals:
        if not animal.breed.strip():
            problems.append(f"{_where(animal)}animal '{animal.name}' has no breed")
    for sample in samples:
        if not sample.organism_part.strip():
            problems.append(f"{_where(sample)}sample '{sample.name}' has no organism part")
        if not sample.animal:
            problems.append(f"{_where(sample)}sample '{sample.name}' names no animal")
        elif sample.animal not in names and sample.animal not in owner_accessions:
            problems.append(
                f"{_where(sample)}the animal '{sample.animal}' of sample '{sample.name}' "
                "is not an animal of this file nor one of your records"
            )
    if problems:
        raise LoadError(problems)


def _check_no_cycles(animals: list[AnimalRecord]) -> None:
    """An animal cannot be its own ancestor (iterative depth-first search)."""
    parents = {a.name: [p for p in (a.father, a.mother) if p] for a in animals}
    by_name = {a.name: a for a in animals}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in parents:
        if state.get(start):
            continue
        stack = [(start, iter(parents[start]))]
        state[start] = 1
        path = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif child in parents:
                if state.get(child) == 1:
                    cycle = path[path.index(child) :] + [child]
                    raise LoadError(
                        [
                            f"{_where(by_name[child])}parents form a cycle: "
                            + " → ".join(f"'{n}'" for n in cycle)
                        ]
                    )
                if not state.get(child):
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(parents[child])))


# --- Dictionary look-ups (a constant number of queries) -------------------------------


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


@dataclass
class _Lookups:
    species: dict[str, int]
    countries: dict[str, int]
    sexes: dict[str, int]
    unknown_sex: int

    @classmethod
    def build(cls, submission, breeds, animals, samples) -> _Lookups:
        from uid.services.dictionaries import species_resolve

        words = {b.species for b in breeds} | {a.species for a in animals}
        found = species_resolve(
            words=words, country=submission.gene_bank_country, user=submission.owner
        )
        unknown = [w for w, s in found.items() if s is None]
        if unknown:
            raise UnknownSpeciesWords(unknown)
        species = {w: s.pk for w, s in found.items()}

        countries = {_key(label): pk for pk, label in Country.objects.values_list("pk", "label")}
        problems = []
        for record in [*breeds, *animals]:
            if _key(record.country) not in countries:
                problems.append(f"{_where(record)}unknown country '{record.country}'")
        if problems:
            raise LoadError(sorted(set(problems)))

        sexes = {_key(label): pk for pk, label in Sex.objects.values_list("pk", "label")}
        if _key(UNKNOWN_SEX) not in sexes:
            raise LoadError(["the sex dictionary is not seeded (run manage.py seed_dictionaries)"])
        return cls(
            species=species, countries=countries, sexes=sexes, unknown_sex=sexes[_key(UNKNOWN_SEX)]
        )


def _terms_get_or_create(model, labels: set[str]) -> dict[str, int]:
    """Label → id for a term dictionary; labels it lacks are added without a term.

    The validation flags such rows (no ontology term) and staff annotate them in admin,
    as the original tool did with its dictionaries.
    """
    labels = {label for label in labels if label}
    existing = {_key(label): pk for pk, label in model.objects.values_list("pk", "label")}
    missing = {}
    for label in labels:
        if _key(label) not in existing:
            missing.setdefault(_key(label), label.strip())
    if missing:
        model.objects.bulk_create(
            # Sorted, so concurrent imports insert shared rows in one order (no deadlock).
            [model(label=label, confidence=Confidence.LOW) for label in sorted(missing.values())],
            ignore_conflicts=True,
        )
        existing = {_key(label): pk for pk, label in model.objects.values_list("pk", "label")}
    return existing


def _doi_ids(dois: set[str]) -> dict[str, int]:
    dois = {d for d in dois if d}
    if not dois:
        return {}
    Publication.objects.bulk_create(
        [Publication(doi=d) for d in sorted(dois)],
        ignore_conflicts=True,  # one order: see above
    )
    return dict(Publication.objects.filter(doi__in=dois).values_list("doi", "pk"))


# --- Writing ----------------------------------------------------------------------------

# On reload, an existing record keeps its accession, and its life cycle restarts.
_NOT_UPDATED = {"id", "owner_id", "submission_id", "accession"}


def _write(submission, breeds, animals, samples, lookups, owner_accessions, report) -> LoadResult:
    result = LoadResult()
    now = timezone.now()
    owner_id = submission.owner_id
    parts = _terms_get_or_create(OrganismPart, {s.organism_part for s in samples})
    dev_stages = _terms_get_or_create(DevelopmentalStage, {s.developmental_stage for s in samples})
    phys_stages = _terms_get_or_create(PhysiologicalStage, {s.physiological_stage for s in samples})
    dois = _doi_ids({r.publication_doi for r in [*animals, *samples]})
    breed_ids, result.breeds_created = _breeds_upsert(
        breeds, animals, lookups, owner_id=submission.owner_id
    )

    existing_animals = _existing(Animal, submission)
    existing_samples = _existing(Sample, submission)
    _check_accessions_free(submission, animals, samples)

    animal_ids = _ids_for(Animal, [a.name for a in animals], existing_animals)
    animal_ids_by_ref = {**owner_accessions, **animal_ids}
    sample_ids = _ids_for(Sample, [s.name for s in samples], existing_samples)

    # Per distinct spelling, not per record: files repeat a handful of words many times.
    country_of = {raw: lookups.countries[_key(raw)] for raw in {a.country for a in animals}}
    sex_of = {
        raw: lookups.sexes.get(_key(raw), lookups.unknown_sex) for raw in {a.sex for a in animals}
    }
    part_of = {raw: parts[_key(raw)] for raw in {s.organism_part for s in samples}}
    dev_of = {raw: dev_stages.get(_key(raw)) for raw in {s.developmental_stage for s in samples}}
    phys_of = {raw: phys_stages.get(_key(raw)) for raw in {s.physiological_stage for s in samples}}

    dumps = json.dumps

    def extra_json(extra: dict) -> str:
        return dumps(extra) if extra else "{}"

    # Notes are shared dicts (one per distinct value): their JSON is made once per set.
    notes_seen: dict[tuple, str] = {}

    def notes_json(notes: list | None) -> str:
        if not notes:
            return "[]"
        key = tuple(map(id, notes))
        text = notes_seen.get(key)
        if text is None:
            notes_seen[key] = text = dumps(notes)
        return text

    # Rows name their columns: a column added or moved cannot land in another's place.
    def animal_rows():
        for a in animals:
            species_id = lookups.species[a.species]
            yield {
                "id": animal_ids[a.name], "owner_id": owner_id, "submission_id": submission.pk,
                "name": a.name, "alternative_id": a.alternative_id, "description": a.description,
                "publication_id": dois.get(a.publication_doi), "extra": extra_json(a.extra),
                "import_notes": notes_json(a.notes),
                "status": Status.LOADED, "accession": a.accession, "last_changed": now,
                "edited_at": None,
                "breed_id": breed_ids[(_key(a.breed), species_id, country_of[a.country])],
                "species_id": species_id, "sex_id": sex_of[a.sex],
                "father_id": animal_ids_by_ref.get(a.father) if a.father else None,
                "mother_id": animal_ids_by_ref.get(a.mother) if a.mother else None,
                "birth_date": a.birth_date, "birth_location": a.birth_location,
                "birth_location_latitude": a.birth_location_latitude,
                "birth_location_longitude": a.birth_location_longitude,
                "birth_location_accuracy": a.birth_location_accuracy,
            }  # fmt: skip

    def sample_rows():
        for s in samples:
            yield {
                "id": sample_ids[s.name], "owner_id": owner_id, "submission_id": submission.pk,
                "name": s.name, "alternative_id": s.alternative_id, "description": s.description,
                "publication_id": dois.get(s.publication_doi), "extra": extra_json(s.extra),
                "import_notes": notes_json(s.notes),
                "status": Status.LOADED, "accession": s.accession, "last_changed": now,
                "edited_at": None,
                "animal_id": animal_ids_by_ref[s.animal], "protocol": s.protocol,
                "collection_date": s.collection_date, "collection_place": s.collection_place,
                "collection_place_latitude": s.collection_place_latitude,
                "collection_place_longitude": s.collection_place_longitude,
                "collection_place_accuracy": s.collection_place_accuracy,
                "organism_part_id": part_of[s.organism_part],
                "developmental_stage_id": dev_of[s.developmental_stage],
                "physiological_stage_id": phys_of[s.physiological_stage],
                "animal_age_at_collection": s.animal_age_at_collection,
                "animal_age_at_collection_unit": s.animal_age_at_collection_unit,
                "availability": s.availability, "storage": s.storage,
                "storage_processing": s.storage_processing,
                "preparation_interval": s.preparation_interval,
                "preparation_interval_unit": s.preparation_interval_unit,
            }  # fmt: skip

    result.animals_updated = sum(1 for a in animals if a.name in existing_animals)
    result.animals_created = len(animals) - result.animals_updated
    result.samples_updated = sum(1 for s in samples if s.name in existing_samples)
    result.samples_created = len(samples) - result.samples_updated

    try:
        _copy(Animal, animal_rows(), upsert=bool(existing_animals))
        report("write", len(animals), len(animals) + len(samples))
        _copy(Sample, sample_rows(), upsert=bool(existing_samples))
        report("write", len(animals) + len(samples), len(animals) + len(samples))
        result.removed, result.kept_missing = _remove_missing(
            submission, animals, samples, existing_animals, existing_samples
        )
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        log.debug("foreign keys checked in %.1f s", time.monotonic() - started)
    except (IntegrityError, DataError) as exc:
        raise LoadError([f"the records break a rule of the database: {exc}".strip()]) from exc
    return result


def _breeds_upsert(
    breeds, animals, lookups, *, owner_id: int
) -> tuple[dict[tuple[str, int, int], int], int]:
    """(breed key, species id, country id) → breed id, creating the breeds that are new.

    A breed is matched whatever its capitals and spacing ("Merinolandschaf" is
    "merinolandschaf "): the first spelling met is the one kept. Confirmed breeds and the
    owner's own proposals are matched; a new breed is a proposal of the owner's, which no
    other curator's import sees until staff confirm it.
    """
    wanted: dict[tuple[str, int, int], tuple[str, BreedRecord | None]] = {}
    for b in breeds:
        name = " ".join(b.supplied_breed.split())
        key = (_key(name), lookups.species[b.species], lookups.countries[_key(b.country)])
        if key not in wanted or wanted[key][1] is None:
            wanted[key] = (wanted[key][0] if key in wanted else name, b)
    for a in animals:
        key = (_key(a.breed), lookups.species[a.species], lookups.countries[_key(a.country)])
        if key not in wanted:
            wanted[key] = (" ".join(a.breed.split()), None)
    species_ids = {k[1] for k in wanted}

    def known() -> dict[tuple[str, int, int], int]:
        rows = list(
            Breed.objects.filter(species_id__in=species_ids)
            .filter(Q(proposed_by__isnull=True) | Q(proposed_by_id=owner_id))
            .values_list("pk", "supplied_breed", "species_id", "country_id", "proposed_by_id")
        )
        # Later rows win: a confirmed breed over the owner's proposal, the oldest row first.
        rows.sort(key=lambda row: (row[4] is None, -row[0]))
        return {(_key(name), species, country): pk for pk, name, species, country, _ in rows}

    ids = known()
    new = sorted(key for key in wanted if key not in ids)
    now = timezone.now()
    if new:
        # In key order, as every import does: two imports adding the same new breeds
        # then wait for each other in turn instead of deadlocking.
        Breed.objects.bulk_create(
            [
                Breed(
                    supplied_breed=wanted[key][0],
                    species_id=key[1],
                    country_id=key[2],
                    mapped_breed=record.mapped_breed if (record := wanted[key][1]) else "",
                    mapped_breed_term=record.mapped_breed_term if record else "",
                    proposed_by_id=owner_id,
                    proposed_at=now,
                )
                for key in new
            ],
            ignore_conflicts=True,
        )
        before = len(ids)
        ids = known()
        created = len(ids) - before
    else:
        created = 0
    return ids, created


def _existing(model, submission) -> dict[str, tuple[int, str | None]]:
    return {
        name: (pk, accession)
        for pk, name, accession in model.objects.filter(submission=submission).values_list(
            "pk", "name", "accession"
        )
    }


def _check_accessions_free(submission, animals, samples) -> None:
    """An accession from the file must not belong to another record already.

    An accession is one BioSamples record, so it belongs to one record here. Another
    curator's record is not named: their data is theirs alone.
    """
    problems = []
    for model, items in ((Animal, animals), (Sample, samples)):
        given = {r.accession: r for r in items if r.accession}
        if not given:
            continue
        taken = model.objects.filter(accession__in=given).exclude(submission=submission)
        for accession, name, owner_id in taken.values_list("accession", "name", "owner_id"):
            record = given[accession]
            if owner_id == submission.owner_id:
                problems.append(
                    f"{_where(record)}accession {accession} of '{record.name}' already belongs "
                    f"to your record '{name}' in another submission"
                )
            else:
                problems.append(
                    f"{_where(record)}accession {accession} of '{record.name}' already belongs "
                    "to a record of another InjectTool user; an accession names one record"
                )
        for record in items:
            if record.accession and not ACCESSION_RE.match(record.accession):
                problems.append(
                    f"{_where(record)}'{record.accession}' is not a BioSamples accession"
                )
    if problems:
        raise LoadError(problems)


def _ids_for(model, names: list[str], existing) -> dict[str, int]:
    """Existing records keep their id; new ones take ids from the table's sequence."""
    new = [n for n in names if n not in existing]
    ids = {n: existing[n][0] for n in names if n in existing}
    if new:
        with connection.cursor() as cursor:
            # The sequence is looked up once: inside the series it would be per row.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(new)]
            )
            ids.update(zip(new, (row[0] for row in cursor.fetchall()), strict=True))
    return ids


def _copy(model, rows, *, upsert: bool) -> None:
    """COPY ``rows`` (dicts of column → value, all with the same columns) into the table."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    table = model._meta.db_table
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor: COPY from Python rows
        target = table
        if upsert:
            target = f"tmp_{table}"
            raw.execute(
                f"CREATE TEMP TABLE {target} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
        with raw.copy(f"COPY {target} ({cols}) FROM STDIN") as copy:
            copy.write_row(first.values())
            for row in rows:
                copy.write_row(row.values())
        if upsert:
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in _NOT_UPDATED)
            # Only our own table and column names are formatted into the statement.
            upsert_sql = f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {target} "  # noqa: S608
            raw.execute(upsert_sql + f"ON CONFLICT (id) DO UPDATE SET {updates}")
            raw.execute(f"DROP TABLE {target}")


def _remove_missing(submission, animals, samples, existing_animals, existing_samples):
    """Delete what the new file dropped, unless it has an accession (or a kept sample needs it)."""
    in_file_animals = {a.name for a in animals}
    in_file_samples = {s.name for s in samples}
    kept, drop_samples, drop_animals = [], [], []
    kept_sample_animals: set[int] = set()
    for name, (pk, accession) in existing_samples.items():
        if name in in_file_samples:
            continue
        if accession:
            kept.append(f"sample '{name}' ({accession})")
        else:
            drop_samples.append(pk)
    if drop_samples:
        Sample.objects.filter(pk__in=drop_samples).delete()
    kept_sample_animals = set(
        Sample.objects.filter(submission=submission, accession__isnull=False).values_list(
            "animal_id", flat=True
        )
    )
    needed = kept_sample_animals | {
        pk
        for name, (pk, accession) in existing_animals.items()
        if accession and name not in in_file_animals
    }
    # The parents of a kept animal stay too (a parent is never unlinked from its child).
    frontier = needed
    while frontier:
        parents = {
            parent
            for pair in Animal.objects.filter(pk__in=frontier).values_list("father_id", "mother_id")
            for parent in pair
            if parent is not None
        } - needed
        needed |= parents
        frontier = parents
    for name, (pk, accession) in existing_animals.items():
        if name in in_file_animals:
            continue
        if accession or pk in needed:
            kept.append(f"animal '{name}'" + (f" ({accession})" if accession else ""))
        else:
            drop_animals.append(pk)
    if drop_animals:
        Animal.objects.filter(pk__in=drop_animals).delete()
    return len(drop_samples) + len(drop_animals), sorted(kept)
