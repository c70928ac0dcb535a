"""Canonical records: what every format parser yields and the bulk loader takes.

Names are the keys: an animal names its parents, a sample names its animal, and an
animal names its breed by (supplied breed, species word, country). Words are kept as
the file spells them; the loader resolves them against the dictionaries (species
words through the language app). ``source`` says where in the file a record came
from ("line 42", "sheet animal, row 7") so that every message can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ParseError(Exception):
    """A file that cannot be read as its format: says which file, where, and why.

    Parsers raise only this (hypothesis tests hold them to it).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        row: int | None = None,
        sheet: str | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.row = row  # the spreadsheet's row (a CSV record: line breaks in quotes count once)
        self.sheet = sheet
        self.column = column
        self.value = value  # the cell as the file gives it, where one is to blame
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.located(with_file=True)

    def located(self, *, with_file: bool) -> str:
        """The message after where it happened (the file's name too, if ``with_file``)."""
        where = [self.file] if self.file and with_file else []
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.row is not None and self.line is not None and self.line != self.row:
            where.append(f"row {self.row} (line {self.line})")
        elif self.row is not None:
            where.append(f"row {self.row}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


MAX_PROBLEMS = 50  # problems a message lists; the rest are counted
MAX_KEPT = 10_000  # problems kept for the list a curator downloads; the rest are counted


def problem_row(problem: ParseError) -> dict:
    """One problem as the downloadable list holds it."""
    return {
        "row": problem.row, "line": problem.line, "sheet": problem.sheet,
        "column": problem.column, "value": problem.value, "problem": problem.message,
    }  # fmt: skip


def problem_rows(error: ParseError) -> tuple[list[dict], int]:
    """Every problem a ParseError holds (one, or ParseProblems' kept ones) and the total."""
    if isinstance(error, ParseProblems):
        return [problem_row(p) for p in error.problems], error.total
    return [problem_row(error)], 1


def problem_list(problems: list[str], *, total: int | None = None) -> str:
    """The first MAX_PROBLEMS of ``total`` problems, one per line, then how many more.

    The one layout of every message that lists problems (a parser's, the loader's).
    """
    total = len(problems) if total is None else total
    shown = problems[:MAX_PROBLEMS]
    lines = [f"- {problem}" for problem in shown]
    if total > len(shown):
        lines.append(f"- and {total - len(shown)} more")
    return "\n".join(lines)


class ParseProblems(ParseError):
    """Several rows of one file are wrong: all of them are reported at once, so that the
    curator fixes the file in one go (the first MAX_PROBLEMS are listed)."""

    def __init__(self, problems: list[ParseError], *, total: int, file: str) -> None:
        self.problems = problems  # up to MAX_KEPT; the message lists MAX_PROBLEMS
        self.total = total
        self.heading = f"{file}: {total} problems" if file else f"{total} problems"
        first = problems[0]
        super().__init__(
            problem_list(
                [problem.located(with_file=False) for problem in problems[:MAX_PROBLEMS]],
                total=total,
            ),
            file=file, line=first.line, row=first.row, sheet=first.sheet, column=first.column,
        )  # fmt: skip

    def located(self, *, with_file: bool) -> str:
        heading = self.heading if with_file else f"{self.total} problems"
        return f"{heading}:\n{self.message}"


class RowProblems:
    """Collects the problems of single rows while a parser goes on with the next row.

    A parser catches the ParseError of a row, ``add``s it and skips the row; at the end
    ``raise_any`` raises the one problem as it was, or ParseProblems for several.
    Problems of the file as a whole (not a workbook, a cut-off dump) still stop at once.
    """

    def __init__(self, *, file: str) -> None:
        self.file = file
        self.problems: list[ParseError] = []
        self.total = 0
        self._seen: set[str] = set()

    def add(self, problem: ParseError) -> None:
        """Count ``problem`` once (rows that share a broken row elsewhere raise the same)."""
        text = str(problem)
        if text in self._seen:
            return
        self._seen.add(text)
        self.total += 1
        if len(self.problems) < MAX_KEPT:
            self.problems.append(problem)

    def raise_any(self) -> None:
        if self.total == 1:
            raise self.problems[0]
        if self.total > 1:
            raise ParseProblems(self.problems, total=self.total, file=self.file)


@dataclass(slots=True)
class BreedRecord:
    supplied_breed: str
    species: str  # a species word in any language, or a scientific name
    country: str  # country label, e.g. "Germany" (EFABIS breed country)
    mapped_breed: str = ""
    mapped_breed_term: str = ""
    source: str = ""


@dataclass(slots=True)
class AnimalRecord:
    name: str  # Data source ID, unique within the file
    breed: str  # supplied breed name
    species: str  # species word, resolved by the loader
    country: str  # EFABIS breed country label
    sex: str  # as the file writes it; the loader puts it into IMAGE's words (values.py)
    father: str | None = None  # name of another animal of the file, or an accession
    mother: str | None = None
    alternative_id: str = ""
    description: str = ""
    birth_date: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY
    birth_location: str = ""
    birth_location_latitude: float | None = None
    birth_location_longitude: float | None = None
    birth_location_accuracy: str = "missing geographic information"
    accession: str | None = None  # an existing BioSamples record this one is
    publication_doi: str = ""
    extra: dict = field(default_factory=dict)
    source: str = ""
    # What the import changed or could not use, as uid.services.values notes it (None:
    # nothing; most records have no note, and a list each would cost memory).
    notes: list | None = None


@dataclass(slots=True)
class SampleRecord:
    name: str  # Data source ID, unique within the file
    animal: str  # name of an animal of the file, or an accession
    organism_part: str  # label, e.g. "semen"
    alternative_id: str = ""
    description: str = ""
    protocol: str = ""
    collection_date: str = ""
    collection_place: str = ""
    collection_place_latitude: float | None = None
    collection_place_longitude: float | None = None
    collection_place_accuracy: str = "missing geographic information"
    developmental_stage: str = ""
    physiological_stage: str = ""
    animal_age_at_collection: float | None = None
    animal_age_at_collection_unit: str = ""
    availability: str = ""
    storage: str = ""
    storage_processing: str = ""
    preparation_interval: float | None = None
    preparation_interval_unit: str = ""
    accession: str | None = None
    publication_doi: str = ""
    extra: dict = field(default_factory=dict)
    source: str = ""
    # What the import changed or could not use, as uid.services.values notes it (None:
    # nothing; most records have no note, and a list each would cost memory).
    notes: list | None = None


Record = BreedRecord | AnimalRecord | SampleRecord
