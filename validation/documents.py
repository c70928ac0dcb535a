"""The BioSamples document of each record of a submission: what validation checks and
what the BioSamples work sends (one builder for both, so that what was checked is what
goes out).

A document (specs/biosamples.md): ``{"name", "accession"?, "taxId", "release",
"characteristics": {attribute: [{"text", "ontologyTerms"?, "unit"?}]}, "relationships":
[{"source", "type", "target"}]}``. The IMAGE attributes come from the registry (where the
tool keeps each); a relationship's target is the other record's accession once it has one,
else its name in the submission (the engine matches names; the submission step replaces
them with accessions, parents being submitted first).

Built for a whole submission at once: a handful of queries for the dictionaries and the
submission, then one pass over each record table; records are yielded one at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from validation import registry
from validation.terms import term_iri

MATERIAL = {
    registry.ANIMAL: ("organism", "OBI_0100026"),
    registry.SAMPLE: ("specimen from organism", "OBI_0001479"),
}
PROJECT = "IMAGE"
# BioSamples requires the species as "organism" (specs/biosamples.md).
SPECIES_KEY = "organism"
_DATE_UNITS = {4: "YYYY", 7: "YYYY-MM", 10: "YYYY-MM-DD"}


@dataclass(frozen=True)
class Built:
    """One record's document and what the tool knows of the record."""

    kind: str  # registry.ANIMAL or registry.SAMPLE
    pk: int
    document: dict
    import_notes: list


def _value(text, *, term: str = "", unit: str = "") -> dict:
    value: dict = {"text": str(text)}
    if term:
        value["ontologyTerms"] = [term_iri(term)]
    if unit:
        value["unit"] = unit
    return value


def _date_unit(text: str) -> str:
    return _DATE_UNITS.get(len(text), "")


def _number(number) -> str:
    """A number as BioSamples reads it: 12 rather than 12.0."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


class _Terms:
    """The dictionaries, read once: id → (label, term id)."""

    def __init__(self) -> None:
        from uid import models

        def table(model) -> dict[int, tuple[str, str]]:
            return {
                pk: (label, term)
                for pk, label, term in model.objects.values_list("pk", "label", "term")
            }

        self.species = table(models.Species)
        self.taxon = dict(models.Species.objects.values_list("pk", "taxon_id"))
        self.sex = table(models.Sex)
        self.country = table(models.Country)
        self.role = table(models.Role)
        self.part = table(models.OrganismPart)
        self.developmental = table(models.DevelopmentalStage)
        self.physiological = table(models.PhysiologicalStage)
        self.breed = {
            pk: (supplied, mapped, mapped_term, country_id)
            for pk, supplied, mapped, mapped_term, country_id in models.Breed.objects.values_list(
                "pk", "supplied_breed", "mapped_breed", "mapped_breed_term", "country_id"
            )
        }
        self.doi = dict(models.Publication.objects.values_list("pk", "doi"))


def _shared(submission, terms: _Terms) -> dict[str, list[dict]]:
    """The characteristics every record of the submission shares: the project, the
    submission, its submitter (the owner) and organisation, its gene bank."""
    from uid.models import DataSourceType

    owner = submission.owner
    profile = getattr(owner, "profile", None)
    found: dict[str, list[dict]] = {"Project": [_value(PROJECT)]}

    def put(name: str, text, **kwargs) -> None:
        if text not in (None, ""):
            found[name] = [_value(text, **kwargs)]

    def term(name: str, table: dict, pk) -> None:
        if pk is not None and pk in table:
            label, term_id = table[pk]
            put(name, label, term=term_id)

    put("Submission title", submission.title)
    put("Submission description", submission.description)
    put("Person last name", owner.last_name)
    put("Person first name", owner.first_name)
    put("Person email", f"mailto:{owner.email}" if owner.email else "")
    if profile is not None:
        put("Person initial", profile.initials)
        if profile.affiliation_id:
            put("Person affiliation", profile.affiliation.name)
        term("Person role", terms.role, profile.role_id)
    organisation = submission.organisation
    if organisation is not None:
        put("Organization name", organisation.name)
        put("Organization address", organisation.address)
        put("Organization uri", organisation.uri)
        term("Organization country", terms.country, organisation.country_id)
        term("Organization role", terms.role, organisation.role_id)
    put("Gene bank name", submission.gene_bank_name)
    term("Gene bank country", terms.country, submission.gene_bank_country_id)
    put("Data source type", DataSourceType(submission.datasource_type).label)
    put("Data source version", submission.datasource_version)
    return found


def _release(submission) -> str:
    day = submission.release_date or dt.date.today()
    return f"{day.isoformat()}T00:00:00Z"


def submission_documents(
    *, submission, kinds: tuple[str, ...] = (registry.ANIMAL, registry.SAMPLE), ids=None
) -> Iterator[Built]:
    """The documents of every record of ``submission``: its animals, then its samples
    (those of ``kinds``; with ``ids``, a collection of record ids, only those)."""
    from uid.models import Animal, Sample

    terms = _Terms()
    shared = _shared(submission, terms)
    release = _release(submission)
    # Every animal a record of the submission names: its own, and those of the owner's
    # other submissions named by accession.
    animals = {
        pk: (name, accession, species_id)
        for pk, name, accession, species_id in Animal.objects.filter(
            submission=submission
        ).values_list("pk", "name", "accession", "species_id")
    }
    outside = Animal.objects.filter(owner=submission.owner).exclude(submission=submission)
    outside_ids = (
        set(
            Animal.objects.filter(submission=submission, father__isnull=False)
            .exclude(father__submission=submission)
            .values_list("father_id", flat=True)
        )
        | set(
            Animal.objects.filter(submission=submission, mother__isnull=False)
            .exclude(mother__submission=submission)
            .values_list("mother_id", flat=True)
        )
        | set(
            Sample.objects.filter(submission=submission)
            .exclude(animal__submission=submission)
            .values_list("animal_id", flat=True)
        )
    )
    if outside_ids:
        animals.update(
            (pk, (name, accession, species_id))
            for pk, name, accession, species_id in outside.filter(pk__in=outside_ids).values_list(
                "pk", "name", "accession", "species_id"
            )
        )

    def target(pk: int) -> str:
        name, accession, _ = animals[pk]
        return accession or name

    base = ("pk", "name", "alternative_id", "description", "publication_id", "accession",
            "import_notes")  # fmt: skip
    animal_fields = (*base, "species_id", "breed_id", "sex_id", "father_id", "mother_id",
                     "birth_date", "birth_location", "birth_location_latitude",
                     "birth_location_longitude", "birth_location_accuracy")  # fmt: skip
    rows = Animal.objects.filter(submission=submission).order_by("pk").values_list(*animal_fields)
    if registry.ANIMAL not in kinds:
        rows = rows.none()
    elif ids is not None:
        rows = rows.filter(pk__in=ids)
    for row in rows.iterator(chunk_size=5_000):
        record = dict(zip(animal_fields, row, strict=True))
        document = _document(record, registry.ANIMAL, shared, release, terms)
        chars = document["characteristics"]
        _species(document, terms, record["species_id"])
        supplied, mapped, mapped_term, country_id = terms.breed[record["breed_id"]]
        chars["Supplied breed"] = [_value(supplied)]
        if country_id in terms.country:
            chars["EFABIS Breed country"] = [_value(terms.country[country_id][0])]
        if mapped:
            chars["Mapped breed"] = [_value(mapped, term=mapped_term)]
        label, term_id = terms.sex[record["sex_id"]]
        chars["Sex"] = [_value(label, term=term_id)]
        if record["birth_date"]:
            chars["Birth date"] = [
                _value(record["birth_date"], unit=_date_unit(record["birth_date"]))
            ]
        _place(chars, "Birth location", record["birth_location"],
               record["birth_location_latitude"], record["birth_location_longitude"],
               record["birth_location_accuracy"])  # fmt: skip
        for parent in ("father_id", "mother_id"):
            if record[parent] is not None and record[parent] in animals:
                document["relationships"].append(
                    {
                        "source": document["name"],
                        "type": "child of",
                        "target": target(record[parent]),
                    }
                )
        yield Built(registry.ANIMAL, record["pk"], document, record["import_notes"])

    sample_fields = (*base, "animal_id", "protocol", "collection_date", "collection_place",
                     "collection_place_latitude", "collection_place_longitude",
                     "collection_place_accuracy", "organism_part_id", "developmental_stage_id",
                     "physiological_stage_id", "animal_age_at_collection",
                     "animal_age_at_collection_unit", "availability", "storage",
                     "storage_processing", "preparation_interval",
                     "preparation_interval_unit")  # fmt: skip
    rows = Sample.objects.filter(submission=submission).order_by("pk").values_list(*sample_fields)
    if registry.SAMPLE not in kinds:
        rows = rows.none()
    elif ids is not None:
        rows = rows.filter(pk__in=ids)
    for row in rows.iterator(chunk_size=5_000):
        record = dict(zip(sample_fields, row, strict=True))
        document = _document(record, registry.SAMPLE, shared, release, terms)
        chars = document["characteristics"]
        animal = animals.get(record["animal_id"])
        if animal is not None:
            _species(document, terms, animal[2])
            document["relationships"].append(
                {
                    "source": document["name"],
                    "type": "derived from",
                    "target": target(record["animal_id"]),
                }
            )
        if record["protocol"]:
            chars["Specimen collection protocol"] = [_value(record["protocol"])]
        if record["collection_date"]:
            chars["Collection date"] = [
                _value(record["collection_date"], unit=_date_unit(record["collection_date"]))
            ]
        _place(chars, "Collection place", record["collection_place"],
               record["collection_place_latitude"], record["collection_place_longitude"],
               record["collection_place_accuracy"])  # fmt: skip
        for name, field, table in (
            ("Organism part", "organism_part_id", terms.part),
            ("Developmental stage", "developmental_stage_id", terms.developmental),
            ("Physiological stage", "physiological_stage_id", terms.physiological),
        ):
            if record[field] is not None and record[field] in table:
                label, term_id = table[record[field]]
                chars[name] = [_value(label, term=term_id)]
        for name, field in (
            ("Animal age at collection", "animal_age_at_collection"),
            ("Sampling to preparation interval", "preparation_interval"),
        ):
            if record[field] is not None:
                chars[name] = [_value(_number(record[field]), unit=record[f"{field}_unit"])]
        for name, field in (
            ("Availability", "availability"),
            ("Sample storage", "storage"),
            ("Sample storage processing", "storage_processing"),
        ):
            if record[field]:
                chars[name] = [_value(record[field])]
        yield Built(registry.SAMPLE, record["pk"], document, record["import_notes"])


def _document(record: dict, kind: str, shared: dict, release: str, terms: _Terms) -> dict:
    material, material_term = MATERIAL[kind]
    chars = {"Material": [_value(material, term=material_term)], **shared}
    chars["Data source ID"] = [_value(record["name"])]
    if record["alternative_id"]:
        chars["Alternative id"] = [_value(record["alternative_id"])]
    if record["description"]:
        chars["Description"] = [_value(record["description"])]
    if record["publication_id"] in terms.doi:
        chars["Publication DOI"] = [_value(terms.doi[record["publication_id"]])]
    document = {"name": record["name"], "release": release, "characteristics": chars,
                "relationships": []}  # fmt: skip
    if record["accession"]:
        document["accession"] = record["accession"]
    return document


def _species(document: dict, terms: _Terms, species_id: int) -> None:
    label, term_id = terms.species[species_id]
    document["characteristics"][SPECIES_KEY] = [_value(label, term=term_id)]
    document["taxId"] = terms.taxon[species_id]


def _place(chars: dict, name: str, text: str, latitude, longitude, accuracy: str) -> None:
    if text:
        chars[name] = [_value(text)]
    if latitude is not None:
        chars[f"{name} latitude"] = [_value(_number(latitude), unit="decimal degrees")]
    if longitude is not None:
        chars[f"{name} longitude"] = [_value(_number(longitude), unit="decimal degrees")]
    if accuracy:
        chars[f"{name} accuracy"] = [_value(accuracy)]
