"""The IMAGE attribute registry: what InjectTool knows of each IMAGE attribute, once.

An :class:`Attribute` joins a rule of the IMAGE ruleset (its name, type, requirement,
units, valid values and terms) to where the tool keeps the value: the field of
``uid.Animal`` or ``uid.Sample`` (or the lookup through the record's submission, breed
or owner), its unit field and the dictionary model whose terms it holds. The parsers,
the Excel template, the loader and (later) validation and the BioSamples document
builder read it here rather than keep their own copies.

The ruleset is data: ``validation/data/sample_ruleset.json``, the IMAGE sample metadata
rules of the IMAGE-metadata project
(https://github.com/bioinformatics-ptp/IMAGE-metadata, Apache-2.0). A new ruleset
version is a data change: requirements, descriptions, units, values and terms come from
the file. What this module adds is what the file cannot say: where each attribute is
stored, and the words the importers accept for a sex.

This module imports no app of the project, so that every app may read it; models are
named by their label ("uid.Sex") and looked up only when asked for.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Field, Model

RULESET_PATH = Path(__file__).resolve().parent / "data" / "sample_ruleset.json"

# Record kinds, and the model each kind's records are.
ANIMAL = "animal"
SAMPLE = "sample"
KINDS = (ANIMAL, SAMPLE)
RECORD_MODELS = {ANIMAL: "uid.Animal", SAMPLE: "uid.Sample"}

# The ruleset's groups: "standard" (no condition) applies to both kinds, the others to
# the records whose Material is their condition's value.
_KINDS_BY_MATERIAL = {"organism": (ANIMAL,), "specimen from organism": (SAMPLE,)}

# Requirements, as the ruleset's "Required" spells them.
MANDATORY = "mandatory"
RECOMMENDED = "recommended"
OPTIONAL = "optional"

# --- The shared vocabulary ----------------------------------------------------------

# A BioSamples accession. Anchored at both ends, so that match, search and fullmatch all
# ask for the whole text; ASCII digits only.
ACCESSION_RE = re.compile(r"\ASAM(?:N|D|EA)[0-9]+\Z")

UNKNOWN_SEX = "record of unknown sex"
# The ruleset lists the sex terms by id only; these are their labels (uid/data/sexes.json
# seeds the same three).
SEX_LABELS = {
    "PATO_0000384": "male",
    "PATO_0000383": "female",
    "OBI_0000858": UNKNOWN_SEX,
}
# Every word an importer reads as a sex, in lower case (casefold): English and French
# words and letters (CRB-Anim, Cryoweb), the labels and the term ids (the template).
# A plain dict, so that a parser's per-row look-up is one dict look-up.
SEX_WORDS: dict[str, str] = {
    "m": "male",
    "male": "male",
    "mâle": "male",
    "f": "female",
    "female": "female",
    "femelle": "female",
    "u": UNKNOWN_SEX,
    "unknown": UNKNOWN_SEX,
    "inconnu": UNKNOWN_SEX,
    "not determined": UNKNOWN_SEX,
    "undetermined": UNKNOWN_SEX,
    **{label.casefold(): label for label in SEX_LABELS.values()},
    **{term.casefold(): label for term, label in SEX_LABELS.items()},
}

# The breed root of each livestock species in the Livestock Breed Ontology: a mapped
# breed of an animal of the species lies below it (uid/data/species.json seeds the same
# roots as the species' general breed).
BREED_ROOTS = {
    "NCBITaxon_9913": "LBO_0000001",  # Bos taurus: cattle breed
    "NCBITaxon_9031": "LBO_0000002",  # Gallus gallus: chicken breed
    "NCBITaxon_9823": "LBO_0000003",  # Sus scrofa: pig breed
    "NCBITaxon_9940": "LBO_0000004",  # Ovis aries: sheep breed
    "NCBITaxon_9796": "LBO_0000713",  # Equus caballus: horse breed
    "NCBITaxon_9925": "LBO_0000954",  # Capra hircus: goat breed
    "NCBITaxon_89462": "LBO_0001042",  # Bubalus bubalis: buffalo breed
}

# Availability's "valid values" in the ruleset are two placeholders (a mailto: address,
# a web link) and one real value; only the real one is a value to pick from a list.
AVAILABILITY_WORDS = ("no longer available",)

# IMAGE "Sample storage" by storage temperature (°C). -30 °C has no value of its own; the
# CRB-Anim mapping notes (Mapping_rules_CRB-Anim_InjectTool_v1.csv) put it with the
# -20 °C freezer, the freezer type a -30 °C store is.
STORAGE_BY_TEMPERATURE = {
    -196: "frozen, liquid nitrogen",
    -80: "frozen, -80 degrees Celsius freezer",
    -40: "frozen, -40 degrees Celsius freezer",
    -30: "frozen, -20 degrees Celsius freezer",
    -20: "frozen, -20 degrees Celsius freezer",
}


def sex_label(word: str) -> str | None:
    """The sex label ("male", "female", UNKNOWN_SEX) a word names; None for other words.

    Letter case and surrounding spaces do not count.
    """
    return SEX_WORDS.get(word.strip().casefold())


# --- Attributes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One of a rule's valid ontology terms."""

    term: str  # e.g. UBERON_0001062
    ontology: str  # e.g. UBERON
    include_root: bool  # the term itself is allowed
    allow_descendants: bool  # terms below it are allowed
    label: str = ""  # where the ruleset gives one


@dataclass(frozen=True, slots=True)
class Attribute:
    """One IMAGE attribute: its rule in the ruleset and where the tool keeps it."""

    name: str  # the ruleset rule's Name, e.g. "Sample storage"
    type: str  # text, number, date, limited value, ontology_id, uri or doi
    required: str  # MANDATORY, RECOMMENDED or OPTIONAL
    multiple: str  # the rule's "Allow Multiple": "no", "yes" or "max N"
    kinds: tuple[str, ...]  # the record kinds (ANIMAL, SAMPLE) whose groups have the rule
    # Where an animal's / a sample's value is: fields of its model, or Django lookups
    # through it ("submission__gene_bank_name"); empty where the tool keeps none (yet).
    animal_fields: tuple[str, ...] = ()
    sample_fields: tuple[str, ...] = ()
    unit_field: str = ""  # the field beside the value field that holds its unit
    dictionary: str = ""  # the model of the terms the value is one of, e.g. "uid.Sex"
    units: tuple[str, ...] = ()  # the rule's valid units (for dates: the formats)
    values: tuple[str, ...] = ()  # valid values (Sex: the labels of its three terms)
    choices: tuple[str, ...] = ()  # the values a curator picks from (not placeholders)
    terms: tuple[Term, ...] = ()  # valid ontology terms
    description: str = ""
    example: str = ""

    def fields(self, kind: str) -> tuple[str, ...]:
        """The fields (or lookups) of a ``kind`` record that hold this attribute."""
        return {ANIMAL: self.animal_fields, SAMPLE: self.sample_fields}[kind]

    def field(self, kind: str) -> str | None:
        """The field (or lookup) of a ``kind`` record that holds it; None if none does."""
        fields = self.fields(kind)
        return fields[0] if fields else None

    def model_field(self, kind: str) -> Field | None:
        """The model field itself for a ``kind`` record, following a lookup; or None.

        E.g. Gene bank name of an animal: ``Submission.gene_bank_name``.
        """
        path = self.field(kind)
        if path is None:
            return None
        from django.apps import apps

        model = apps.get_model(RECORD_MODELS[kind])
        *relations, last = path.split("__")
        for name in relations:
            model = model._meta.get_field(name).related_model
        return model._meta.get_field(last)

    def dictionary_model(self) -> type[Model] | None:
        """The dictionary model class (``uid.Sex`` → Sex), or None."""
        if not self.dictionary:
            return None
        from django.apps import apps

        return apps.get_model(self.dictionary)


@dataclass(frozen=True, slots=True)
class _Stored:
    animal: tuple[str, ...] = ()
    sample: tuple[str, ...] = ()
    unit_field: str = ""
    dictionary: str = ""


def _both(path: str, *, dictionary: str = "") -> _Stored:
    return _Stored(animal=(path,), sample=(path,), dictionary=dictionary)


def _animal(*paths: str, dictionary: str = "") -> _Stored:
    return _Stored(animal=paths, dictionary=dictionary)


def _sample(path: str, *, unit_field: str = "", dictionary: str = "") -> _Stored:
    return _Stored(sample=(path,), unit_field=unit_field, dictionary=dictionary)


_NOT_STORED = _Stored()
_OWNER_PROFILE = "owner__profile__"
_ORGANISATION = "submission__organisation__"

# Where the tool keeps each attribute, by the ruleset rule it is. Every rule named here
# must be in the ruleset (checked when it is loaded).
_STORED: dict[str, _Stored] = {
    # standard: every record
    "Data source ID": _both("name"),
    "Alternative id": _both("alternative_id"),
    "Description": _both("description"),
    "Project": _NOT_STORED,  # always "IMAGE"
    "Submission title": _both("submission__title"),
    "Submission description": _both("submission__description"),
    "Material": _NOT_STORED,  # the record's kind
    # The submitter is the record's owner (accounts.Profile: "what IMAGE asks of a
    # submitter beyond the user account").
    "Person last name": _both("owner__last_name"),
    "Person initial": _both(f"{_OWNER_PROFILE}initials"),
    "Person first name": _both("owner__first_name"),
    "Person email": _both("owner__email"),
    "Person affiliation": _both(f"{_OWNER_PROFILE}affiliation", dictionary="uid.Organisation"),
    "Person role": _both(f"{_OWNER_PROFILE}role", dictionary="uid.Role"),
    "Organization name": _both("submission__organisation", dictionary="uid.Organisation"),
    "Organization address": _both(f"{_ORGANISATION}address"),
    "Organization uri": _both(f"{_ORGANISATION}uri"),
    "Organization country": _both(f"{_ORGANISATION}country", dictionary="uid.Country"),
    "Organization role": _both(f"{_ORGANISATION}role", dictionary="uid.Role"),
    "Publication DOI": _both("publication", dictionary="uid.Publication"),
    "Gene bank name": _both("submission__gene_bank_name"),
    "Gene bank country": _both("submission__gene_bank_country", dictionary="uid.Country"),
    "Data source type": _both("submission__datasource_type"),
    "Data source version": _both("submission__datasource_version"),
    # A sample's species is its animal's.
    "Species": _Stored(animal=("species",), sample=("animal__species",), dictionary="uid.Species"),
    # organism: animals
    "Child of": _animal("father", "mother"),
    "Supplied breed": _animal("breed", dictionary="uid.Breed"),
    "EFABIS Breed country": _animal("breed__country", dictionary="uid.Country"),
    "Mapped breed": _animal("breed__mapped_breed"),
    "Sex": _animal("sex", dictionary="uid.Sex"),
    "Birth date": _animal("birth_date"),
    "Birth location": _animal("birth_location"),
    "Birth location longitude": _animal("birth_location_longitude"),
    "Birth location latitude": _animal("birth_location_latitude"),
    "Birth location accuracy": _animal("birth_location_accuracy"),
    # specimen from organism: samples
    "Derived from": _sample("animal"),
    "Specimen collection protocol": _sample("protocol"),
    "Collection date": _sample("collection_date"),
    "Collection place latitude": _sample("collection_place_latitude"),
    "Collection place longitude": _sample("collection_place_longitude"),
    "Collection place": _sample("collection_place"),
    "Collection place accuracy": _sample("collection_place_accuracy"),
    "Organism part": _sample("organism_part", dictionary="uid.OrganismPart"),
    "Developmental stage": _sample("developmental_stage", dictionary="uid.DevelopmentalStage"),
    "Physiological stage": _sample("physiological_stage", dictionary="uid.PhysiologicalStage"),
    "Animal age at collection": _sample(
        "animal_age_at_collection", unit_field="animal_age_at_collection_unit"
    ),
    "Availability": _sample("availability"),
    "Sample storage": _sample("storage"),
    "Sample storage processing": _sample("storage_processing"),
    "Sampling to preparation interval": _sample(
        "preparation_interval", unit_field="preparation_interval_unit"
    ),
}


def ruleset_load(path: Path) -> tuple[dict, tuple[Attribute, ...]]:
    """The ruleset at ``path`` and its attributes: one per rule, in the file's order.

    A ruleset without a rule this module names is an operator error (the file is shipped
    data): RuntimeError naming the file and the rule.
    """
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    rules: dict[str, dict] = {}
    kinds: dict[str, list[str]] = {}
    for group in data["rule_groups"]:
        condition = (group.get("condition") or {}).get("attribute_value_match") or {}
        if condition:
            group_kinds = _KINDS_BY_MATERIAL.get(condition.get("Material", ""), ())
        else:
            group_kinds = KINDS
        for rule in group["rules"]:
            rules.setdefault(rule["Name"], rule)
            seen = kinds.setdefault(rule["Name"], [])
            seen.extend(kind for kind in group_kinds if kind not in seen)
    for name in _STORED:
        if name not in rules:
            raise RuntimeError(f"the ruleset {path} has no rule {name!r}")
    attributes = tuple(
        _attribute(rule, kinds=tuple(kind for kind in KINDS if kind in kinds[name]))
        for name, rule in rules.items()
    )
    return data, attributes


def _attribute(rule: dict, *, kinds: tuple[str, ...]) -> Attribute:
    name = rule["Name"]
    stored = _STORED.get(name, _NOT_STORED)
    terms = tuple(
        Term(
            term=term["term"],
            ontology=term.get("ontology_name", ""),
            include_root=bool(term.get("include_root")),
            allow_descendants=bool(term.get("allow_descendants")),
            label=term.get("label", ""),
        )
        for term in rule.get("Valid terms", ())
    )
    if name == "Sex":
        values = tuple(SEX_LABELS.get(term.term, term.term) for term in terms)
    else:
        values = tuple(rule.get("Valid values", ()))
    if name == "Availability":
        choices = tuple(value for value in values if value in AVAILABILITY_WORDS)
    else:
        choices = values
    return Attribute(
        name=name,
        type=rule["Type"],
        required=rule.get("Required", OPTIONAL),
        multiple=str(rule.get("Allow Multiple", "no")),
        kinds=kinds,
        animal_fields=stored.animal if ANIMAL in kinds else (),
        sample_fields=stored.sample if SAMPLE in kinds else (),
        unit_field=stored.unit_field,
        dictionary=stored.dictionary,
        units=tuple(rule.get("Valid units", ())),
        values=values,
        choices=choices,
        terms=terms,
        description=rule.get("Description", ""),
        example=str(rule.get("Example", "")),
    )


@functools.cache
def _loaded() -> tuple[dict, tuple[Attribute, ...], dict[str, Attribute]]:
    data, found = ruleset_load(RULESET_PATH)
    return data, found, {attribute.name: attribute for attribute in found}


def ruleset() -> dict:
    """The IMAGE ruleset as the JSON file has it (read once)."""
    return _loaded()[0]


def ruleset_name() -> str:
    """A short name of the ruleset, e.g. for the template's description sheet."""
    data = ruleset()
    return str(data.get("name") or data.get("description") or "IMAGE ruleset")


def attributes(kind: str | None = None) -> tuple[Attribute, ...]:
    """Every attribute of the ruleset, or those of one record kind, in the file's order."""
    found = _loaded()[1]
    if kind is None:
        return found
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a record kind: {', '.join(KINDS)}")
    return tuple(attribute for attribute in found if kind in attribute.kinds)


def attribute(name: str) -> Attribute:
    """The attribute of a ruleset rule name (KeyError for a name the ruleset lacks)."""
    return _loaded()[2][name]


def by_field(kind: str, field: str) -> Attribute | None:
    """The attribute a field of a ``kind`` record holds (its value or its unit), or None."""
    for candidate in attributes(kind):
        if field in candidate.fields(kind) or (field and field == candidate.unit_field):
            return candidate
    return None


@functools.cache
def storage_values() -> tuple[str, ...]:
    """IMAGE "Sample storage" values, in the ruleset's spelling and order."""
    return attribute("Sample storage").values
