"""Small dumps for the cryoweb tests: the three tiny animals of the real fixture, in
either form, with any table's rows replaced."""

from __future__ import annotations

import io
from pathlib import Path

from cryoweb.parser import parse_dump
from injecttool.testing.records import as_stored

DATA = Path(__file__).parent / "data"

# Only the columns the parser reads: a column list makes the others optional.
COLUMNS = {
    "animal": "db_animal, db_sire, db_dam, db_sex, db_breed, db_species, birth_dt, latitude, "
    "longitude, comment",
    "breeds_species": "db_breed, db_species, efabis_mcname, efabis_species, efabis_country",
    "codes": "db_code, class, ext_code, long_name",
    "protocols": "protocol_id, protocol_name, db_material_type",
    "transfer": "db_animal, ext_animal, db_unit, opening_dt, closing_dt",
    "unit": "db_unit, ext_unit, ext_id",
    "vessels": "db_vessel, ext_vessel, db_animal, protocol_id, production_dt, comment",
}
ROWS = {
    "animal": [
        [438, 1, 2, 118, 317, 313, None, None, None, None],
        [439, 1, 2, 117, 317, 313, None, None, None, None],
        [440, 438, 439, 118, 317, 313, "2003-01-16", 52.034505, 8.939664, None],
    ],
    "breeds_species": [[317, 313, "Ostfriesisches Milchschaf", "Sheep", "Germany"]],
    "codes": [
        [117, "SEX", "f", "female"],
        [118, "SEX", "m", "male"],
        [313, "SPECIES", "Sheep", "Sheep"],
        [111, "CRYO_TYPE", "Semen", "Semen"],
    ],
    "protocols": [[100, "NHS_Kryoprotokoll_Schafe_2004", 111]],
    "transfer": [
        [1, "unknown_sire", 100, "2007-04-26", None],
        [438, "WF60/B0811", 100, "2007-06-14", None],
        [439, "WF60/6532", 100, "2007-06-14", None],
        [440, "WF001265", 100, "2008-01-16", None],
    ],
    "unit": [[100, "ANIMAL", "ID"]],
    "vessels": [[1451, "MA_052", 440, 100, "2004-01-13", None]],
}
HEAD = (
    "--\n-- PostgreSQL database dump\n--\n\n"
    "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n"
)
FOOT = "--\n-- PostgreSQL database dump complete\n--\n\n"


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _sql_value(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def copy_dump(rows: dict[str, list[list]] | None = None, *, head=HEAD, foot=FOOT) -> str:
    """A COPY-form dump of ROWS, with the tables in ``rows`` replaced (None: left out)."""
    tables = {**ROWS, **(rows or {})}
    out = [head]
    for name, table_rows in sorted(tables.items()):
        if table_rows is None:
            continue
        out.append(f"COPY apiis_admin.{name} ({COLUMNS[name]}) FROM stdin;\n")
        out.extend("\t".join(map(_copy_value, row)) + "\n" for row in table_rows)
        out.append("\\.\n\n")
    out.append(foot)
    return "".join(out)


def insert_dump(rows: dict[str, list[list]] | None = None, *, head=HEAD, foot=FOOT) -> str:
    """The same as copy_dump, as --column-inserts statements."""
    tables = {**ROWS, **(rows or {})}
    out = [head]
    for name, table_rows in sorted(tables.items()):
        if table_rows is None:
            continue
        out.extend(
            f"INSERT INTO apiis_admin.{name} ({COLUMNS[name]}) VALUES "  # noqa: S608
            f"({', '.join(map(_sql_value, row))});\n"
            for row in table_rows
        )
        out.append("\n")
    out.append(foot)
    return "".join(out)


def parse(
    content: bytes | str, *, filename: str = "dump.sql", progress=None, keep_notes=False
) -> list:
    """Every record of a dump given as text or bytes, as an import stores it."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    records = list(parse_dump(io.BytesIO(content), filename=filename, progress=progress))
    return as_stored(records, keep_notes=keep_notes)


def line_of(text: str, fragment: str) -> int:
    """The number of the first line of ``text`` that holds ``fragment``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} is not in the dump")


def by_name(records: list) -> dict:
    return {getattr(r, "name", None) or r.supplied_breed: r for r in records}


def without_sources(records: list) -> list:
    """Records compared across forms: the same content, whatever their line."""
    result = []
    for record in records:
        fields = {name: getattr(record, name) for name in record.__slots__ if name != "source"}
        result.append((type(record).__name__, tuple(sorted(fields.items(), key=str))))
    return sorted(result, key=repr)
