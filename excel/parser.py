"""Read an IMAGE Excel template into canonical records (uid.records).

The workbook has the sheets ``breed``, ``animal`` and ``sample`` (other sheets, such as
the template's description, are ignored). Each sheet's first non-empty row is its
header; columns are found by name, ignoring letter case and surrounding spaces, and
columns the template does not know are kept in the records' ``extra``. The whole
workbook is read and checked (ids unique, references resolvable, every animal's breed
and species in the breed sheet) before the first record is handed out, so a consumer
never sees part of a workbook that is then refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from excel import columns as cols
from excel import xlsx
from excel.archive import DATA_ERRORS, Limits, limits, workbook_archive_check
from uid.records import (
    AnimalRecord,
    BreedRecord,
    ParseError,
    Record,
    RowProblems,
    SampleRecord,
)
from validation.registry import ACCESSION_RE

PROGRESS_EVERY = 1000

_DATE_TEXT = re.compile(
    r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?)?"
)
_NUMBER_TEXT = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?"
_NUMBER = re.compile(_NUMBER_TEXT)
_AMOUNT = re.compile(rf"({_NUMBER_TEXT})\s*(\D*?)")
_MIDNIGHT = dt.time(0, 0)
_REPEATING = (cols.LIMITED, cols.AGE)  # column kinds whose values repeat: worth a cache
_CACHE_SIZE = 10_000


def parse_workbook(
    stream: BinaryIO,
    *,
    filename: str,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    """Parse an IMAGE template workbook into breed, animal and sample records.

    The stream is read from its start. The archive is checked against the configured
    limits before any part is parsed; then the whole workbook is read and checked, so
    every ParseError (naming file, sheet, row, column) is raised by this call, before
    any record is returned. ``progress(n)`` is told the number of rows read so far,
    every 1,000 rows and once at the end. Records come breeds first, then animals,
    then samples, each in sheet order.
    """
    limit = limits()
    workbook_archive_check(stream, filename=filename, limits=limit)
    reader = _WorkbookReader(filename=filename, progress=progress, limits=limit)
    return iter(reader.read(stream))


class _CellError(Exception):
    """A cell that cannot be converted; the row reader adds where it is."""


@dataclass(slots=True)
class _Converter:
    field: str
    index: int
    convert: Callable[[Any], Any]
    unit_field: str | None = None  # set when convert gives (value, unit)


@dataclass(slots=True)
class _Table:
    """A sheet's header: where each known column is and which columns are extra."""

    sheet: str
    header_row: int
    width: int
    converters: list[_Converter]
    positions: dict[str, int]  # record field -> column index
    headers: dict[str, str]  # record field -> header as written (for messages)
    extras: list[tuple[int, str]] = field(default_factory=list)


@dataclass(slots=True)
class _BreedEntry:
    record: BreedRecord
    row: int


class _WorkbookReader:
    def __init__(
        self, *, filename: str, progress: Callable[[int], None] | None, limits: Limits
    ) -> None:
        self.filename = filename
        self.progress = progress
        self.limits = limits
        self.rows_read = 0
        self.calling_back = False
        self.sheet: str | None = None  # where reading is, for a damaged part's message
        self.row: int | None = None
        # Wrong rows are noted and skipped so that all of them are told at once; what they
        # named is kept, so rows that refer to them are not told as wrong a second time.
        self.problems = RowProblems(file=filename)
        self.failed: dict[str, set] = {"breed": set(), "animal": set(), "sample": set()}

    def error(self, message: str, **where: Any) -> ParseError:
        return ParseError(message, file=self.filename, **where)

    # --- the workbook ------------------------------------------------------------------

    def read(self, stream: BinaryIO) -> list[Record]:
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:
                book = xlsx.Workbook(archive, max_cells=self.limits.cells)
                records = self._read_sheets(book)
        except xlsx.CellLimitError as exc:
            raise self._too_many_cells(exc.sheet, exc.row) from None
        except xlsx.XlsxError as exc:
            raise self._damaged(exc.detail, sheet=exc.sheet, row=exc.row) from exc
        except DATA_ERRORS as exc:
            if self.calling_back:
                raise  # the progress callback's own failure, not the file's
            # zipfile reports a part it cannot unpack through many exception types; the
            # caller is promised ParseError only.
            detail = (str(exc).splitlines() or [""])[0][:200] or type(exc).__name__
            raise self._damaged(detail, sheet=self.sheet, row=self.row) from exc
        self._tell_progress()
        return records

    def _tell_progress(self) -> None:
        if self.progress is not None:
            self.calling_back = True
            self.progress(self.rows_read)
            self.calling_back = False

    def _damaged(self, detail: str, *, sheet: str | None, row: int | None) -> ParseError:
        return self.error(
            f"the workbook is damaged and cannot be read ({detail[:200]}); "
            "open it in Excel and save it again as 'Excel Workbook (.xlsx)'",
            sheet=sheet,
            row=row,
        )

    def _too_many_cells(self, sheet: str | None, row: int | None) -> ParseError:
        return self.error(
            f"the workbook has more than {self.limits.cells:,} cells (the limit); "
            "split it into smaller workbooks",
            sheet=sheet,
            row=row,
        )

    def _read_sheets(self, book: xlsx.Workbook) -> list[Record]:
        found: dict[str, xlsx.Sheet] = {}
        for sheet in book.sheets:
            key = cols.header_key(sheet.name)
            if key in cols.SHEETS and key not in found:
                found[key] = sheet
        missing = [sheet for sheet in cols.SHEETS if sheet not in found]
        if missing:
            has = ", ".join(sheet.name for sheet in book.sheets) or "no sheets"
            raise self.error(
                f"the workbook has no sheet {missing[0]!r} (it has: {has}); the sheets "
                f"{', '.join(cols.SHEETS)} are needed (download the template to see them)",
                sheet=missing[0],
            )
        for name, sheet in found.items():
            if sheet.part is None:
                raise self.error(
                    f"the sheet {sheet.name!r} is not a worksheet (a chart or macro sheet?); "
                    f"the {name} sheet must be a worksheet with a header row",
                    sheet=name,
                )
        breeds = self._read_breeds(self._rows(book, found["breed"], "breed"))
        animals = self._read_animals(self._rows(book, found["animal"], "animal"), breeds)
        samples = self._read_samples(self._rows(book, found["sample"], "sample"), animals)
        self.problems.raise_any()
        records: list[Record] = [entry.record for entry in breeds.values()]
        records.extend(record for record, _ in animals.values())
        records.extend(samples)
        return records

    # --- rows and header ---------------------------------------------------------------

    def _rows(
        self, book: xlsx.Workbook, sheet: xlsx.Sheet, name: str
    ) -> Iterator[tuple[int, list]]:
        """(row number, values) for every row, those the file leaves out as empty ones.

        The reader has counted every row, left out or not, against the cell limit.
        """
        self.sheet, self.row = name, None
        expected = 1
        for number, values in book.rows(sheet):
            while expected < number:
                self.row = expected
                yield expected, []
                expected += 1
            self.row = number
            yield number, values
            expected = number + 1

    def _count_row(self) -> None:
        self.rows_read += 1
        if self.rows_read % PROGRESS_EVERY == 0:
            self._tell_progress()

    def _table(self, sheet: str, rows: Iterator[tuple[int, list]]) -> _Table:
        for number, values in rows:
            if not _is_empty(values):
                return self._header(sheet, number, values)
        raise self.error(
            "the sheet is empty: its first row must name the columns "
            "(download the template to see them)",
            sheet=sheet,
        )

    def _header(self, sheet: str, number: int, values: list) -> _Table:
        by_key = {column.key: column for column in cols.sheet_columns(sheet)}
        seen: dict[str, int] = {}
        table = _Table(sheet, number, len(values), [], {}, {})
        for index, value in enumerate(values):
            written = _text(value)
            if not written:
                continue
            key = cols.header_key(written)
            key = cols.HEADER_ALIASES.get(key, key)
            if key in seen:
                raise self.error(
                    f"the column {written!r} appears twice in the header row "
                    f"(columns {_letter(seen[key])} and {_letter(index)})",
                    sheet=sheet,
                    row=number,
                    column=written,
                )
            seen[key] = index
            column = by_key.get(key)
            if column is None:
                table.extras.append((index, written))
                continue
            table.positions[column.field] = index
            table.headers[column.field] = written
            unit_field = f"{column.field}_unit" if column.kind == cols.AGE else None
            table.converters.append(_Converter(column.field, index, _converter(column), unit_field))
        missing = [
            column.header
            for column in cols.sheet_columns(sheet)
            if column.required == cols.MANDATORY and column.key not in seen
        ]
        if missing:
            names = ", ".join(repr(name) for name in missing)
            raise self.error(
                f"mandatory column{'s' if len(missing) > 1 else ''} {names} missing from "
                f"the header row (row {number})",
                sheet=sheet,
                row=number,
                column=missing[0],
            )
        return table

    def _records_of(
        self, rows: Iterator[tuple[int, list]], sheet: str
    ) -> Iterator[tuple[int, dict, _Table]]:
        """(row number, converted fields with 'extra', table) for every non-empty row."""
        table = self._table(sheet, rows)
        converters = [(c.index, c.convert, c.field, c.unit_field) for c in table.converters]
        for number, values in rows:
            self._count_row()
            if _is_empty(values):
                continue
            fields: dict[str, Any] = {}
            size = len(values)
            wrong = False
            for index, convert, name, unit_field in converters:
                try:
                    converted = convert(values[index] if index < size else None)
                except _CellError as exc:
                    # Each wrong cell of the row is a problem of its own.
                    self.problems.add(
                        self.error(str(exc), sheet=sheet, row=number, column=table.headers[name])
                    )
                    wrong = True
                    continue
                if unit_field is None:
                    fields[name] = converted
                else:
                    fields[name], fields[unit_field] = converted
            if wrong:
                self._skip(sheet, fields)
                continue
            extra = {}
            for index, header in table.extras:
                if index < size:
                    value = _extra_value(values[index])
                    if value is not None:
                        extra[header] = value
            fields["extra"] = extra
            yield number, fields, table

    def _required(self, fields: dict, table: _Table, name: str, number: int) -> str:
        value = fields.get(name) or ""
        if not value:
            header = table.headers.get(name, name)
            raise self.error(
                f"{header!r} is empty; every row needs it",
                sheet=table.sheet,
                row=number,
                column=header,
            )
        return value

    # --- the three sheets --------------------------------------------------------------

    def _read_breeds(self, rows: Iterator[tuple[int, list]]) -> dict[tuple[str, str], _BreedEntry]:
        breeds: dict[tuple[str, str], _BreedEntry] = {}
        for number, fields, table in self._records_of(rows, "breed"):
            try:
                self._read_breed(breeds, number, fields, table)
            except ParseError as problem:
                self.problems.add(problem)
                self._skip("breed", fields)
        return breeds

    def _read_breed(
        self, breeds: dict[tuple[str, str], _BreedEntry], number: int, fields: dict, table: _Table
    ) -> None:
        supplied = self._required(fields, table, "supplied_breed", number)
        species = self._required(fields, table, "species", number)
        country = self._required(fields, table, "country", number)
        key = (_fold(supplied), _fold(species))
        known = breeds.get(key)
        if known is not None:
            if _fold(known.record.country) == _fold(country):
                return  # the same breed twice: harmless
            raise self.error(
                f"breed {supplied!r} of species {species!r} is listed in rows {known.row} "
                f"and {number} with different countries ({known.record.country!r}, "
                f"{country!r}); animals could not tell which one they belong to",
                sheet="breed",
                row=number,
                column=table.headers["country"],
            )
        breeds[key] = _BreedEntry(
            BreedRecord(
                supplied_breed=supplied,
                species=species,
                country=country,
                source=f"sheet breed, row {number}",
            ),
            number,
        )

    def _read_animals(
        self, rows: Iterator[tuple[int, list]], breeds: dict[tuple[str, str], _BreedEntry]
    ) -> dict[str, tuple[AnimalRecord, int]]:
        species_known = {species for _, species in breeds}
        species_known |= {species for _, species in self.failed["breed"]}
        animals: dict[str, tuple[AnimalRecord, int]] = {}
        table: _Table | None = None
        for number, fields, table in self._records_of(rows, "animal"):
            try:
                self._read_animal(animals, breeds, species_known, number, fields, table)
            except ParseError as problem:
                self.problems.add(problem)
                self._skip("animal", fields)
        if table is not None:
            self._check_parents(animals, table)
        return animals

    def _read_animal(
        self,
        animals: dict[str, tuple[AnimalRecord, int]],
        breeds: dict[tuple[str, str], _BreedEntry],
        species_known: set[str],
        number: int,
        fields: dict,
        table: _Table,
    ) -> None:
        name = self._required(fields, table, "name", number)
        breed = self._required(fields, table, "breed", number)
        species = self._required(fields, table, "species", number)
        if _fold(species) not in species_known:
            raise self.error(
                f"species {species!r} is not in the breed sheet; add a row for breed "
                f"{breed!r} of species {species!r} there",
                sheet="animal",
                row=number,
                column=table.headers["species"],
            )
        entry = breeds.get((_fold(breed), _fold(species)))
        if entry is None and (_fold(breed), _fold(species)) in self.failed["breed"]:
            self._skip("animal", fields)  # its breed's row is told already
            return
        if entry is None:
            raise self.error(
                f"breed {breed!r} of species {species!r} is not in the breed sheet; "
                "add it there with its EFABIS breed country",
                sheet="animal",
                row=number,
                column=table.headers["breed"],
            )
        fields["country"] = entry.record.country
        fields.setdefault("sex", "")
        record = AnimalRecord(**fields, source=f"sheet animal, row {number}")
        self._remember(animals, name, record, number, table)

    def _check_parents(self, animals: dict[str, tuple[AnimalRecord, int]], table: _Table) -> None:
        for record, number in animals.values():
            try:
                self._check_parents_of(record, number, animals, table)
            except ParseError as problem:
                self.problems.add(problem)

    def _check_parents_of(
        self,
        record: AnimalRecord,
        number: int,
        animals: dict[str, tuple[AnimalRecord, int]],
        table: _Table,
    ) -> None:
        for parent in ("father", "mother"):
            target = getattr(record, parent)
            if target is None or target in self.failed["animal"]:
                continue
            header = table.headers[parent]
            if target == record.name:
                raise self.error(
                    f"animal {record.name!r} is given as its own {parent}",
                    sheet="animal",
                    row=number,
                    column=header,
                )
            if target not in animals and not ACCESSION_RE.fullmatch(target):
                raise self.error(
                    f"{parent} {target!r} is neither an animal of this workbook nor a "
                    "BioSamples accession (SAMEA…, SAMN…, SAMD…)",
                    sheet="animal",
                    row=number,
                    column=header,
                )
        if record.father is not None and record.father == record.mother:
            raise self.error(
                f"animal {record.name!r} has {record.father!r} as both father and mother",
                sheet="animal",
                row=number,
                column=table.headers["mother"],
            )

    def _read_samples(
        self, rows: Iterator[tuple[int, list]], animals: dict[str, tuple[AnimalRecord, int]]
    ) -> list[SampleRecord]:
        samples: dict[str, tuple[SampleRecord, int]] = {}
        for number, fields, table in self._records_of(rows, "sample"):
            try:
                self._read_sample(samples, animals, number, fields, table)
            except ParseError as problem:
                self.problems.add(problem)
                self._skip("sample", fields)
        return [record for record, _ in samples.values()]

    def _read_sample(
        self,
        samples: dict[str, tuple[SampleRecord, int]],
        animals: dict[str, tuple[AnimalRecord, int]],
        number: int,
        fields: dict,
        table: _Table,
    ) -> None:
        name = self._required(fields, table, "name", number)
        animal = self._required(fields, table, "animal", number)
        self._required(fields, table, "organism_part", number)
        if animal in self.failed["animal"]:
            return  # its animal's row is told already
        if animal not in animals and not ACCESSION_RE.fullmatch(animal):
            raise self.error(
                f"animal {animal!r} is neither an animal of this workbook nor a "
                "BioSamples accession (SAMEA…, SAMN…, SAMD…)",
                sheet="sample",
                row=number,
                column=table.headers["animal"],
            )
        record = SampleRecord(**fields, source=f"sheet sample, row {number}")
        self._remember(samples, name, record, number, table)

    def _skip(self, sheet: str, fields: dict) -> None:
        """Remember what a wrong row named (an animal's name, a breed's key)."""
        if sheet == "breed":
            key = (_fold(fields.get("supplied_breed") or ""), _fold(fields.get("species") or ""))
            self.failed["breed"].add(key)
        elif fields.get("name"):
            self.failed[sheet].add(fields["name"])

    def _remember(self, seen: dict, name: str, record: Any, number: int, table: _Table) -> None:
        if name in seen:
            header = table.headers["name"]
            raise self.error(
                f"{header} {name!r} is used twice, in rows {seen[name][1]} and {number}; "
                "ids must be unique",
                sheet=table.sheet,
                row=number,
                column=header,
            )
        seen[name] = (record, number)


# --- cell conversions ----------------------------------------------------------------


def _letter(index: int) -> str:
    """The Excel letters of a 0-based column index (0: A, 26: AA)."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_empty(values: Iterable) -> bool:
    for value in values:
        if value is None:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return False
    return True


def _format_float(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _text(value: Any) -> str:
    """Any cell as text: ids typed as numbers (11, 11.0) read as "11"."""
    if value.__class__ is str:  # most cells: checked first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _format_float(value)
    if isinstance(value, dt.datetime):
        if value.time() == _MIDNIGHT:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _ref(value: Any) -> str | None:
    return _text(value) or None


def _date(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1000 <= value <= 9999 and value == int(value):
            return str(int(value))  # a year typed as a number
        raise _CellError(
            f"{_text(value)[:30]} is a number, not a date: format the column as a date in Excel, "
            "or write YYYY-MM-DD, YYYY-MM or YYYY"
        )
    text = _text(value)
    if not text:
        return ""
    match = _DATE_TEXT.fullmatch(text)
    if match is None:
        raise _CellError(
            f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, or use an Excel date"
        )
    year, month, day = match.groups()
    if month is None:
        return year
    if day is None:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _parse_number(text: str) -> float:
    number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _finite(value: int | float) -> float:
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _CellError(f"{_text(value)[:30]} is not a usable number")
    return number


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(value)
    text = _text(value)
    if not text:
        return None
    if not isinstance(value, str) or not _NUMBER.fullmatch(text):
        raise _CellError(f"{text!r} is not a number (write decimal degrees, e.g. 45.07)")
    try:
        return _parse_number(text)
    except (ValueError, OverflowError):
        raise _CellError(f"{text!r} is not a number") from None


def _amount(units: tuple[str, ...]) -> Callable[[Any], tuple[float | None, str]]:
    lookup = {unit.casefold(): unit for unit in units}
    example = "4 years"

    def convert(value: Any) -> tuple[float | None, str]:
        if value is None:
            return None, ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _finite(value), ""
        text = _text(value)
        if not text:
            return None, ""
        match = _AMOUNT.fullmatch(text) if isinstance(value, str) else None
        if match is None:
            raise _CellError(f"{text!r} is not a number followed by a unit, e.g. {example!r}")
        try:
            number = _parse_number(match.group(1))
        except (ValueError, OverflowError):
            raise _CellError(f"{text!r} is not a number followed by a unit") from None
        unit = " ".join(match.group(2).split())
        if not unit:
            return number, ""
        known = lookup.get(unit.casefold())
        if known is None:
            raise _CellError(f"{text!r}: the unit {unit!r} is not one of {', '.join(units)}")
        return number, known

    return convert


def _limited(value: Any) -> str:
    # As written: the loader puts it into IMAGE's words, noting any change, and keeps a
    # value outside the list as written, noted (validation reports it).
    return _text(value)


def _cached(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert`` remembering its results for text cells.

    For columns whose values repeat (sex, accuracies, storage, ages); only text is
    remembered because 1, 1.0 and True are one key to a dict but read differently.
    """
    cache: dict[str, Any] = {}

    def convert_cached(value: Any) -> Any:
        if value.__class__ is not str:
            return convert(value)
        try:
            return cache[value]
        except KeyError:
            result = convert(value)
            if len(cache) < _CACHE_SIZE:
                cache[value] = result
            return result

    return convert_cached


def _converter(column: cols.Column) -> Callable[[Any], Any]:
    return (
        _cached(_plain_converter(column)) if column.kind in _REPEATING else _plain_converter(column)
    )


def _plain_converter(column: cols.Column) -> Callable[[Any], Any]:
    if column.kind in (cols.NAME, cols.TEXT):
        return _text
    if column.kind == cols.REF:
        return _ref
    if column.kind == cols.DATE:
        return _date
    if column.kind == cols.NUMBER:
        return _number
    if column.kind == cols.LIMITED:
        convert = _limited
        if column.field.endswith("_accuracy"):
            # An empty accuracy means what the record's default says.
            return lambda value: convert(value) or "missing geographic information"
        return convert
    if column.kind == cols.AGE:
        return _amount(column.units)
    raise RuntimeError(f"column kind {column.kind!r} has no converter")


def _extra_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, (bool, int, float)):
        return value
    return _text(value)
