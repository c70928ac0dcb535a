"""An adapter from the old USI record format to the BioSamples document shape.

The IMAGE conformance cases (../shared/fixtures/image-validation-examples) are records
of the retired USI submission service: ``{"alias", "taxonId", "attributes": {Name:
[{"value", "units", "terms": [{"url"}]}]}, "sampleRelationships": [{"alias" or
"accession", "relationshipNature"}]}``. The engine reads BioSamples documents
(validation.engine), so the cases reach it through :func:`usi_documents`.
"""

from __future__ import annotations

from typing import Any


def usi_documents(data: Any) -> list[dict[str, Any]]:
    """The documents of USI records: one record, a list of them, or ``{"sample": [...]}``."""
    if isinstance(data, dict) and "alias" not in data and isinstance(data.get("sample"), list):
        data = data["sample"]
    records = data if isinstance(data, list) else [data]
    return [usi_document(record) for record in records]


def usi_document(record: dict[str, Any]) -> dict[str, Any]:
    """The BioSamples-shaped document of one USI record; its alias is its name."""
    name = record["alias"]
    document: dict[str, Any] = {
        "name": name,
        "characteristics": {
            attribute: [_value(value) for value in values]
            for attribute, values in (record.get("attributes") or {}).items()
        },
        "relationships": [
            {
                "source": name,
                "type": relationship.get("relationshipNature", ""),
                "target": relationship.get("alias") or relationship.get("accession") or "",
            }
            for relationship in record.get("sampleRelationships") or ()
        ],
    }
    if record.get("taxonId") is not None:
        document["taxId"] = record["taxonId"]
    if record.get("accession"):
        document["accession"] = record["accession"]
    return document


def _value(value: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {"text": value.get("value")}
    terms = [term["url"] for term in value.get("terms") or () if term.get("url")]
    if terms:
        converted["ontologyTerms"] = terms
    if value.get("units"):
        converted["unit"] = value["units"]
    return converted
