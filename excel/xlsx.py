"""Stream the cell values of an .xlsx workbook with the standard library only.

The parser needs cell values, row by row, of three sheets; openpyxl builds objects for
every cell, style and text run on the way and was most of an import's parse time. Here
ElementTree's C parser builds each sheet's elements chunk by chunk (measured faster
than expat with Python handlers, which call Python three times per element, and than
``iterparse``, whose event generator costs more than the work per cell), finished rows
are turned into values and dropped, and each row comes out as a list of values, as
openpyxl's ``iter_rows(values_only=True)`` gave it on a read-only workbook after
``reset_dimensions()``:

- a row is as wide as the column of its last cell; cells the file leaves out are None;
- rows come with their number (``r``, or one more than the row before); a row whose
  number is not above the row before is dropped;
- numbers are ``int`` unless written with ``.``, ``e`` or ``E``; a number whose cell
  style has a date format is a ``datetime`` (``time`` below 1, ``timedelta`` for
  elapsed-time formats such as ``[h]:mm``), in the workbook's 1900 or 1904 date system;
  a serial no date can hold becomes the error text ``#VALUE!``;
- shared strings (``t="s"``) and inline strings are the text of their runs (phonetic
  runs left out), booleans are ``bool``, errors (``t="e"``) and formula strings their
  text; formulas themselves are ignored (the value cached by the spreadsheet is read).

It trusts ``excel.archive`` to have refused DTDs and oversized parts; on its own it
counts cells against a limit as it goes (rows it leaves out count one cell each, so a
row numbered 10**9 cannot make a caller pad a billion rows) and stops at the limit.
Anything wrong in the package or its XML is an ``XlsxError``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder, XMLParser
from xml.etree.ElementTree import ParseError as XmlParseError
from xml.parsers import expat

MAX_COLUMN = 16_384  # XFD, Excel's last column
# Each list read from a workbook's small parts (sheets, relationships, formats, styles)
# is held to this; Excel itself allows 64,000 cell formats.
MAX_ENTRIES = 100_000
# Small chunks: the elements of one are dropped before 700 more are allocated, so the
# garbage collector rarely runs (with 32 KB chunks it took a third of the parse time).
CHUNK = 4 * 1024
# One row (or shared string) may not grow beyond this while it is read: Excel's own
# limits (16,384 cells of at most 32,767 characters) are never near it in practice.
MAX_ITEM_BYTES = 16 * 1024 * 1024
# A row (or shared string) with more elements than this is refused: 16,384 cells of
# text with a few formatted runs each stay far below it.
MAX_OPEN_ELEMENTS = 1_000_000

_DIGITS = "0123456789"
_LETTERS = re.compile(r"[A-Z]{1,3}")
_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)
_MS_PER_DAY = 86_400_000
_NOT_A_DATE = "#VALUE!"  # what openpyxl gives for a date-formatted serial out of range

# Built-in number formats that are dates or times (ECMA-376 18.8.30); other built-in
# ids are numbers, text or locale-specific formats openpyxl never read as dates.
_BUILTIN_DATE_FORMATS = frozenset(range(14, 23)) | {45, 46, 47}
_BUILTIN_ELAPSED_FORMATS = frozenset({46})  # [h]:mm:ss
# In a custom format code, quoted text and bracketed parts ([Red], [$-409]) are not
# date letters; [h], [mm], [s] (elapsed time) are.
_FORMAT_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)

_NUMBER = 0
_DATE = 1
_ELAPSED_TIME = 2

_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_WORKSHEET = "/worksheet"
_REL_STYLES = "/styles"
_REL_SHARED_STRINGS = "/sharedStrings"


class XlsxError(Exception):
    """The package or one of its parts is not a readable workbook."""

    def __init__(self, detail: str, *, sheet: str | None = None, row: int | None = None):
        super().__init__(detail)
        self.detail = detail
        self.sheet = sheet
        self.row = row


class CellLimitError(XlsxError):
    """More cells than the limit; ``row`` is where the limit was passed."""


class _BrokenXml(XlsxError):
    """A part's XML breaks off; ``unfinished`` is the item it broke in, if any."""

    def __init__(self, detail: str, unfinished: Element | None) -> None:
        super().__init__(detail)
        self.unfinished = unfinished


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    part: str | None  # None: not a worksheet (a chart sheet, a macro sheet...)


class Workbook:
    """An open .xlsx package: its sheet names and, on demand, each sheet's rows.

    ``max_cells`` is shared by all sheets read through the same Workbook.
    """

    def __init__(self, archive: zipfile.ZipFile, *, max_cells: int) -> None:
        self.archive = archive
        self.max_cells = max_cells
        self.cells_read = 0
        self._names = {info.filename.casefold(): info.filename for info in archive.infolist()}
        book_part = self._office_document()
        book_rels = _relationships(self, _rels_part(book_part), base=posixpath.dirname(book_part))
        self.sheets: list[Sheet] = []
        self.date1904 = False
        self._read_book(book_part, {rel_id: (kind, target) for kind, target, rel_id in book_rels})
        self._styles = self._first_part(book_rels, _REL_STYLES, "xl/styles.xml")
        self._shared_strings_part = self._first_part(
            book_rels, _REL_SHARED_STRINGS, "xl/sharedStrings.xml"
        )
        self._shared: list[str] | None = None
        self._style_kinds: list[int] | None = None

    # --- the package -----------------------------------------------------------------

    def part(self, name: str) -> str | None:
        """The archive member of this part name (part names ignore case), or None."""
        return self._names.get(name.casefold())

    def _office_document(self) -> str:
        for kind, target, _ in _relationships(self, "_rels/.rels", base=""):
            if kind.endswith(_REL_OFFICE_DOCUMENT) and self.part(target):
                return self.part(target)
        found = self.part("xl/workbook.xml")
        if found is None:
            raise XlsxError("the package names no workbook part")
        return found

    def _first_part(self, rels: list[tuple[str, str, str]], kind: str, default: str) -> str | None:
        for rel_kind, target, _ in rels:
            if rel_kind.endswith(kind) and self.part(target):
                return self.part(target)
        return self.part(default)

    def _read_book(self, book_part: str, targets: dict[str, tuple[str, str]]) -> None:
        """The sheets, in order, and the date system; ``targets``: id -> (type, part)."""
        sheets: list[tuple[str, str | None]] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            local = name.rpartition(" ")[2]
            if local == "sheet":
                if len(sheets) >= MAX_ENTRIES:
                    raise XlsxError(f"the workbook lists more than {MAX_ENTRIES:,} sheets")
                # r:id, in whichever namespace the relationships have (Strict differs)
                rel_id = next((v for k, v in attrs.items() if k.endswith(" id")), None)
                sheets.append((attrs.get("name", ""), rel_id))
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")

        _parse_part(self, book_part, start)
        for name, rel_id in sheets:
            kind, target = targets.get(rel_id or "", ("", ""))
            member = self.part(target) if target else None
            if member is None:
                continue  # a sheet without its part: as if it were not listed
            worksheet = kind.endswith(_REL_WORKSHEET)
            self.sheets.append(Sheet(name, member if worksheet else None))

    # --- styles and strings ----------------------------------------------------------

    def kinds_of_styles(self) -> list[int]:
        """For each cell style (cellXfs index): a plain number, a date or elapsed time."""
        if self._style_kinds is not None:
            return self._style_kinds
        formats: dict[int, str] = {}
        style_formats: list[int] = []
        in_cell_formats = 0  # inside <cellXfs> (<xf> also makes up other lists)

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal in_cell_formats
            local = name.rpartition(" ")[2]
            if local == "numFmt":
                if len(formats) >= MAX_ENTRIES:
                    raise XlsxError(f"the styles hold more than {MAX_ENTRIES:,} number formats")
                formats[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                in_cell_formats += 1
            elif local == "xf" and in_cell_formats:
                if len(style_formats) >= MAX_ENTRIES:
                    raise XlsxError(f"the styles hold more than {MAX_ENTRIES:,} cell formats")
                style_formats.append(int(attrs.get("numFmtId", "0")))

        def end(name: str) -> None:
            nonlocal in_cell_formats
            if name.rpartition(" ")[2] == "cellXfs":
                in_cell_formats -= 1

        if self._styles is not None:
            _parse_part(self, self._styles, start, end)
        self._style_kinds = [_format_kind(number, formats) for number in style_formats]
        return self._style_kinds

    def shared_strings(self) -> list[str]:
        """The shared string table, read once (at most one string per allowed cell)."""
        if self._shared is not None:
            return self._shared
        strings: list[str] = []
        if self._shared_strings_part is not None:
            strings = _read_shared_strings(self, self._shared_strings_part)
        self._shared = strings
        return strings

    # --- rows --------------------------------------------------------------------------

    def rows(self, sheet: Sheet) -> Iterator[tuple[int, list]]:
        """(row number, values) of each row in the file, in order; see the module doc."""
        if sheet.part is None:
            raise XlsxError(f"the sheet {sheet.name!r} is not a worksheet", sheet=sheet.name)
        return _SheetReader(self, sheet).rows()


def _rels_part(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(book: Workbook, part: str, *, base: str) -> list[tuple[str, str, str]]:
    """(type, target part, id) of each internal relationship in a .rels part."""
    member = book.part(part)
    if member is None:
        return []
    found: list[tuple[str, str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] != "Relationship" or attrs.get("TargetMode") == "External":
            return
        if len(found) >= MAX_ENTRIES:
            raise XlsxError(f"{part} lists more than {MAX_ENTRIES:,} relationships")
        target = attrs.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(base, target))
        found.append((attrs.get("Type", ""), target, attrs.get("Id", "")))

    _parse_part(book, member, start)
    return found


def _parse_part(
    book: Workbook,
    member: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
) -> None:
    """Run expat (with namespaces) over a part, calling back on elements."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = partial(_refuse_dtd, member)
    parser.EntityDeclHandler = partial(_refuse_dtd, member)
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    with book.archive.open(member) as stream:
        try:
            parser.ParseFile(stream)
        except expat.ExpatError as exc:
            raise XlsxError(f"{member} is not well-formed XML ({exc})") from exc
        except ValueError as exc:  # a number attribute that is not a number
            raise XlsxError(f"{member}: {exc}") from exc


def _refuse_dtd(member: str, *_args) -> None:
    # excel.archive refuses DTDs before any part is parsed; this holds should a spelling
    # ever pass it (entities would otherwise be expanded into cell values).
    raise XlsxError(f"{member} declares XML entities (a DTD), which workbooks never hold")


def _format_kind(number_format: int, custom: dict[int, str]) -> int:
    code = custom.get(number_format)
    if code is None:
        if number_format not in _BUILTIN_DATE_FORMATS:
            return _NUMBER
        return _ELAPSED_TIME if number_format in _BUILTIN_ELAPSED_FORMATS else _DATE
    first = code.split(";", 1)[0]  # the format for positive numbers decides
    if not _DATE_LETTER.search(_FORMAT_LITERALS.sub("", first)):
        return _NUMBER
    return _ELAPSED_TIME if _ELAPSED.search(first) else _DATE


def _read_shared_strings(book: Workbook, member: str) -> list[str]:
    strings: list[str] = []
    try:
        for tags, item in _complete_children(book, member, container=None):
            if item.tag != tags.si:
                continue
            if len(strings) >= book.max_cells:
                raise XlsxError(f"it holds more than {book.max_cells:,} strings")
            # openpyxl's reading of Excel's escape for "_x" in text, kept for the same values.
            strings.append(_rich_text(item, tags).replace("x005F_", ""))
    except XlsxError as exc:
        raise XlsxError(f"the shared strings ({member}): {exc.detail}") from exc
    return strings


def _rich_text(element: Element, tags: _Tags) -> str:
    """The text of a string item (<si>, <is>): its text and its runs', not phonetic runs."""
    if len(element) == 1:
        only = element[0]
        if only.tag == tags.t:
            return only.text or ""
    parts = []
    for child in element:
        if child.tag == tags.t:
            parts.append(child.text or "")
        elif child.tag == tags.r:
            run = child.find(tags.t)
            if run is not None:
                parts.append(run.text or "")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Tags:
    """Element names in the namespace of a part's root element."""

    c: str
    v: str
    t: str
    r: str
    si: str
    is_: str
    row: str
    sheet_data: str

    @classmethod
    def of(cls, root: Element) -> _Tags:
        namespace = root.tag[: root.tag.find("}") + 1]  # "{...}", or "" without one
        names = ("c", "v", "t", "r", "si", "is", "row", "sheetData")
        return cls(*(namespace + name for name in names))


def _complete_children(
    book: Workbook, member: str, *, container: str | None
) -> Iterator[tuple[_Tags, Element]]:
    """Each child of the root (``container`` None) or of the root's ``container``
    element ("sheetData"), once its end tag has been parsed, in document order.

    ElementTree's C parser builds the elements without a Python call per element; what
    has been handed out, and everything outside the container, is dropped after each
    chunk, so memory stays bounded by the chunk and the one item still open (which
    may not grow beyond MAX_OPEN_ELEMENTS).
    """
    builder = TreeBuilder()
    holder = builder.start("holder", {})  # the part's root element becomes its child
    # Entity declarations (the XML attacks S314 warns of) were refused by excel.archive,
    # which reads every part before this runs, in UTF-8 or UTF-16, the only encodings it
    # lets a part declare; expat fetches no external entities.
    parser = XMLParser(target=builder)  # noqa: S314
    tags: _Tags | None = None
    items: Element | None = None  # the element whose children are handed out
    searching = container is not None
    open_item: Element | None = None
    open_chunks = 0
    with book.archive.open(member) as stream:
        while True:
            chunk = stream.read(CHUNK)
            failure = None
            try:
                if chunk:
                    parser.feed(chunk)
                else:
                    parser.close()
            except XmlParseError as exc:
                failure = exc
            final = not chunk or failure is not None
            if len(holder):
                root = holder[0]
                if tags is None:
                    tags = _Tags.of(root)
                    if container is None:
                        items = root
                if searching:
                    items = root.find(tags.sheet_data)
                    searching = items is None
                last = root[-1] if len(root) else None
                if items is not root:
                    if len(root) > 1:
                        del root[:-1]  # finished elements outside the items: of no use
                    if last is not None and last is not items:
                        _drop_finished(last)
                if items is not None:
                    # Until its end tag the last item may still be growing; after an
                    # error it may never have been finished.
                    growing = (bool(chunk) or failure is not None) and (
                        items is root or items is last
                    )
                    ready = len(items) - 1 if growing else len(items)
                    if ready > 0:
                        done = items[:ready]
                        del items[:ready]
                        for item in done:
                            yield tags, item
                    if not growing:
                        items = None  # all handed out; the rest is only checked
                    elif len(items):
                        # An item open over several chunks is measured (after 2, 4, 8...
                        # chunks: it can at most double in between): one row may not hold
                        # millions of elements, and so all of memory.
                        if items[-1] is open_item:
                            open_chunks += 1
                            if open_chunks * CHUNK > MAX_ITEM_BYTES:
                                raise XlsxError(
                                    f"a row or text is longer than "
                                    f"{MAX_ITEM_BYTES // (1024 * 1024)} MB"
                                )
                            if (
                                open_chunks & (open_chunks - 1) == 0
                                and _size(open_item) > MAX_OPEN_ELEMENTS
                            ):
                                raise XlsxError(
                                    f"an element holds more than {MAX_OPEN_ELEMENTS:,} elements"
                                )
                        else:
                            open_item, open_chunks = items[-1], 0
            if failure is not None:
                unfinished = items[-1] if items is not None and len(items) else None
                raise _BrokenXml(f"not well-formed XML ({failure})", unfinished) from failure
            if final:
                return


def _drop_finished(element: Element) -> None:
    """Drop the finished descendants of an element outside the items, keeping the open
    path (each element's last child)."""
    while len(element):
        if len(element) > 1:
            del element[:-1]
        element = element[-1]


def _size(element: Element) -> int:
    count = 0
    for _ in element.iter():
        count += 1
        if count > MAX_OPEN_ELEMENTS:
            break
    return count


def _column_of(letters: str) -> int:
    """The column number (A: 1) of a cell reference's letters."""
    if not _LETTERS.fullmatch(letters):
        raise ValueError(f"{letters!r} is not the column of a cell reference")
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    if number > MAX_COLUMN:
        raise ValueError(f"the column {letters} lies beyond the last column (XFD)")
    return number


def excel_date(serial: int | float, *, date1904: bool, elapsed: bool) -> Any:
    """An Excel serial number as openpyxl gave it: datetime, time or timedelta.

    Time is kept to the millisecond, as Excel stores it. Serials 1-59 of the 1900
    system are shifted by a day: Excel counts 29 February 1900, which did not exist.
    Raises OverflowError or ValueError for a serial no date can hold.
    """
    if elapsed:
        span = dt.timedelta(days=serial)
        if span.microseconds:
            whole_seconds = span.total_seconds() // 1
            span = dt.timedelta(seconds=whole_seconds, microseconds=round(span.microseconds, -3))
        return span
    days, fraction = divmod(serial, 1)
    milliseconds = round(fraction * _MS_PER_DAY)
    if 0 <= serial < 1 and milliseconds < _MS_PER_DAY:
        seconds, millisecond = divmod(milliseconds, 1000)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        return dt.time(hour, minute, second, millisecond * 1000)
    if date1904:
        epoch = _MAC_EPOCH
    else:
        epoch = _WINDOWS_EPOCH
        if 0 < serial < 60:
            days += 1
    return epoch + dt.timedelta(days=days) + dt.timedelta(milliseconds=milliseconds)


def _iso_value(text: str) -> Any:
    """A t="d" cell (ISO 8601 text): date, time or datetime; the text if it is none."""
    cleaned = text.strip().removesuffix("Z")
    for kind in (dt.date, dt.datetime, dt.time):
        try:
            return kind.fromisoformat(cleaned)
        except ValueError:
            continue
    return text


class _SheetReader:
    """The rows of one worksheet part, as values."""

    def __init__(self, book: Workbook, sheet: Sheet) -> None:
        self.book = book
        self.sheet = sheet
        self.row_number = 0  # of the row being read, for messages
        self.columns: dict[str, int] = {}  # cell reference letters -> column number
        self.style_kinds: dict[str, int] = {"": _NUMBER}
        self.shared: list[str] | None = None

    def rows(self) -> Iterator[tuple[int, list]]:
        book = self.book
        # Read before the rows, so that a broken table is not blamed on a row.
        self.shared = book.shared_strings()
        max_cells = book.max_cells
        expected = 1  # the next row number that may come out
        number = 0
        in_row = False
        try:
            for tags, row in _complete_children(book, self.sheet.part or "", container="sheetData"):
                if row.tag != tags.row:
                    continue
                written = row.get("r")
                in_row = True
                number = number + 1 if written is None else _row_number(written)
                self.row_number = number
                values, width = self._values(row, tags)
                in_row = False
                if number < expected:
                    continue  # numbered at or above a row already read: openpyxl dropped it
                # Rows the file leaves out count one cell each, as does an empty row.
                before = book.cells_read
                skipped = number - expected
                if before + skipped > max_cells:
                    raise CellLimitError(
                        f"more than {max_cells:,} cells",
                        sheet=self.sheet.name,
                        row=expected + max_cells - before,
                    )
                total = before + skipped + (width or 1)
                if total > max_cells:
                    raise CellLimitError(
                        f"more than {max_cells:,} cells", sheet=self.sheet.name, row=number
                    )
                book.cells_read = total
                yield number, values
                expected = number + 1
        except CellLimitError:
            raise
        except _BrokenXml as exc:
            row = exc.unfinished
            in_row = row is not None and row.tag.rpartition("}")[2] == "row"
            if in_row:
                written = row.get("r")
                self.row_number = number + 1 if written is None else _row_number(written)
            raise self._error(exc.detail, in_row=in_row) from exc
        except XlsxError as exc:
            raise self._error(exc.detail, in_row=False) from exc
        except (ValueError, IndexError, OverflowError) as exc:
            raise self._error(str(exc) or type(exc).__name__, in_row=in_row) from exc

    def _error(self, detail: str, *, in_row: bool) -> XlsxError:
        if in_row:
            return XlsxError(detail, sheet=self.sheet.name, row=self.row_number)
        if self.row_number:
            detail = f"{detail}, after row {self.row_number}"
        return XlsxError(detail, sheet=self.sheet.name)

    def _values(self, row: Element, tags: _Tags) -> tuple[list, int]:
        """The row's values, and the column of its last cell (0 for none)."""
        if len(row) > MAX_COLUMN:
            raise ValueError(f"the row has more than {MAX_COLUMN:,} cells")
        # The hot loop of an import: names bound locally, the usual cases first.
        columns = self.columns
        shared = self.shared or []
        c_tag, v_tag, is_tag, t_tag = tags.c, tags.v, tags.is_, tags.t
        values: list = []
        column = 0
        for cell in row:
            if cell.tag != c_tag:
                continue
            ref = cell.get("r")
            if ref is None:
                column += 1
                if column > MAX_COLUMN:
                    raise ValueError("a cell lies beyond the last column (XFD)")
            else:
                letters = ref.rstrip(_DIGITS)
                found = columns.get(letters)
                if found is None:
                    found = columns[letters] = _column_of(letters)  # at most 16,384
                column = found
            kind = cell.get("t")
            value: Any
            if kind == "s":  # Excel's text
                value = cell.findtext(v_tag)
                if value:
                    index = int(value)
                    if not 0 <= index < len(shared):
                        raise IndexError(
                            f"a cell refers to shared string {index}, which is not there"
                        )
                    value = shared[index]
                else:
                    value = None
            elif kind == "inlineStr":  # openpyxl's text
                node = cell.find(is_tag)
                if node is None:
                    value = None
                elif len(node) == 1 and node[0].tag == t_tag:
                    value = node[0].text or ""
                else:
                    value = _rich_text(node, tags)
            else:
                value = cell.findtext(v_tag)
                if not value:
                    value = None
                elif kind is None or kind == "n":
                    if "." in value or "e" in value or "E" in value:
                        value = float(value)
                    else:
                        value = int(value)
                    style = cell.get("s")
                    if style is not None:
                        value = self._styled(value, style)
                elif kind == "b":
                    value = bool(int(value))
                elif kind == "d":
                    value = _iso_value(value)
                # "str" (a formula's text) and "e" (an error such as #N/A) are their text
            size = len(values)
            if column > size:
                if column > size + 1:
                    values.extend([None] * (column - size - 1))
                values.append(value)
            else:
                values[column - 1] = value
        if column < len(values):
            del values[column:]  # a row is as wide as its last cell says
        return values, column

    def _styled(self, value: int | float, style: str) -> Any:
        kind = self.style_kinds.get(style)
        if kind is None:
            kinds = self.book.kinds_of_styles()
            number = int(style)
            kind = kinds[number] if 0 <= number < len(kinds) else _NUMBER
            if len(self.style_kinds) < MAX_ENTRIES:
                self.style_kinds[style] = kind
        if kind == _NUMBER:
            return value
        try:
            return excel_date(value, date1904=self.book.date1904, elapsed=kind == _ELAPSED_TIME)
        except (OverflowError, ValueError):
            return _NOT_A_DATE


def _row_number(written: str) -> int:
    try:
        return int(written)
    except ValueError:
        as_float = float(written)
        if not as_float.is_integer():
            raise ValueError(f"{written!r} is not a row number") from None
        return int(as_float)
