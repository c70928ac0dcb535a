"""Parsed records as an import stores them (for the parsers' tests)."""

from uid.records import AnimalRecord, SampleRecord
from uid.services.values import records_normalise


def as_stored(records: list, *, keep_notes: bool = False) -> list:
    """``records`` with their limited values put into IMAGE's words, as the loader does
    (uid.services.values); their notes dropped unless ``keep_notes``."""
    animals = [r for r in records if isinstance(r, AnimalRecord)]
    samples = [r for r in records if isinstance(r, SampleRecord)]
    records_normalise(animals, samples)
    if not keep_notes:
        for record in (*animals, *samples):
            record.notes = None
    return records
