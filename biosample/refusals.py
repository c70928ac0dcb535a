"""Where a BioSamples refusal belongs: the IMAGE attribute its message is about, so that
the finding it becomes points the curator at the field to mend (the record's page, the
fix-all-alike form, or the submission's details for its release date)."""

from __future__ import annotations

import re

from validation import registry

# The server's messages (specs/biosamples.md, "Server checks"), by what they are about.
_TAXONOMY = "Validation of taxonomy failed"
_RELEASE = "Must provide release date"
_RELATIONSHIP = re.compile(r"^(Source|Target) of a relationship must be an accession")
_ACCESSION = "New sample submission should not contain an accession"
# A checklist error's path into the document: ".characteristics.organism[0].text".
_CHARACTERISTIC = re.compile(r"^\.characteristics\.([^.\[]+)")
_REQUIRED = re.compile(r"required property '([^']+)'")

# Not a record's own value: a finding under this name is mended on the submission's page
# (validation.selectors.finding_fix sends "Submission …" there).
RELEASE_FIELD = "Submission release date"
UNPLACED = "BioSamples"


def refusal_field(kind: str, message: str, errors: list[dict] | None = None) -> str:
    """The IMAGE attribute a refusal of a ``kind`` record is about, or "BioSamples" when
    its message names none."""
    for item in errors or []:
        path = item.get("dataPath") or ""
        named = _CHARACTERISTIC.match(path)
        if named:
            return _attribute_named(kind, named.group(1))
        for text in item.get("errors", []):
            required = _REQUIRED.search(text)
            if required and path == ".characteristics":
                return _attribute_named(kind, required.group(1))
            if required and required.group(1) == "name":
                return "Data source ID"
    if message.startswith(_TAXONOMY):
        return _attribute_named(kind, "organism")
    if message.startswith(_RELEASE):
        return RELEASE_FIELD
    if _RELATIONSHIP.match(message):
        return "Child of" if kind == registry.ANIMAL else "Derived from"
    if message.startswith(_ACCESSION):
        return "Data source ID"
    return UNPLACED


def _attribute_named(kind: str, characteristic: str) -> str:
    """The IMAGE attribute of a document characteristic (BioSamples' checklist names it in
    lower case: "organism"; our documents spell it as the ruleset does: "Organism")."""
    wanted = characteristic.casefold()
    if wanted == "organism":  # BioSamples' organism is IMAGE's species
        wanted = "species"
    for attribute in registry.attributes(kind):
        if attribute.name.casefold() == wanted:
            return attribute.name
    return UNPLACED
