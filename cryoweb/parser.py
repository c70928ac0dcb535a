"""Cryoweb: a ``pg_dump --data-only`` of the apiis_admin schema, read as canonical records.

The dump is read as data, line by line; nothing in it is ever executed. It may hold
``COPY <table> (cols) FROM stdin;`` blocks (the default) or ``INSERT`` statements
(``--inserts`` / ``--column-inserts``), plus ``SET``, ``SELECT pg_catalog.setval(...)``,
comments and psql meta-commands (``\\connect``, ``\\restrict``), which are skipped with
the tables we do not need. Any other SQL (CREATE, DROP, UPDATE, DELETE, DO, COPY from a
file or a program, INSERT ... SELECT, ...) has no place in a data-only dump: the file
is rejected with a ParseError that names the line. A pg_dump file that lacks pg_dump's
closing comment is refused as truncated, even when it was cut between two rows. Dumps
that declare another client_encoding (LATIN1, WIN1252, ...) are decoded with it; UTF-8
is the default.

Rows of the seven tables we need are kept as compact tuples (only the columns we use)
until the end of the file, since pg_dump writes tables alphabetically (animal before
transfer and unit); then the records are built and yielded.

How Cryoweb maps to records (the choices the spec leaves open):
- an animal is named ``ext_unit:::ext_id:::ext_animal`` from its transfer row and that
  row's unit; when an animal has several transfer rows, the open one (no closing_dt)
  with the latest opening_dt wins, then the later row of the file;
- a sire or dam that is not a row of the animal table (Cryoweb's 1 and 2, or NULL)
  is unknown (None);
- a BreedRecord is yielded for each breeds_species row that an animal uses, once per
  (EFABIS name, species word, country); unused rows are left out, so that their species
  words need no mapping;
- the species word is the SPECIES code's ext_code (the loader resolves it); the breed's
  country is efabis_country as written (Cryoweb stores the country name, "Germany");
- sex: the ext_code as written; the loader reads it as a sex word (``m`` → male, ``f`` →
  female, ...; ``uid.services.values``) and notes what it does, anything else → record of
  unknown sex, with a note;
- the organism part comes from the protocol's material type (a CRYO_TYPE code): Semen
  → "semen", Embryo → "embryo", Oocyte → "oocyte", others lower-cased as written;
- birth date = birth_dt, else birth_year when it is a year; a vessel without a protocol
  is refused, since its organism part (mandatory) would be unknown;
- animal age at collection = production_dt − birth_dt in days (unit "days"): exact,
  with no rounding; unknown when a date is missing or production precedes birth;
- alternative ids are Cryoweb's internal numbers (db_animal, db_vessel), descriptions
  the comment columns, as the original InjectTool did.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from operator import itemgetter
from typing import BinaryIO

from uid.records import AnimalRecord, BreedRecord, ParseError, RowProblems, SampleRecord

from . import sqltext

__all__ = ["TABLES", "parse_dump"]

PROGRESS_EVERY = 10_000  # lines between progress calls
MAX_LINE = 64 * 1024 * 1024  # bytes: longer lines are not a Cryoweb dump
MAX_STATEMENT = 64 * 1024 * 1024  # characters: a statement that never ends


@dataclass(frozen=True)
class Table:
    """A Cryoweb table we read: its real column order and the columns we use."""

    columns: tuple[str, ...]  # as in Cryoweb's schema: for rows without a column list
    wanted: tuple[str, ...]  # what we keep of a row, in this order
    required: frozenset[str]  # the wanted columns a file must have; the others may be absent


def _table(columns: str, wanted: str, optional: str = "") -> Table:
    wanted_names = tuple(wanted.split())
    return Table(
        columns=tuple(columns.split()),
        wanted=wanted_names,
        required=frozenset(wanted_names) - frozenset(optional.split()),
    )


# Column orders are those of a real Cryoweb 9.6 dump (the fixture's --column-inserts).
TABLES: dict[str, Table] = {
    "animal": _table(
        "db_animal db_sire db_dam db_sex db_breed db_species birth_dt birth_year latitude"
        " longitude image_id db_org la_rep la_rep_dt last_change_dt last_change_user dirty"
        " chk_lvl guid owner version synch db_hybrid comment file_id",
        "db_animal db_sire db_dam db_sex db_breed db_species birth_dt birth_year latitude"
        " longitude comment",
        optional="birth_dt birth_year latitude longitude comment",
    ),
    "breeds_species": _table(
        "breed_id db_breed db_species efabis_mcname efabis_species efabis_country efabis_lang"
        " chk_lvl dirty guid last_change_dt last_change_user owner synch version",
        "db_breed db_species efabis_mcname efabis_species efabis_country",
        optional="efabis_species",
    ),
    "codes": _table(
        "ext_code class db_code short_name long_name description opening_dt closing_dt"
        " last_change_dt last_change_user dirty chk_lvl guid owner version synch",
        "db_code class ext_code long_name",
        optional="long_name",
    ),
    "protocols": _table(
        "protocol_id protocol_name db_material_type comment chk_lvl dirty guid last_change_dt"
        " last_change_user owner synch version",
        "protocol_id db_material_type protocol_name",
        optional="protocol_name",
    ),
    "transfer": _table(
        "db_animal ext_animal db_unit id_set opening_dt closing_dt last_change_dt"
        " last_change_user dirty chk_lvl guid owner version synch",
        "db_animal ext_animal db_unit opening_dt closing_dt",
        optional="opening_dt closing_dt",
    ),
    "unit": _table(
        "db_unit ext_unit ext_id db_contact db_member opening_dt closing_dt last_change_dt"
        " last_change_user dirty chk_lvl guid owner version synch",
        "db_unit ext_unit ext_id",
    ),
    "vessels": _table(
        "db_vessel ext_vessel db_animal protocol_id production_dt freezing_dt db_vessel_type"
        " comment chk_lvl dirty guid last_change_dt last_change_user owner synch version"
        " db_contributor",
        "db_vessel ext_vessel db_animal protocol_id production_dt comment",
        optional="comment",
    ),
}

# CRYO_TYPE codes → organism part labels; any other code is used lower-cased.
ORGANISM_PARTS = {
    "semen": "semen",
    "sperm": "semen",
    "spermatozoa": "semen",
    "embryo": "embryo",
    "embryos": "embryo",
    "oocyte": "oocyte",
    "oocytes": "oocyte",
    "blood": "blood",
    "plasma": "blood plasma",
    "serum": "blood serum",
}
WITH_COORDINATES = "unknown accuracy level"
WITHOUT_COORDINATES = "missing geographic information"

Progress = Callable[[int], None]


def parse_dump(
    stream: BinaryIO, *, filename: str, progress: Progress | None = None
) -> Iterator[BreedRecord | AnimalRecord | SampleRecord]:
    """Read a Cryoweb ``pg_dump --data-only`` from ``stream`` and yield its records.

    Breeds (those the animals use), animals and samples (one per vessel), named as the
    module docstring says, each with ``source`` = "line N" of its row. ``progress`` is
    called with the number of lines read every 10,000 lines and at the end. Raises
    ParseError (naming the file, the line and, where it applies, the table.column) for
    a file that is not a readable data-only dump or whose rows do not fit together;
    nothing is yielded before the whole file has been read.
    """
    reader = _Reader(filename, progress)
    reader.read(stream)
    yield from _records(reader)


# --- Reading the file --------------------------------------------------------------------

_OUT, _PLAIN, _ESCAPED, _QUOTED_NAME = range(4)  # where the statement scanner is
_SPECIAL = re.compile(r"""--|(?<![\w$])[Ee]'|'|"|;""")
_ESCAPED_REST = re.compile(r"(?:[^'\\]|\\.|'')*+'", re.DOTALL)
_LEADING_SPACE = re.compile(r"\s*")
_KEYWORD = re.compile(r"\s*([A-Za-z]*)")
_SET = re.compile(
    r"SET\s+(?:SESSION\s+|LOCAL\s+)?([A-Za-z_][\w.]*)\s*(?:=|\s+TO\s+)\s*(.*?)\s*;\s*\Z",
    re.IGNORECASE | re.DOTALL,
)
# What pg_dump writes besides data: sequence values, the search path, large objects.
_HARMLESS_SELECT = re.compile(
    r"\s*SELECT\s+pg_catalog\s*\.\s*(?:setval|set_config|lo_create|lo_open|lowrite|lo_close)"
    r"\s*\(",
    re.IGNORECASE,
)
# pg_dump --disable-triggers wraps each table's data in these.
_TRIGGERS = re.compile(
    r"\s*ALTER\s+TABLE\s+(?:ONLY\s+)?[\w.\"$]+\s+(?:DISABLE|ENABLE)\s+TRIGGER\s+ALL\s*;\s*\Z",
    re.IGNORECASE,
)
_TRANSACTION = frozenset({"BEGIN", "COMMIT", "END", "START", "RESET"})
_DUMP_HEADER = "-- PostgreSQL database dump"
_DUMP_FOOTER = "-- PostgreSQL database dump complete"


_NULL_GET = {"\\N": None}.get


class _Reader:
    """One pass over the file: statements and COPY blocks into per-table row tuples."""

    def __init__(self, filename: str, progress: Progress | None) -> None:
        self.filename = filename
        self.progress = progress
        self.next_progress = PROGRESS_EVERY
        self.encoding = "utf-8"
        self.standard_strings = True
        self.rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
        self.lines: dict[str, array] = {name: array("q") for name in TABLES}
        self.seen: set[str] = set()  # tables of TABLES that the file has
        self.mappings: dict[tuple, tuple[Callable, bool]] = {}
        self.heads: dict[str, tuple[str, str | None]] = {}
        self.literals = sqltext.LiteralCache()
        self.copy: tuple[str, str | None, int] | None = None  # the COPY block being read
        # The statement being assembled across lines.
        self.parts: list[str] = []
        self.size = 0
        self.start = 0
        self.started = False
        self.state = _OUT
        self.dump_header = False
        self.dump_footer = False

    def error(self, message: str, line: int | None, column: str | None = None) -> ParseError:
        return ParseError(message, file=self.filename, line=line, column=column)

    # The main loop ------------------------------------------------------------------

    def read(self, stream: BinaryIO) -> None:
        lines = iter(partial(stream.readline, MAX_LINE), b"")
        n = 0
        something = False
        for raw in lines:
            n += 1
            if n >= self.next_progress:
                self.report(n)
            line = self.decode(raw, n)
            if n == 1 and line.startswith("\ufeff"):
                line = line[1:]
            # Fast path: pg_dump writes one INSERT per line; with no backslash the quotes
            # balance exactly when the line holds whole strings, and its only ';' ends it.
            if (
                not self.started
                and line.startswith("INSERT INTO ")
                and "\\" not in line
                and "--" not in line
            ):
                text = line.rstrip()
                if text.endswith(";") and text.count(";") == 1 and not text.count("'") % 2:
                    self.insert(text, n)
                    something = True
                    continue
            if not something and line.strip():
                something = True
            self.feed(line, n)
            if self.copy is not None:
                n = self.copy_block(lines, n)
        if self.started:
            raise self.error(
                "the file ends inside a statement that starts on this line "
                "(the file is truncated, or a quote is not closed)",
                self.start,
            )
        self.report(n)
        if not something:
            raise self.error("the file is empty", None)
        if self.dump_header and not self.dump_footer:
            raise self.error(
                "the file is truncated: pg_dump's last line "
                "('-- PostgreSQL database dump complete') is missing",
                n,
            )
        if not self.seen:
            raise self.error(
                "the file holds none of the Cryoweb tables ("
                + ", ".join(sorted(TABLES))
                + "): upload a pg_dump --data-only of Cryoweb's apiis_admin schema",
                None,
            )

    def report(self, n: int) -> None:
        self.next_progress = n + PROGRESS_EVERY
        if self.progress is not None:
            self.progress(n)

    def decode(self, raw: bytes, n: int) -> str:
        if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
            raise self.error(
                f"this line is longer than {MAX_LINE // (1024 * 1024)} MB: not a Cryoweb dump",
                n,
            )
        if b"\x00" in raw:
            raise self.error(_nul_message(raw.index(b"\x00") + 1), n)
        try:
            return raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            name = "UTF-8" if self.encoding == "utf-8" else self.encoding
            raise self.error(
                f"this line is not {name} text (byte 0x{raw[exc.start]:02x} at position "
                f"{exc.start + 1}): export the dump as UTF-8 (pg_dump --encoding=UTF8)",
                n,
            ) from None

    # Statements ---------------------------------------------------------------------

    def feed(self, line: str, n: int) -> None:
        """Scan one line for statement ends (``;`` outside quotes), handling each one."""
        parts = self.parts
        pos = seg = 0
        length = len(line)
        while True:
            state = self.state
            if state == _OUT:
                if not self.started:
                    pos = seg = _LEADING_SPACE.match(line, pos).end()
                    if pos >= length:
                        return
                    if line.startswith("--", pos):
                        self.comment(line[pos:].rstrip())
                        return
                    if line[pos] == "\\":
                        # A psql meta-command (\connect, \restrict ...) takes its line.
                        return
                    self.start = n
                    self.started = True
                match = _SPECIAL.search(line, pos)
                if match is None:
                    break
                special = match.group()
                if special == ";":
                    parts.append(line[seg : match.end()])
                    text = "".join(parts)
                    parts.clear()
                    self.size = 0
                    self.started = False
                    self.statement(text, self.start)
                    pos = seg = match.end()
                    if self.copy is not None:
                        if line[pos:].strip():
                            raise self.error("data on the line of a COPY statement", n)
                        return
                    continue
                if special == "--":
                    parts.append(line[seg : match.start()] + "\n")
                    self.size += match.start() - seg
                    return
                if special == '"':
                    self.state = _QUOTED_NAME
                elif special == "'":
                    self.state = _PLAIN if self.standard_strings else _ESCAPED
                else:
                    self.state = _ESCAPED
                pos = match.end()
            elif state in (_PLAIN, _QUOTED_NAME):
                quote = "'" if state == _PLAIN else '"'
                found = line.find(quote, pos)
                if found < 0:
                    break
                if line.startswith(quote, found + 1):
                    pos = found + 2
                    continue
                self.state = _OUT
                pos = found + 1
            else:
                match = _ESCAPED_REST.match(line, pos)
                if match is None:
                    break
                self.state = _OUT
                pos = match.end()
        parts.append(line[seg:])
        self.size += length - seg
        if self.size > MAX_STATEMENT:
            raise self.error("this statement never ends (a quote that is not closed?)", self.start)

    def comment(self, text: str) -> None:
        # pg_dump frames its output: a file with the first line but not the last is cut.
        if text == _DUMP_HEADER:
            self.dump_header = True
        elif text == _DUMP_FOOTER:
            self.dump_footer = True

    def statement(self, text: str, start: int) -> None:
        keyword = _KEYWORD.match(text).group(1).upper()
        if keyword == "INSERT":
            self.insert(text, start)
        elif keyword == "COPY":
            head = sqltext.copy_head(text)
            if head is None:
                raise self.error(
                    "only 'COPY <table> (<columns>) FROM stdin;' blocks are read: this COPY "
                    "reads a file or a program, writes out, or has options",
                    start,
                )
            table, columns = head
            self.copy = (table, columns, start)
        elif keyword == "SET":
            self.setting(text, start)
        elif keyword == "SELECT":
            if not _HARMLESS_SELECT.match(text):
                raise self.not_data("SELECT", start)
        elif keyword in _TRANSACTION or (keyword == "ALTER" and _TRIGGERS.match(text)):
            pass
        else:
            raise self.not_data(keyword or text.strip()[:20], start)

    def not_data(self, what: str, line: int) -> ParseError:
        return self.error(
            f"the file holds a {what} statement, which is not data: upload a dump made with "
            "pg_dump --data-only (only its COPY and INSERT data are read; nothing is executed)",
            line,
        )

    def setting(self, text: str, start: int) -> None:
        match = _SET.match(text)
        if match is None:
            return  # SET SESSION AUTHORIZATION and the like change nothing for us
        name = match.group(1).lower()
        value = match.group(2).strip().strip("'\"")
        if name == "standard_conforming_strings":
            self.standard_strings = value.lower() in ("on", "true", "yes", "1")
        elif name == "client_encoding":
            encoding = sqltext.python_encoding(value)
            if encoding is None:
                raise self.error(
                    f"the dump is in the {value} encoding, which we do not read: "
                    "export it as UTF-8 (pg_dump --encoding=UTF8)",
                    start,
                )
            self.encoding = encoding

    # Rows -------------------------------------------------------------------------------

    def mapping(self, table: str, columns: str | None, width: int, line: int):
        """(getter of the wanted columns, whether a row needs a None appended)."""
        key = (table, columns, width)
        found = self.mappings.get(key)
        if found is not None:
            return found
        spec = TABLES[table]
        if columns is None:
            if width > len(spec.columns):
                raise self.error(
                    f"a row of {width} values, but the table {table} has "
                    f"{len(spec.columns)} columns (and no column list says which they are)",
                    line,
                    table,
                )
            names = spec.columns[:width]
        else:
            try:
                names = sqltext.split_columns(columns)
            except sqltext.SqlSyntaxError as exc:
                raise self.error(exc.message, line, table) from None
            if width != len(names):
                raise self.error(
                    f"a row of {width} values for the {len(names)} columns of {table}",
                    line,
                    table,
                )
        index = {name: number for number, name in enumerate(names)}
        missing = sorted(spec.required.difference(index))
        if missing:
            raise self.error(
                f"the table {table} has no column {', '.join(missing)}, which we need",
                line,
                f"{table}.{missing[0]}",
            )
        positions = [index.get(name, width) for name in spec.wanted]
        found = (itemgetter(*positions), width in positions)
        self.mappings[key] = found
        return found

    def insert(self, text: str, start: int) -> None:
        head = sqltext.insert_head(text, self.heads)
        if head is None:
            raise self.error(
                "this INSERT is not 'INSERT INTO <table> [(<columns>)] VALUES (...);': "
                "it cannot be read as data",
                start,
            )
        table, columns, begin, end = head
        if table not in TABLES:
            return
        self.seen.add(table)
        if "\\" not in text and text.find("\n", 0, end) < 0:
            raw = sqltext.fast_row(text, begin, end)
            if raw is not None:
                getter, pad = self.mapping(table, columns, len(raw), start)
                if pad:
                    raw.append(None)
                self.rows[table].append(tuple(map(self.literals.__getitem__, getter(raw))))
                self.lines[table].append(start)
                return
        try:
            rows = sqltext.insert_rows(
                text, begin, end, standard_strings=self.standard_strings, encoding=self.encoding
            )
        except sqltext.SqlSyntaxError as exc:
            line = start + text.count("\n", 0, exc.offset or 0)
            raise self.error(f"{exc.message} (in an INSERT into {table})", line, table) from None
        kept = self.rows[table]
        lines = self.lines[table]
        mapping = self.mapping
        if text.find("\n", 0, end) < 0:
            for row in rows:
                getter, pad = mapping(table, columns, len(row), start)
                if pad:
                    row.append(None)
                kept.append(getter(row))
                lines.append(start)
            return
        offsets = sqltext.insert_row_offsets(
            text, begin, end, standard_strings=self.standard_strings
        )
        line, previous = start, 0
        for row, offset in zip(rows, offsets, strict=True):
            line += text.count("\n", previous, offset)
            previous = offset
            getter, pad = mapping(table, columns, len(row), line)
            if pad:
                row.append(None)
            kept.append(getter(row))
            lines.append(line)

    def copy_block(self, lines: Iterator[bytes], n: int) -> int:
        """Read the rows of the COPY block just opened, up to its ``\\.`` line."""
        table, columns, start = self.copy
        wanted = table in TABLES
        if wanted:
            self.seen.add(table)
            kept = self.rows[table]
            kept_lines = self.lines[table]
        encoding = self.encoding
        copy_field = sqltext.copy_field
        next_progress = self.next_progress
        width = -1  # the row width the current getter is for
        getter = pad = None
        for raw in lines:
            n += 1
            if n >= next_progress:
                self.report(n)
                next_progress = self.next_progress
            if raw.startswith(b"\\.") and raw.rstrip(b"\r\n") == b"\\.":
                self.copy = None
                return n
            if len(raw) >= MAX_LINE or b"\x00" in raw:
                self.decode(raw, n)
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError:
                self.decode(raw, n)
            if not wanted:
                continue
            if line.endswith("\n"):
                line = line[:-2] if line.endswith("\r\n") else line[:-1]
            fields = line.split("\t")
            if len(fields) != width:
                getter, pad = self.mapping(table, columns, len(fields), n)
                width = len(fields)
            if pad:
                fields.append(None)
            values = getter(fields)
            if "\\" in line:
                # Mostly NULLs (\N): a dict look-up each; real escapes are rare.
                values = tuple(map(_NULL_GET, values, values))
                if line.count("\\") != fields.count("\\N"):
                    try:
                        values = tuple(
                            v if v is None or "\\" not in v else copy_field(v, encoding)
                            for v in values
                        )
                    except (UnicodeError, ValueError) as exc:
                        raise self.error(
                            f"an escape gives no valid text ({exc})", n, table
                        ) from None
            kept.append(values)
            kept_lines.append(n)
        raise self.error(
            f"the file ends inside the COPY block of {table} that starts on this line "
            "(its end line '\\.' is missing: the file is truncated)",
            start,
            table,
        )


def _nul_message(position: int) -> str:
    # PostgreSQL text cannot hold a NUL byte: refused here, named, rather than by the
    # database at the end of the import.
    return (
        f"a NUL byte (\\0) at position {position} of this line: a text value cannot hold "
        "it (is this a binary file?)"
    )


# --- Building the records --------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:[ T][\d:.+-]*)?\Z")


class _Builder:
    """Joins the kept rows the way Cryoweb's own views do, checking every reference."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.error = reader.error
        self.dates: dict[str, date] = {}

    def rows(self, table: str):
        return zip(self.reader.rows[table], self.reader.lines[table], strict=True)

    def consume(self, table: str):
        """Like rows(), freeing each row once read: records replace them in memory."""
        rows, lines = self.reader.rows[table], self.reader.lines[table]
        for index in range(len(rows)):
            row = rows[index]
            rows[index] = None
            yield row, lines[index]
        rows.clear()

    def date(self, value: str | None, line: int, column: str) -> date | None:
        found = self.dates.get(value)
        if found is not None or value is None:
            return found
        if not value.strip():
            return None
        match = _DATE.match(value.strip())
        try:
            if match is None:
                raise ValueError
            found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise self.error(f"{value!r} is not a date (YYYY-MM-DD)", line, column) from None
        if len(self.dates) < 100_000:  # dates repeat: parse each once
            self.dates[value] = found
        return found

    def number(self, value: str | None, line: int, column: str) -> float | None:
        if value is None or not value.strip():
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise self.error(f"{value!r} is not a number", line, column)
        return number

    def unique(self, table: str, column: str, position: int) -> dict:
        """key → (row, line) for a table whose ``column`` is a key (NULL keys skipped)."""
        found: dict = {}
        for row, line in self.rows(table):
            key = row[position]
            if key is None:
                continue
            first = found.setdefault(key, (row, line))
            if first[0] is not row:
                raise self.error(
                    f"{column} {key} appears twice in {table} (lines {first[1]} and {line})",
                    line,
                    f"{table}.{column}",
                )
        return found

    def build(self) -> Iterator[BreedRecord | AnimalRecord | SampleRecord]:
        codes = self.unique("codes", "db_code", 0)
        units = self.unique("unit", "db_unit", 0)
        protocols = self.unique("protocols", "protocol_id", 0)

        # A code's word: its ext_code (else its long name).
        words: dict[str, str] = {}
        for code, ((_, _, ext_code, long_name), _) in codes.items():
            text = (ext_code or long_name or "").strip()
            if text:
                words[code] = text
        word = words.get
        sexes = words  # as written: the loader reads them as sex words, noting any change

        # The transfer row that names each animal.
        transfers: dict[str, tuple] = {}
        for (db_animal, ext_animal, db_unit, opening, closing), line in self.consume("transfer"):
            rank = (closing is None, opening or "", line)
            best = transfers.get(db_animal)
            if best is None or rank > best[0]:
                transfers[db_animal] = (rank, ext_animal, db_unit, line)

        # Breeds: by (db_breed, db_species), or by db_breed alone when that is unambiguous.
        breed_rows: dict[tuple, tuple] = {}
        by_breed: dict[str, tuple | None] = {}
        for row, line in self.rows("breeds_species"):
            key = (row[0], row[1])
            if key in breed_rows:
                raise self.error(
                    f"breed {row[0]} of species {row[1]} appears twice in breeds_species "
                    f"(lines {breed_rows[key][1]} and {line})",
                    line,
                    "breeds_species.db_breed",
                )
            breed_rows[key] = (row, line)
            by_breed[row[0]] = None if row[0] in by_breed else (row, line)
        breeds: dict[tuple, tuple[str, str, str]] = {}  # breeds_species key → breed, made once
        emitted_breeds: set[tuple[str, str, str]] = set()

        def breed_of(db_breed, db_species, line) -> tuple[str, str, str, int]:
            found = breed_rows.get((db_breed, db_species)) or by_breed.get(db_breed)
            if found is None:
                raise self.error(
                    f"the animal's breed (code {db_breed}, species {db_species}) has no row in "
                    "breeds_species, so its EFABIS breed name and country are unknown",
                    line,
                    "animal.db_breed",
                )
            row, breed_line = found
            made = breeds.get((row[0], row[1]))
            if made is None:
                _, bs_species, mcname, efabis_species, country = row
                mcname = (mcname or "").strip()
                if not mcname:
                    raise self.error(
                        "this breed has no EFABIS name", breed_line, "breeds_species.efabis_mcname"
                    )
                species = word(bs_species) or (efabis_species or "").strip()
                if not species:
                    raise self.error(
                        f"this breed's species (code {bs_species}) is not in codes",
                        breed_line,
                        "breeds_species.db_species",
                    )
                country = (country or "").strip()
                if country.isdigit() and word(country):
                    country = word(country)  # a COUNTRY code rather than its name
                if not country:
                    raise self.error(
                        "this breed has no EFABIS country",
                        breed_line,
                        "breeds_species.efabis_country",
                    )
                made = breeds[(row[0], row[1])] = (mcname, species, country)
            return (*made, breed_line)

        # Animals: names first (parents may come later in the file), then records.
        problems = RowProblems(file=self.reader.filename)
        unnamed: set[str | None] = set()  # animals whose name is a problem already told
        names: dict[str, str] = {}
        first_line: dict[str, int] = {}
        named: dict[str, int] = {}  # name → line of its animal row
        for row, line in self.rows("animal"):
            db_animal = row[0]
            try:
                if db_animal is None:
                    raise self.error("an animal without db_animal", line, "animal.db_animal")
                if db_animal in first_line:
                    raise self.error(
                        f"animal {db_animal} appears twice "
                        f"(lines {first_line[db_animal]} and {line})",
                        line,
                        "animal.db_animal",
                    )
                first_line[db_animal] = line
                transfer = transfers.get(db_animal)
                if transfer is None:
                    raise self.error(
                        f"animal {db_animal} has no row in transfer, so it has no external id",
                        line,
                        "animal.db_animal",
                    )
                _, ext_animal, db_unit, transfer_line = transfer
                unit = units.get(db_unit)
                if unit is None:
                    raise self.error(
                        f"the unit {db_unit} of animal {db_animal} is not in the unit table",
                        transfer_line,
                        "transfer.db_unit",
                    )
                _, ext_unit, ext_id = unit[0]
                if ext_animal is None or ext_unit is None or ext_id is None:
                    raise self.error(
                        f"animal {db_animal} has an empty external id (ext_unit, ext_id or "
                        "ext_animal is NULL)",
                        transfer_line,
                        "transfer.ext_animal",
                    )
                name = f"{ext_unit}:::{ext_id}:::{ext_animal}"
                if name in named:
                    raise self.error(
                        f"two animals have the id '{name}' (lines {named[name]} and {line})",
                        line,
                        "animal.db_animal",
                    )
                named[name] = line
                names[db_animal] = name
            except ParseError as problem:
                # Note it and go on: every wrong row of the dump is reported at once.
                problems.add(problem)
                unnamed.add(db_animal)
        del named, first_line, transfers

        births: dict[str, date] = {}
        for row, line in self.consume("animal"):
            (db_animal, sire, dam, sex, db_breed, db_species, birth_dt, birth_year,
             latitude, longitude, comment) = row  # fmt: skip
            if db_animal in unnamed:
                continue
            try:
                breed, breed_species, country, breed_line = breed_of(db_breed, db_species, line)
                species = word(db_species) or breed_species
                key = (breed, breed_species, country)
                if key not in emitted_breeds:
                    emitted_breeds.add(key)
                    yield BreedRecord(
                        supplied_breed=breed,
                        species=breed_species,
                        country=country,
                        source=f"line {breed_line}",
                    )
                birth = self.date(birth_dt, line, "animal.birth_dt")
                if birth is not None:
                    births[db_animal] = birth
                    birth_date = birth.isoformat()
                elif birth_year and birth_year.strip().isdigit() and len(birth_year.strip()) == 4:
                    birth_date = birth_year.strip()
                else:
                    birth_date = ""
                lat = self.number(latitude, line, "animal.latitude")
                lon = self.number(longitude, line, "animal.longitude")
                yield AnimalRecord(
                    name=names[db_animal],
                    breed=breed,
                    species=species,
                    country=country,
                    sex=sexes.get(sex, ""),
                    father=names.get(sire),
                    mother=names.get(dam),
                    alternative_id=db_animal,
                    description=comment or "",
                    birth_date=birth_date,
                    birth_location_latitude=lat,
                    birth_location_longitude=lon,
                    birth_location_accuracy=(
                        WITH_COORDINATES
                        if lat is not None and lon is not None
                        else WITHOUT_COORDINATES
                    ),
                    source=f"line {line}",
                )
            except ParseError as problem:
                problems.add(problem)

        # Samples: one per vessel.
        parts: dict[str, str] = {}

        def organism_part(protocol_id, line) -> str:
            part = parts.get(protocol_id)
            if part is not None:
                return part
            if protocol_id is None:
                raise self.error(
                    "this vessel has no protocol, so its material (organism part) is unknown",
                    line,
                    "vessels.protocol_id",
                )
            protocol = protocols.get(protocol_id)
            if protocol is None:
                raise self.error(
                    f"the vessel's protocol {protocol_id} is not in the protocols table",
                    line,
                    "vessels.protocol_id",
                )
            (_, material, _), protocol_line = protocol
            text = word(material)
            if text is None:
                raise self.error(
                    f"the protocol's material type (code {material}) is not in codes",
                    protocol_line,
                    "protocols.db_material_type",
                )
            part = ORGANISM_PARTS.get(text.lower(), text.lower())
            parts[protocol_id] = part
            return part

        vessel_lines: dict[str, int] = {}
        for row, line in self.consume("vessels"):
            db_vessel, ext_vessel, db_animal, protocol_id, production_dt, comment = row
            if db_animal in unnamed:
                continue  # its animal's problem is told already
            try:
                name = ext_vessel or ""
                if not name.strip():
                    raise self.error(
                        "a vessel without ext_vessel (its id)", line, "vessels.ext_vessel"
                    )
                if name in vessel_lines:
                    raise self.error(
                        f"two vessels have the id '{name}' (lines {vessel_lines[name]} and {line})",
                        line,
                        "vessels.ext_vessel",
                    )
                vessel_lines[name] = line
                animal = names.get(db_animal)
                if animal is None:
                    raise self.error(
                        f"vessel '{name}' belongs to animal {db_animal}, which is not in the "
                        "animal table",
                        line,
                        "vessels.db_animal",
                    )
                produced = self.date(production_dt, line, "vessels.production_dt")
                age = collected = None
                if produced is not None:
                    collected = production_dt if len(production_dt) == 10 else produced.isoformat()
                    birth = births.get(db_animal)
                    if birth is not None and produced >= birth:
                        age = (produced - birth).days
                yield SampleRecord(
                    name=name,
                    animal=animal,
                    organism_part=organism_part(protocol_id, line),
                    alternative_id=db_vessel or "",
                    description=comment or "",
                    collection_date=collected or "",
                    collection_place_accuracy=WITHOUT_COORDINATES,
                    animal_age_at_collection=age,
                    animal_age_at_collection_unit="days" if age is not None else "",
                    source=f"line {line}",
                )
            except ParseError as problem:
                problems.add(problem)
        problems.raise_any()


def _records(reader: _Reader) -> Iterator[BreedRecord | AnimalRecord | SampleRecord]:
    if not reader.rows["animal"] and not reader.rows["vessels"]:
        raise reader.error("the dump holds no animals (its animal table is empty)", None)
    yield from _Builder(reader).build()
