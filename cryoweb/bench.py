"""Synthetic Cryoweb dumps for benchmarks, and a parse benchmark.

``write_dump()`` writes a dump shaped like a real Cryoweb ``pg_dump --data-only``
(the tables we read with all their columns, in pg_dump's alphabetical order, with
parents, several species, breeds and materials, some coordinates and comments with
quotes, tabs, newlines, backslashes and accents), streaming to disk.

``python -m cryoweb.bench --animals 100000 --samples 200000`` writes both forms to a
temporary folder and parses each in a fresh process, printing the time and the peak
memory (ru_maxrss) of the parse.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, TextIO

from injecttool.memory import peak_rss_mb

from .parser import TABLES

SPECIES = [(313, "Sheep"), (341, "Cattle"), (342, "Goat"), (343, "Pig"), (344, "Horse")]
MATERIALS = [(111, "Semen"), (112, "Embryo"), (113, "Oocyte"), (114, "Blood")]
MALE, FEMALE, UNKNOWN = 118, 117, 120
COUNTRY = 107
VESSEL_TYPE = 108
BREEDS_PER_SPECIES = 4
FIRST_BREED = 400
FIRST_ANIMAL = 1000
FIRST_VESSEL = 5000
UNITS = [(100, "ANIMAL", "ID"), (101, "HB", "DE-Herdbook"), (102, "EAR", "DE-Eartag")]
COMMENTS = [
    "Qualitätsrate (Mot) 87,5 %",
    'Bock aus "Zucht" O\'Neill',
    "line one\nline two",
    "tab\there",
    "C:\\cryo\\tank 3",
    "Spermaqualität: gut; Nachkommen geprüft",
]


def write_dump(
    path: Path, *, animals: int, samples: int, form: Literal["copy", "insert"], seed: int = 0
) -> None:
    """Write a synthetic Cryoweb data-only dump of ``animals`` animals and ``samples`` vessels.

    ``form`` "copy" writes COPY blocks (pg_dump's default), "insert" writes one
    ``INSERT INTO apiis_admin.<table> (<columns>) VALUES (...);`` per row
    (``--column-inserts``). The same seed gives the same file.
    """
    if form not in ("copy", "insert"):
        raise ValueError(f"form must be 'copy' or 'insert', not {form!r}")
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    with open(path, "w", encoding="utf-8", newline="\n", buffering=1024 * 1024) as out:
        out.write(
            "--\n-- PostgreSQL database dump\n--\n\n"
            "-- Dumped from database version 9.6.6\n-- Dumped by pg_dump version 16.4\n\n"
            "SET statement_timeout = 0;\nSET lock_timeout = 0;\n"
            "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n"
            "SELECT pg_catalog.set_config('search_path', '', false);\n"
            "SET check_function_bodies = false;\nSET client_min_messages = warning;\n"
            "SET row_security = off;\n\n"
        )
        table = _table_writer(out, form)
        sexes, births = _animal_facts(rng, animals)
        table("animal", _animal_rows(rng, animals, sexes, births))
        table("breeds_species", _breed_rows())
        table("codes", _code_rows())
        table("nodes", [("Germany", "127.0.0.1", "2008-12-04 09:28:01", "", None, None, 143,
                         "Germany", 1, None)], columns="nodename address last_change_dt "
              "last_change_user dirty chk_lvl guid owner version synch")  # fmt: skip
        table("protocols", _protocol_rows())
        out.write(
            "SELECT pg_catalog.setval('apiis_admin.seq_transfer__db_animal', "
            f"{FIRST_ANIMAL + animals}, true);\n\n"
        )
        table("transfer", _transfer_rows(animals))
        table("unit", _unit_rows())
        table("vessels", _vessel_rows(rng, samples, animals, sexes, births))
        out.write("--\n-- PostgreSQL database dump complete\n--\n\n")


def _table_writer(out: TextIO, form: str) -> Callable[..., None]:
    def copy_value(value) -> str:
        if value is None:
            return "\\N"
        text = str(value)
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            text = (
                text.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return text

    def sql_value(value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, int | float):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    def table(name: str, rows: Iterable[tuple], columns: str | None = None) -> None:
        names = columns.split() if columns else list(TABLES[name].columns)
        column_list = ", ".join(names)
        out.write(
            f"--\n-- Data for Name: {name}; Type: TABLE DATA; Schema: apiis_admin; "
            "Owner: apiis_admin\n--\n\n"
        )
        if form == "copy":
            out.write(f"COPY apiis_admin.{name} ({column_list}) FROM stdin;\n")
            out.writelines("\t".join(map(copy_value, row)) + "\n" for row in rows)
            out.write("\\.\n\n\n")
        else:
            head = f"INSERT INTO apiis_admin.{name} ({column_list}) VALUES ("  # noqa: S608
            out.writelines(head + ", ".join(map(sql_value, row)) + ");\n" for row in rows)
            out.write("\n\n")

    return table


def _animal_facts(rng: random.Random, animals: int) -> tuple[list[int], list[date]]:
    """Each animal's sex and birth date; later animals are born later (parents first)."""
    sexes = []
    for _ in range(animals):
        draw = rng.random()
        sexes.append(MALE if draw < 0.3 else UNKNOWN if draw > 0.98 else FEMALE)
    start = date(1985, 1, 1)
    span = 35 * 365
    births = [start + timedelta(days=int(i * span / max(animals, 1)) + rng.randrange(30))
              for i in range(animals)]  # fmt: skip
    return sexes, births


def _animal_rows(rng, animals, sexes, births):
    # Parents: recent earlier animals of the same species, else Cryoweb's unknown 1 and 2.
    males: list[list[int]] = [[] for _ in SPECIES]
    females: list[list[int]] = [[] for _ in SPECIES]
    for i in range(animals):
        db_animal = FIRST_ANIMAL + i
        species_index = i % len(SPECIES)
        fathers, mothers = males[species_index], females[species_index]
        sire = rng.choice(fathers[-200:]) if fathers and rng.random() < 0.7 else 1
        dam = rng.choice(mothers[-200:]) if mothers and rng.random() < 0.7 else 2
        has_place = rng.random() < 0.3
        yield (
            db_animal, sire, dam, sexes[i], _breed_code(rng, species_index),
            SPECIES[species_index][0], births[i].isoformat(), None,
            round(rng.uniform(47.0, 55.0), 6) if has_place else None,
            round(rng.uniform(6.0, 15.0), 6) if has_place else None,
            None, 112, None, None, "2008-01-16 16:18:14", "jmoos", None, None,
            10_000 + i, "Germany", 1, None, None,
            rng.choice(COMMENTS) if rng.random() < 0.05 else None, None,
        )  # fmt: skip
        if sexes[i] == MALE:
            fathers.append(db_animal)
        elif sexes[i] == FEMALE:
            mothers.append(db_animal)


def _breed_code(rng: random.Random, species_index: int) -> int:
    return FIRST_BREED + species_index * BREEDS_PER_SPECIES + rng.randrange(BREEDS_PER_SPECIES)


def _breed_rows():
    for s, (species_code, species) in enumerate(SPECIES):
        for b in range(BREEDS_PER_SPECIES):
            code = FIRST_BREED + s * BREEDS_PER_SPECIES + b
            yield (
                code + 100, code, species_code, f"{species} breed {b + 1}", species, "Germany",
                "en", None, None, 7000 + code, "2008-12-15 10:57:00", "manager", "Germany",
                None, 1,
            )  # fmt: skip


def _code_rows():
    def code(ext, cls, db_code, short, long):
        return (
            ext, cls, db_code, short, long, None, "2007-04-26", None, "2008-12-08 10:56:08",
            "manager", None, None, 400 + db_code, "Germany", 1, None,
        )  # fmt: skip

    yield code("m", "SEX", MALE, "maennlich", "male")
    yield code("f", "SEX", FEMALE, "weiblich", "female")
    yield code("u", "SEX", UNKNOWN, "unbekannt", "unknown")
    yield code("Germany", "COUNTRY", COUNTRY, "Deutschland", "Germany")
    yield code("Straw 0.25", "VESSEL_TYPE", VESSEL_TYPE, "Straw 0.25", "Straw 0.25")
    for db_code, name in SPECIES:
        yield code(name, "SPECIES", db_code, name, name)
    for db_code, name in MATERIALS:
        yield code(name, "CRYO_TYPE", db_code, name, name)
    for s, (_, species) in enumerate(SPECIES):
        for b in range(BREEDS_PER_SPECIES):
            db_code = FIRST_BREED + s * BREEDS_PER_SPECIES + b
            yield code(f"{species[:3]}{b}", "BREED", db_code, f"{species[:3]}{b}", "breed")


def _protocol_rows():
    for number, (material, name) in enumerate(MATERIALS):
        yield (
            100 + number, f"{name}_protocol_2004", material, "Kryoprotokoll", None, None,
            760 + number, "2010-05-19 11:17:18", "mhenn", "Germany", None, 1,
        )  # fmt: skip


def _transfer_rows(animals: int):
    yield (1, "unknown_sire", 100, None, "2007-04-26", None, "2007-04-26 12:30:05", "cryo",
           None, None, 480, "Germany", 1, None)  # fmt: skip
    yield (2, "unknown_dam", 100, None, "2007-04-26", None, "2007-04-26 12:30:05", "cryo",
           None, None, 481, "Germany", 1, None)  # fmt: skip
    for i in range(animals):
        unit = UNITS[i % len(UNITS)][0]
        yield (
            FIRST_ANIMAL + i, f"DE{i:010d}", unit, None, "2007-06-14", None,
            "2007-06-14 14:54:36", "jmoos", None, None, 20_000 + i, "Germany", 1, None,
        )  # fmt: skip


def _unit_rows():
    for db_unit, ext_unit, ext_id in UNITS:
        yield (
            db_unit, ext_unit, ext_id, None, None, "2007-04-26", None, "2007-04-26 12:30:05",
            "cryo", None, None, 478 + db_unit, "Germany", 1, None,
        )  # fmt: skip


def _vessel_rows(rng, samples, animals, sexes, births):
    for v in range(samples):
        i = rng.randrange(animals) if animals else 0
        sex = sexes[i] if animals else MALE
        if sex == MALE:
            protocol = 100 if rng.random() < 0.9 else 103
        else:
            protocol = rng.choice((101, 102, 103))
        produced = (births[i] if animals else date(2000, 1, 1)) + timedelta(
            days=rng.randrange(300, 3000)
        )
        yield (
            FIRST_VESSEL + v, f"V{v:08d}_{SPECIES[i % len(SPECIES)][1]}_{produced:%d.%m.%y}",
            FIRST_ANIMAL + i, protocol, produced.isoformat(), produced.isoformat(), VESSEL_TYPE,
            rng.choice(COMMENTS) if rng.random() < 0.1 else None, None, None, 30_000 + v,
            "2008-12-15 18:29:57", "jmoos", "Germany", None, 1, None,
        )  # fmt: skip


# --- The benchmark ----------------------------------------------------------------------


def _parse_once(path: Path) -> dict:
    """Parse ``path`` as the import does (every record in one list); time and peak memory."""
    from .parser import parse_dump

    started = time.perf_counter()
    with open(path, "rb") as stream:
        records = list(parse_dump(stream, filename=path.name))
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "records": len(records),
        "peak_rss_mb": round(peak_rss_mb()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--animals", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200_000)
    parser.add_argument("--form", choices=["copy", "insert", "both"], default="both")
    parser.add_argument("--folder", type=Path, help="keep the dumps here")
    parser.add_argument("--parse", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.parse:
        print(json.dumps(_parse_once(args.parse)))
        return 0
    with tempfile.TemporaryDirectory(prefix="cryoweb-bench-") as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for form in ("copy", "insert") if args.form == "both" else (args.form,):
            path = folder / f"cryoweb_{args.animals}_{args.samples}_{form}.sql"
            started = time.perf_counter()
            write_dump(path, animals=args.animals, samples=args.samples, form=form)
            written = time.perf_counter() - started
            result = subprocess.run(
                [sys.executable, "-m", "cryoweb.bench", "--parse", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(result.stdout)
            size_mb = path.stat().st_size / 1e6
            print(
                f"{form:6} {size_mb:7.1f} MB written in {written:5.1f} s; parsed "
                f"{figures['records']} records in {figures['seconds']:5.2f} s, "
                f"peak RSS {figures['peak_rss_mb']} MB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
