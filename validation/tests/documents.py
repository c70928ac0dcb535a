"""Small BioSamples-shaped documents for the engine's tests, and the shipped terms.

``animal()`` and ``sample()`` are complete records with every mandatory and recommended
attribute, which pass; a test changes the attributes it is about: a value to replace one,
None to leave one out.
"""

from __future__ import annotations

import json
from typing import Any

from validation.terms import TERMS_PATH, TermInfo, term_iri

# The shipped term table as the engine reads it, without a database.
TERMS: dict[str, TermInfo] = {
    row["id"]: TermInfo(
        id=row["id"],
        label=row["label"],
        synonyms=tuple(row["synonyms"]),
        ancestors=frozenset(row["ancestors"]),
        obsolete=bool(row.get("obsolete", False)),
    )
    for row in json.loads(TERMS_PATH.read_text(encoding="utf-8"))
}


def value(text: Any, term: str | None = None, unit: str | None = None) -> list[dict]:
    """One value of a characteristic, as a list of one."""
    found: dict[str, Any] = {"text": text}
    if term:
        found["ontologyTerms"] = [term_iri(term)]
    if unit:
        found["unit"] = unit
    return [found]


def _standard(name: str, material: str, material_term: str) -> dict[str, list]:
    return {
        "Data source ID": value(name),
        "Alternative id": value(f"alt-{name}"),
        "Description": value("a record of the tests"),
        "Project": value("IMAGE"),
        "Submission title": value("Italian pigs"),
        "Submission description": value("pigs of the tests"),
        "Material": value(material, material_term),
        "Person last name": value("Cozzi"),
        "Person initial": value("P"),
        "Person first name": value("Paolo"),
        "Person email": value("mailto:paolo@example.org"),
        "Person affiliation": value("IBBA-CNR"),
        "Person role": value("submitter", "EFO_0001741"),
        "Organization name": value("IBBA-CNR"),
        "Organization address": value("Via Bassini 15, Milano"),
        "Organization uri": value("https://www.ibba.cnr.it/"),
        "Organization country": value("Italy", "NCIT_C16761"),
        "Organization role": value("biomaterial provider", "EFO_0001729"),
        "Publication DOI": value("10.1139/o09-005"),
        "Gene bank name": value("Cryoweb IT"),
        "Gene bank country": value("Italy", "NCIT_C16761"),
        "Data source type": value("CryoWeb"),
        "Data source version": value("2018-04-27"),
        "Species": value("Sus scrofa", "NCBITaxon_9823"),
    }


def _document(name: str, characteristics: dict, changes: dict, **fields: Any) -> dict:
    for attribute, changed in changes.items():
        if changed is None:
            characteristics.pop(attribute, None)
        else:
            characteristics[attribute] = changed
    return {"name": name, "taxId": 9823, "characteristics": characteristics, **fields}


def animal(
    name: str = "animal_1",
    changes: dict | None = None,
    *,
    parents: tuple[str, ...] = (),
    sex: str = "male",
    **fields: Any,
) -> dict:
    """A complete animal (a pig, male unless ``sex`` says otherwise)."""
    sex_term = {"male": "PATO_0000384", "female": "PATO_0000383"}.get(sex, "OBI_0000858")
    characteristics = _standard(name, "organism", "OBI_0100026") | {
        "Supplied breed": value("Duroc"),
        "EFABIS Breed country": value("Italy"),
        "Mapped breed": value("Duroc", "LBO_0000358"),
        "Sex": value(sex, sex_term),
        "Birth date": value("2015-03-01", unit="YYYY-MM-DD"),
        "Birth location": value("Siena"),
        "Birth location longitude": value("11.33", unit="decimal degrees"),
        "Birth location latitude": value("43.32", unit="decimal degrees"),
        "Birth location accuracy": value("precise coordinates"),
    }
    relationships = [{"source": name, "type": "child of", "target": p} for p in parents]
    fields.setdefault("relationships", relationships)
    return _document(name, characteristics, changes or {}, **fields)


def sample(
    name: str = "sample_1",
    changes: dict | None = None,
    *,
    animals: tuple[str, ...] = ("animal_1",),
    **fields: Any,
) -> dict:
    """A complete semen sample of ``animals`` (one, normally)."""
    characteristics = _standard(name, "specimen from organism", "OBI_0001479") | {
        "Specimen collection protocol": value("https://example.org/protocol.pdf"),
        "Collection date": value("2019-06-02", unit="YYYY-MM-DD"),
        "Collection place latitude": value("43.32", unit="decimal degrees"),
        "Collection place longitude": value("11.33", unit="decimal degrees"),
        "Collection place": value("Siena"),
        "Collection place accuracy": value("precise coordinates"),
        "Organism part": value("semen", "UBERON_0001968"),
        "Developmental stage": value("adult", "EFO_0001272"),
        "Physiological stage": value("mature", "PATO_0001701"),
        "Animal age at collection": value(3, unit="years"),
        "Availability": value("mailto:genebank@example.org"),
        "Sample storage": value("frozen, liquid nitrogen"),
        "Sample storage processing": value("cryopreservation of live cells in liquid nitrogen"),
        "Sampling to preparation interval": value("2", unit="hours"),
    }
    relationships = [{"source": name, "type": "derived from", "target": a} for a in animals]
    fields.setdefault("relationships", relationships)
    return _document(name, characteristics, changes or {}, **fields)


def findings_of(results: dict, name: str) -> list[tuple[str, str, str]]:
    """(severity, field, message) of one record's findings."""
    return [(found.severity, found.field, found.message) for found in results[name]]
