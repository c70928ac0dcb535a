"""Generate the IMAGE Excel template: empty for download, or filled with records.

The workbook has the sheets ``breed``, ``animal`` and ``sample`` with the columns of
``excel.columns`` in order (docs/formats.rst); header cells are coloured by what the
ruleset requires (mandatory: bold on orange, recommended: yellow, optional: blue) and
carry the rule's description as a comment; limited values (sex, accuracies, storage,
storage processing, availability) get drop-down lists, kept on a hidden ``lists`` sheet
because several values contain commas. A ``description`` sheet explains every column.
Filled with canonical records, the same workbook is an export that
``excel.parser.parse_workbook`` reads back into the same records.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from os import PathLike
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from excel import columns as cols
from uid.records import AnimalRecord, BreedRecord, SampleRecord
from uid.spreadsheets import starts_like_formula
from validation import registry

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILENAME = "IMAGE_template.xlsx"
LISTS_SHEET = "lists"
DESCRIPTION_SHEET = "description"
MAX_ROW = 1_048_576  # Excel's last row: drop-downs cover the whole column

# What each requirement looks like in a header (and in the description's legend).
HEADER_STYLES = {
    cols.MANDATORY: (Font(bold=True), PatternFill("solid", fgColor="F4B183")),
    cols.RECOMMENDED: (Font(bold=False), PatternFill("solid", fgColor="FFE699")),
    cols.OPTIONAL: (Font(bold=False), PatternFill("solid", fgColor="DDEBF7")),
}
_LEGEND = {
    cols.MANDATORY: "mandatory: bold on orange; the workbook is refused without the column, "
    "and every record needs a value",
    cols.RECOMMENDED: "recommended: on yellow; a missing value is a warning",
    cols.OPTIONAL: "optional: on blue",
}


def template_workbook(
    *,
    animals: Iterable[AnimalRecord] = (),
    samples: Iterable[SampleRecord] = (),
    breeds: Iterable[BreedRecord] = (),
    write_only: bool = False,
) -> Workbook:
    """The template workbook, holding the given records (none: the empty template).

    Breeds used by animals but not given are added from the animals (breed, species,
    country). Columns outside the template (accession, publication DOI, a record's
    ``extra`` keys) are added after the template's columns when some record has them.
    ``write_only=True`` streams rows for large exports; such a workbook can be saved
    once and not read back.
    """
    animals = list(animals)
    samples = list(samples)
    breeds = _breeds_with_those_of(list(breeds), animals)
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    list_ranges = _list_ranges()
    _write_sheet(workbook, "breed", breeds, list_ranges)
    _write_sheet(workbook, "animal", animals, list_ranges)
    _write_sheet(workbook, "sample", samples, list_ranges)
    _write_description(workbook)
    _write_lists(workbook)
    return workbook


def template_write(
    target: BinaryIO | str | PathLike,
    *,
    animals: Iterable[AnimalRecord] = (),
    samples: Iterable[SampleRecord] = (),
    breeds: Iterable[BreedRecord] = (),
    write_only: bool = True,
) -> None:
    """Save the template with the given records to a path or a binary stream."""
    workbook = template_workbook(
        animals=animals, samples=samples, breeds=breeds, write_only=write_only
    )
    workbook.save(target)


def template_bytes() -> bytes:
    """The empty template as the bytes of an .xlsx file (what the download serves)."""
    buffer = io.BytesIO()
    template_write(buffer, write_only=False)
    return buffer.getvalue()


# --- sheets ---------------------------------------------------------------------------


def _breeds_with_those_of(
    breeds: list[BreedRecord], animals: Sequence[AnimalRecord]
) -> list[BreedRecord]:
    def key(supplied: str, species: str, country: str) -> tuple[str, ...]:
        return tuple(" ".join(text.split()).casefold() for text in (supplied, species, country))

    seen = {key(b.supplied_breed, b.species, b.country) for b in breeds}
    for animal in animals:
        animal_key = key(animal.breed, animal.species, animal.country)
        if animal_key not in seen:
            seen.add(animal_key)
            breeds.append(
                BreedRecord(
                    supplied_breed=animal.breed, species=animal.species, country=animal.country
                )
            )
    return breeds


def _columns_for(sheet: str, records: Sequence[Any]) -> tuple[list[cols.Column], list[str]]:
    """The sheet's columns for these records, and the extra keys (in first-seen order)."""
    columns = [
        column
        for column in cols.sheet_columns(sheet)
        if not column.export_only or any(getattr(record, column.field) for record in records)
    ]
    known = {column.key for column in cols.sheet_columns(sheet)}
    extras: dict[str, None] = {}
    for record in records:
        for name in getattr(record, "extra", None) or {}:
            if cols.header_key(name) not in known:
                extras.setdefault(name, None)
    return columns, list(extras)


def _write_sheet(
    workbook: Workbook, sheet: str, records: Sequence[Any], list_ranges: dict[tuple, str]
) -> None:
    worksheet = workbook.create_sheet(sheet)
    columns, extras = _columns_for(sheet, records)
    if workbook.write_only:
        # openpyxl's write-only sheets leave out <dimension> (the used range) unless the
        # sheet can say it; excel.parser does not need it, but other readers of an export
        # do (openpyxl's read-only mode parses every sheet twice without it). The range
        # is known before the first row is written.
        last = f"{get_column_letter(len(columns) + len(extras))}{len(records) + 1}"
        worksheet.calculate_dimension = lambda: f"A1:{last}"
    for index, column in enumerate(columns, start=1):
        width = max(14, min(45, len(column.header) + 4))
        worksheet.column_dimensions[get_column_letter(index)].width = width
    for index in range(len(columns) + 1, len(columns) + len(extras) + 1):
        worksheet.column_dimensions[get_column_letter(index)].width = 18
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        if column.kind != cols.LIMITED or not column.values:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=list_ranges[column.values],
            allow_blank=True,
            showErrorMessage=column.strict,
            errorStyle="warning",
            errorTitle=column.header[:32],
            error=f"Choose one of the values of the list for {column.header}."[:255],
        )
        validation.add(f"{letter}2:{letter}{MAX_ROW}")
        worksheet.data_validations.append(validation)

    header = [_header_cell(worksheet, column) for column in columns]
    header += [_header_cell(worksheet, None, text=name) for name in extras]
    worksheet.append(header)
    for record in records:
        row = [_cell_value(worksheet, column, record) for column in columns]
        extra = getattr(record, "extra", None) or {}
        row += [_plain(worksheet, extra.get(name)) for name in extras]
        worksheet.append(row)


def _header_cell(worksheet: Any, column: cols.Column | None, *, text: str = "") -> Cell:
    cell = WriteOnlyCell(worksheet, value=column.header if column else text)
    required = column.required if column else cols.OPTIONAL
    cell.font, cell.fill = HEADER_STYLES[required]
    cell.alignment = Alignment(vertical="top", wrap_text=True)
    if column is not None:
        comment = Comment(_column_help(column), "InjectTool")
        comment.width, comment.height = 320, 160
        cell.comment = comment
    return cell


def _column_help(column: cols.Column) -> str:
    parts = [f"{column.header} ({column.required})"]
    if column.description:
        parts.append(column.description)
    if column.values:
        parts.append("Values: " + "; ".join(column.values))
    elif column.kind == cols.DATE:
        parts.append("Format: YYYY-MM-DD, YYYY-MM or YYYY (or an Excel date)")
    elif column.kind == cols.AGE:
        parts.append("A number and a unit, e.g. 4 years. Units: " + ", ".join(column.units))
    elif column.kind == cols.NUMBER and column.units:
        parts.append("In " + ", ".join(column.units))
    if column.example:
        parts.append(f"Example: {column.example}")
    return "\n".join(parts)


def _format_number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _cell_value(worksheet: Any, column: cols.Column, record: Any) -> Any:
    value = getattr(record, column.field)
    if column.kind == cols.AGE:
        unit = getattr(record, f"{column.field}_unit")
        if value is None:
            return None
        if not unit:
            return value
        return f"{_format_number(value)} {unit}"
    return _plain(worksheet, value)


def _plain(worksheet: Any, value: Any) -> Any:
    """A value as a cell would hold it: '' is an empty cell, text stays text."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value if isinstance(value, (int, float, bool)) else str(value)
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if starts_like_formula(value):
        # Exports must not turn text into formulas (formula injection): openpyxl writes a
        # string starting with '=' as one, and a spreadsheet program may read '+', '-' or
        # '@' so when the cell is edited. A cell typed as text is shown, never run, and
        # reads back unchanged when the workbook is imported again.
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"
        return cell
    return value


# --- the description and the lists ------------------------------------------------------


def _limited_lists() -> list[tuple[str, tuple[str, ...]]]:
    """(a title, values) for each distinct list of limited values, in sheet order."""
    lists: dict[tuple[str, ...], str] = {}
    for sheet in cols.SHEETS:
        for column in cols.template_columns(sheet):
            if column.kind == cols.LIMITED and column.values and column.values not in lists:
                title = column.rule.replace("Birth location ", "").replace("Collection place ", "")
                lists[column.values] = title
    return [(title, values) for values, title in lists.items()]


def _list_ranges() -> dict[tuple[str, ...], str]:
    ranges = {}
    for index, (_, values) in enumerate(_limited_lists(), start=1):
        letter = get_column_letter(index)
        ranges[values] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _write_lists(workbook: Workbook) -> None:
    worksheet = workbook.create_sheet(LISTS_SHEET)
    worksheet.sheet_state = "hidden"
    lists = _limited_lists()
    worksheet.append([title for title, _ in lists])
    for row in itertools.zip_longest(*(values for _, values in lists)):
        worksheet.append(list(row))


def _write_description(workbook: Workbook) -> None:
    worksheet = workbook.create_sheet(DESCRIPTION_SHEET)
    for letter, width in zip("ABCDEF", (10, 32, 14, 70, 30, 60), strict=True):
        worksheet.column_dimensions[letter].width = width
    title = WriteOnlyCell(
        worksheet, value=f"IMAGE template for InjectTool ({registry.ruleset_name()})"
    )
    title.font = Font(bold=True, size=14)
    worksheet.append([title])
    worksheet.append(
        [
            "Fill the sheets breed, animal and sample; one row per breed, animal or sample. "
            "Every animal's breed and species must be in the breed sheet; parents and "
            "samples name animals by their id in this workbook, or by a BioSamples accession."
        ]
    )
    for required in (cols.MANDATORY, cols.RECOMMENDED, cols.OPTIONAL):
        cell = WriteOnlyCell(worksheet, value=_LEGEND[required])
        cell.font, cell.fill = HEADER_STYLES[required]
        worksheet.append([None, cell])
    worksheet.append([])
    heading = ["Sheet", "Column", "Required", "Description", "Example", "Values or format"]
    worksheet.append([_bold(worksheet, text) for text in heading])
    for sheet in cols.SHEETS:
        for column in cols.template_columns(sheet):
            if column.values:
                values = "; ".join(column.values)
                if not column.strict:
                    values = "a URL, a mailto: address, or " + values
            elif column.kind in (cols.DATE, cols.AGE, cols.NUMBER):
                values = ", ".join(column.units)
            else:
                values = ""
            worksheet.append(
                [sheet, column.header, column.required, column.description, column.example, values]
            )


def _bold(worksheet: Any, text: str) -> Cell:
    cell = WriteOnlyCell(worksheet, value=text)
    cell.font = Font(bold=True)
    return cell
