"""Synthetic filled IMAGE templates for benchmarks, and a parse benchmark.

``write_workbook`` writes a template as a genebank would fill it: a few breeds of the
seeded species and countries, animals with parents of the right sex from the same
breed, birth dates full or partial, places with a
matching accuracy, and samples (semen of males, blood, oocytes...) with storage words
of the ruleset, ages and preparation intervals. Words are ones the dictionaries know,
so the file imports.

``python -m excel.bench --animals 10000 --samples 20000`` writes such a workbook and
prints how long ``parse_workbook`` takes to read it whole, and the peak memory (RSS)
of a fresh process doing only that; then the same for a copy holding its text in a
shared string table, as Excel saves workbooks.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

from injecttool.memory import peak_rss_mb
from uid.records import AnimalRecord, SampleRecord

# (supplied breed, species, EFABIS breed country, id prefix, (latitude, longitude))
BREEDS = (
    ("Bunte Bentheimer", "Sus scrofa", "Germany", "DE-BB", (52.3, 7.2)),
    ("Large White", "Sus scrofa", "United Kingdom", "UK-LW", (52.5, -1.5)),
    ("Nero Siciliano", "Sus scrofa", "Italy", "IT-NS", (37.6, 14.0)),
    ("Mangalica", "Sus scrofa", "Hungary", "HU-MA", (47.1, 19.5)),
    ("Holstein", "Bos taurus", "Netherlands", "NL-HO", (52.6, 5.8)),
    ("Chianina", "Bos taurus", "Italy", "IT-CH", (43.3, 11.8)),
    ("Rätisches Grauvieh", "Bos taurus", "Switzerland", "CH-RG", (46.7, 9.6)),
    ("Limousine", "Bos taurus", "France", "FR-LI", (45.8, 1.3)),
    ("Merino", "Ovis aries", "Spain", "ES-ME", (39.5, -6.3)),
    ("Texel", "Ovis aries", "Netherlands", "NL-TX", (53.1, 4.8)),
    ("Skudde", "Ovis aries", "Germany", "DE-SK", (54.2, 10.5)),
    ("Saanen", "Capra hircus", "Switzerland", "CH-SA", (46.5, 7.3)),
    ("Girgentana", "Capra hircus", "Italy", "IT-GI", (37.3, 13.6)),
    ("Lipizzaner", "Equus caballus", "Austria", "AT-LI", (47.1, 15.1)),
    ("Polverara", "Gallus gallus", "Italy", "IT-PO", (45.3, 11.9)),
)
FEMALE_PARTS = ("blood", "blood", "oocyte", "embryo", "hair", "ovary")
STORAGE = {
    "semen": "frozen, liquid nitrogen",
    "oocyte": "frozen, liquid nitrogen",
    "embryo": "frozen, vapor phase",
    "blood": "frozen, -80 degrees Celsius freezer",
    "hair": "ambient temperature",
    "ovary": "RNAlater, frozen -20 degrees Celsius",
}
PROCESSING = {
    "semen": "cryopreservation of live cells in liquid nitrogen",
    "oocyte": "cryopreservation of live cells in liquid nitrogen",
    "embryo": "cryopreservation of live cells in liquid nitrogen",
    "blood": "cryopreservation, other",
    "hair": "",
    "ovary": "cryopreservation in liquid nitrogen (dead tissue)",
}
PROTOCOLS = tuple(f"https://genebank.example.org/protocols/{n}.pdf" for n in range(1, 13))
REGIONS = ("Nord", "Süd", "Ost", "West", "Mitte")


def write_workbook(path: Path, *, animals: int, samples: int, seed: int = 0) -> None:
    """Write a filled IMAGE template of ``animals`` animals and ``samples`` samples.

    Samples are spread at random over the animals; parents are earlier animals of the
    same breed (no accessions: the loader only accepts those of the owner's records).
    Written with openpyxl's write-only mode.
    """
    from excel.template import template_write

    if animals < 1 or samples < 0:
        raise ValueError("need at least one animal")
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data, not secrets
    animal_records = list(_animals(rng, animals))
    sample_records = list(_samples(rng, samples, animal_records))
    template_write(path, animals=animal_records, samples=sample_records, write_only=True)


_INLINE_CELL = re.compile(
    rb'<c([^>]*?) t="inlineStr"([^>]*)><is>(?:<t(?: [^>]*)?>(.*?)</t>|<t(?: [^>]*)?/>)</is></c>',
    re.S,
)
_SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)


def with_shared_strings(data: bytes) -> bytes:
    """The same workbook with its text in a shared string table, as Excel keeps it.

    openpyxl writes every text cell as an inline string; Excel writes each distinct text
    once in xl/sharedStrings.xml and cells point at it (t="s"). Only the layout openpyxl
    writes (excel.template, the tests' workbooks) is understood here.
    """
    strings: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        text = match.group(3) or b""
        index = strings.setdefault(text, len(strings))
        return b'<c%s t="s"%s><v>%d</v></c>' % (match.group(1), match.group(2), index)

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            content = original.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = _INLINE_CELL.sub(shared, content)
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>'
                    % _SHARED_STRINGS_TYPE.encode(),
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="%s" Target="sharedStrings.xml"/>'
                    b"</Relationships>" % _SHARED_STRINGS_REL.encode(),
                )
            copy.writestr(info, content)
        items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in strings)
        copy.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'count="%d" uniqueCount="%d">%s</sst>' % (len(strings), len(strings), items),
        )
    return buffer.getvalue()


def _place(rng: random.Random, centre: tuple[float, float], herd: int) -> tuple:
    """(place, latitude, longitude, accuracy), consistent with each other."""
    draw = rng.random()
    if draw < 0.6:
        latitude = round(centre[0] + rng.uniform(-0.8, 0.8), 5)
        longitude = round(centre[1] + rng.uniform(-0.8, 0.8), 5)
        return f"Farm {herd}, {rng.choice(REGIONS)}", latitude, longitude, "precise coordinates"
    if draw < 0.85:
        return f"Region {rng.choice(REGIONS)}", None, None, "region level"
    return "", None, None, "missing geographic information"


def _animals(rng: random.Random, count: int):
    males: dict[str, list[str]] = {breed[0]: [] for breed in BREEDS}
    females: dict[str, list[str]] = {breed[0]: [] for breed in BREEDS}
    for n in range(count):
        breed, species, country, prefix, centre = rng.choice(BREEDS)
        draw = rng.random()
        sex = "male" if draw < 0.45 else "female" if draw < 0.95 else "record of unknown sex"
        name = f"{prefix}-{n + 1:06d}"
        father = mother = None
        if males[breed] and females[breed] and rng.random() < 0.85:
            father = rng.choice(males[breed][-200:])
            mother = rng.choice(females[breed][-200:])
        born = date(1995, 1, 1) + timedelta(days=rng.randrange(25 * 365))
        precision = rng.random()
        if precision < 0.85:
            birth_date = born.isoformat()
        elif precision < 0.95:
            birth_date = born.isoformat()[:7]
        else:
            birth_date = str(born.year)
        herd = rng.randrange(1, 400)
        place, latitude, longitude, accuracy = _place(rng, centre, herd)
        yield AnimalRecord(
            name=name,
            breed=breed,
            species=species,
            country=country,
            sex=sex,
            father=father,
            mother=mother,
            alternative_id=f"HB{rng.randrange(10**8):08d}",
            description=f"{breed} {sex} from herd {herd}",
            birth_date=birth_date,
            birth_location=place,
            birth_location_latitude=latitude,
            birth_location_longitude=longitude,
            birth_location_accuracy=accuracy,
        )
        if sex == "male":
            males[breed].append(name)
        elif sex == "female":
            females[breed].append(name)


def _samples(rng: random.Random, count: int, animals: list[AnimalRecord]):
    centres = {breed[0]: breed[4] for breed in BREEDS}
    for n in range(count):
        animal = rng.choice(animals)
        part = "semen" if animal.sex == "male" else rng.choice(FEMALE_PARTS)
        born = date.fromisoformat(f"{animal.birth_date}-01-01"[:10]) if animal.birth_date else None
        days = rng.randrange(180, 4000)
        collected = (born or date(2000, 1, 1)) + timedelta(days=days)
        if days < 730:
            age, unit = days // 30, "months"
        else:
            age, unit = days // 365, "years"
        place, latitude, longitude, accuracy = _place(
            rng, centres[animal.breed], rng.randrange(400)
        )
        availability = rng.choices(
            (
                "mailto:genebank@example.org",
                "https://genebank.example.org/request",
                "no longer available",
            ),
            weights=(7, 2, 1),
        )[0]
        yield SampleRecord(
            name=f"SAMPLE-{n + 1:07d}",
            animal=animal.name,
            organism_part=part,
            alternative_id=f"STRAW-{rng.randrange(10**7):07d}",
            description=f"{part} of {animal.name}",
            protocol=rng.choice(PROTOCOLS),
            collection_date=collected.isoformat(),
            collection_place=place,
            collection_place_latitude=latitude,
            collection_place_longitude=longitude,
            collection_place_accuracy=accuracy,
            developmental_stage="adult",
            physiological_stage="mature",
            animal_age_at_collection=float(age) if born else None,
            animal_age_at_collection_unit=unit if born else "",
            availability=availability,
            storage=STORAGE[part],
            storage_processing=PROCESSING[part],
            preparation_interval=float(rng.choice((1, 2, 4, 24))),
            preparation_interval_unit="hours",
        )


def parse_figures(path: Path) -> dict:
    """Parse a workbook whole; its time, record counts and this process's peak RSS."""
    from excel.parser import parse_workbook

    started = time.perf_counter()
    with path.open("rb") as stream:
        records = list(parse_workbook(stream, filename=path.name))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "animals": sum(isinstance(r, AnimalRecord) for r in records),
        "samples": sum(isinstance(r, SampleRecord) for r in records),
        "records": len(records),
        "peak_mb": peak_rss_mb(),
    }


def main() -> None:
    """Write a synthetic template, parse it whole in a fresh process, print the figures."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--animals", type=int, default=10_000)
    options.add_argument("--samples", type=int, default=20_000)
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--parse", type=Path, help=argparse.SUPPRESS)  # internal: the child
    args = options.parse_args()
    if args.parse:
        print(json.dumps(parse_figures(args.parse)))
        return
    with tempfile.TemporaryDirectory(prefix="excel-bench-") as folder:
        path = Path(folder) / "template.xlsx"
        started = time.perf_counter()
        write_workbook(path, animals=args.animals, samples=args.samples, seed=args.seed)
        written = time.perf_counter() - started
        print(f"wrote {path.stat().st_size / 1e6:.1f} MB in {written:.1f} s")
        shared = Path(folder) / "shared-strings.xlsx"
        shared.write_bytes(with_shared_strings(path.read_bytes()))
        for layout, workbook in (("inline strings (ours)", path), ("shared strings", shared)):
            child = subprocess.run(
                [sys.executable, "-m", "excel.bench", "--parse", str(workbook)],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"{layout}: parsed {figures['animals']:,} animals + {figures['samples']:,} "
                f"samples ({figures['records']:,} records) in {figures['seconds']:.2f} s; "
                f"peak RSS of the parsing process {figures['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
