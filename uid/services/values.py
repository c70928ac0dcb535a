"""An import never changes what a file says without saying so.

Parsers pass the values of limited IMAGE attributes (sex, the accuracies, storage,
storage processing, organism part) as the file writes them; here, once for every format,
each is put into IMAGE's words where a known spelling, synonym or abbreviation says
which (the vocabulary is validation.registry's), and every such change is a note on the
record. A value that cannot be put into IMAGE's words is kept as supplied (a sex, which
is a dictionary term, becomes "record of unknown sex") with a note that says so;
validation turns those into findings. Parsers add notes of their own (rows that
disagree about one animal). The notes are stored on the record (``import_notes``) and
counted in the import's message.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from uid.records import AnimalRecord, SampleRecord
from validation.registry import (
    AVAILABILITY_WORDS,
    STORAGE_BY_TEMPERATURE,
    UNKNOWN_SEX,
    attribute,
    sex_label,
)

# Kinds of note.
MAPPED = "mapped"  # put into IMAGE's words: what the file said is in ``supplied``
KEPT = "kept"  # not an IMAGE value: kept as supplied (a sex: stored as unknown)
CONFLICT = "conflict"  # rows of the file disagree about one record (parsers add these)

# Other words for organism parts, as files write them, and the dictionary's label.
ORGANISM_PART_SYNONYMS = {
    "sperm": "semen",
    "spermatozoa": "semen",
    "spermatozoon": "semen",
    "whole blood": "blood",
}

# A storage temperature as files write it: "-80°C", "-80 °C", "−196 C", "-20.0 degrees".
_TEMPERATURE_RE = re.compile(r"^([-+]?\d+)(?:[.,]0+)?\s*(?:°|º|deg|degrees)?\s*c?$", re.IGNORECASE)

Normaliser = Callable[[str], tuple[str, dict | None]]


def note(field_name: str, supplied: str, stored: str, kind: str, why: str = "") -> dict:
    """One note as the record keeps it (JSON)."""
    entry = {"field": field_name, "kind": kind, "supplied": supplied, "stored": stored}
    if why:
        entry["why"] = why
    return entry


def note_add(record, entry: dict) -> None:
    """Add a note to a canonical record (its list is made on the first)."""
    if record.notes is None:
        record.notes = [entry]
    else:
        record.notes.append(entry)


# --- One normaliser per attribute ---------------------------------------------------------


def _same_word(a: str, b: str) -> bool:
    """Only letter case and spacing differ: the file says the same (no note)."""
    return " ".join(a.split()).casefold() == b.casefold()


def _sex(value: str) -> tuple[str, dict | None]:
    label = sex_label(value) if value else None
    if label is not None and _same_word(value, label):
        return label, None
    if label is not None:
        return label, note("sex", value, label, MAPPED)
    why = "the file gives no sex" if not value.strip() else "not a sex IMAGE knows"
    return UNKNOWN_SEX, note("sex", value, UNKNOWN_SEX, KEPT, why)


def _limited(field_name: str, rule: str, synonyms: dict[str, str] | None = None) -> Normaliser:
    values = attribute(rule).values
    known = {value.casefold(): value for value in values}
    known.update({word.casefold(): label for word, label in (synonyms or {}).items()})

    def normalise(value: str) -> tuple[str, dict | None]:
        if not value or value in values:
            return value, None
        label = known.get(" ".join(value.split()).casefold())
        if label is not None:
            return label, None if _same_word(value, label) else note(
                field_name, value, label, MAPPED
            )
        return value, note(field_name, value, value, KEPT, f"not one of the {rule} values")

    return normalise


def _storage() -> Normaliser:
    limited = _limited("storage", "Sample storage")

    def normalise(value: str) -> tuple[str, dict | None]:
        stored, entry = limited(value)
        if entry is None or entry["kind"] == MAPPED:
            return stored, entry
        compact = value.replace("\u2212", "-").replace("\u2013", "-").replace(" ", "")
        match = _TEMPERATURE_RE.match(compact)
        label = STORAGE_BY_TEMPERATURE.get(int(match.group(1))) if match else None
        if label is not None:
            return label, note("storage", value, label, MAPPED)
        return stored, entry

    return normalise


def _availability(value: str) -> str:
    """Its one listed word in the ruleset's spelling (the rest are addresses, as given)."""
    if value and _same_word(value, _NO_LONGER_AVAILABLE):
        return _NO_LONGER_AVAILABLE
    return value


_NO_LONGER_AVAILABLE = AVAILABILITY_WORDS[0]


def _organism_part(value: str) -> tuple[str, dict | None]:
    label = ORGANISM_PART_SYNONYMS.get(" ".join(value.split()).casefold())
    if label is None:
        return value, None
    return label, note("organism_part", value, label, MAPPED)


@dataclass
class Notes:
    """What the notes of one import come to, for its message."""

    counts: Counter = field(default_factory=Counter)  # (kind, field) -> records
    conflicts: list[str] = field(default_factory=list)  # "animal 'A1': ..." texts

    def add(self, kind_name: str, record, notes: list[dict]) -> None:
        for entry in notes:
            self.counts[(entry["kind"], entry["field"])] += 1
            if entry["kind"] == CONFLICT:
                self.conflicts.append(f"{kind_name} '{record.name}': {entry['why']}")


def records_normalise(animals: Sequence[AnimalRecord], samples: Sequence[SampleRecord]) -> Notes:
    """Put the records' limited values into IMAGE's words, noting every change.

    Hundreds of thousands of records and a handful of distinct values: each distinct
    value is normalised once, its note is one shared dict, and notes are counted per
    distinct value (this runs inside every import: keep it to dict look-ups).
    """
    summary = Notes()
    for a in animals:
        if a.notes:  # a parser's own (rows that disagree)
            summary.add("animal", a, a.notes)
    jobs = (
        (animals, "sex", _sex),
        (animals, "birth_location_accuracy",
         _limited("birth_location_accuracy", "Birth location accuracy")),
        (samples, "collection_place_accuracy",
         _limited("collection_place_accuracy", "Collection place accuracy")),
        (samples, "storage", _storage()),
        (samples, "storage_processing",
         _limited("storage_processing", "Sample storage processing")),
        (samples, "organism_part", _organism_part),
    )  # fmt: skip
    for records, name, normalise in jobs:
        seen: dict[str, tuple[str, dict | None]] = {}
        noted: dict[str, int] = {}  # value -> records whose value it is, where it has a note
        for record in records:
            value = getattr(record, name)
            found = seen.get(value)
            if found is None:
                found = seen[value] = normalise(value)
            stored, entry = found
            if stored is not value:
                setattr(record, name, stored)
            if entry is not None:
                notes = record.notes
                if notes is None:
                    record.notes = [entry]
                else:
                    notes.append(entry)
                noted[value] = noted.get(value, 0) + 1
        for value, n in noted.items():
            entry = seen[value][1]
            summary.counts[(entry["kind"], entry["field"])] += n
    for record in samples:
        record.availability = _availability(record.availability)
    return summary


# How the message names a field.
_FIELD_NAMES = {
    "sex": "sex",
    "birth_location_accuracy": "birth location accuracy",
    "collection_place_accuracy": "collection place accuracy",
    "storage": "sample storage",
    "storage_processing": "sample storage processing",
    "organism_part": "organism part",
}
_LISTED = 20


def notes_message(summary: Notes) -> str:
    """The sentences an import's message adds for its notes ("" when there are none)."""

    def counted(kind: str) -> str:
        parts = [
            f"{_FIELD_NAMES.get(name, name.replace('_', ' '))} {n:,}"
            for (k, name), n in sorted(summary.counts.items())
            if k == kind
        ]
        return ", ".join(parts)

    sentences = []
    mapped, kept = counted(MAPPED), counted(KEPT)
    if mapped:
        sentences.append(
            f"Mapped to IMAGE values (each record notes what the file said): {mapped}."
        )
    if kept:
        sentences.append(f"Not IMAGE values, kept as the file gives them (to correct): {kept}.")
    if summary.conflicts:
        listed = "; ".join(summary.conflicts[:_LISTED])
        more = len(summary.conflicts) - _LISTED
        sentences.append(
            "Rows that disagree about one record: "
            + listed
            + (f"; and {more:,} more" if more > 0 else "")
            + "."
        )
    return " ".join(sentences)
