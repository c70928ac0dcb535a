"""Small workbooks for the tests, built cell by cell with plain openpyxl.

They are written independently of excel.template, so the parser is not only tested
against what our own generator writes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

import openpyxl

BREED = ["Supplied breed", "EFABIS Breed country", "Species"]
ANIMAL = [
    "Animal id in data source", "Animal description", "Alternative animal ID",
    "Father id in data source", "Mother id in data source", "Breed", "Species", "Sex",
    "Birth date", "Birth location", "Birth location longitude", "Birth location latitude",
    "Birth location accuracy",
]  # fmt: skip
SAMPLE = [
    "Sample id in data source", "Alternative sample ID", "Sample description",
    "Animal id in data source", "Specimen collection protocol", "availability",
    "Collection date", "Collection place latitude", "Collection place longitude",
    "Collection place", "Collection place accuracy", "Organism part", "Developmental stage",
    "Physiological stage", "Animal age at collection", "Sample storage",
    "Sample storage processing", "Sampling to preparation interval",
]  # fmt: skip
HEADERS = {"breed": BREED, "animal": ANIMAL, "sample": SAMPLE}


def rows(sheet: str, records: Iterable[Mapping[str, Any]], *, header: list | None = None) -> list:
    """A sheet's rows: the header, then one row per mapping of header -> value."""
    header = list(header or HEADERS[sheet])
    return [header, *[[record.get(name) for name in header] for record in records]]


def workbook_bytes(sheets: Mapping[str, list[list[Any]]]) -> bytes:
    """An .xlsx file with these sheets (in this order) holding these rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, sheet_rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in sheet_rows:
            worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


def pig_breed() -> dict:
    return {
        "Supplied breed": "Bunte Bentheimer",
        "EFABIS Breed country": "Germany",
        "Species": "Sus scrofa",
    }


def pig(name: str, **values: Any) -> dict:
    """An animal row of the pig breed, with these columns changed."""
    row = {
        "Animal id in data source": name,
        "Alternative animal ID": f"alt-{name}",
        "Breed": "Bunte Bentheimer",
        "Species": "Sus scrofa",
        "Sex": "male",
        "Birth location accuracy": "missing geographic information",
    }
    row.update(values)
    return row


def sample(name: str, animal: str, **values: Any) -> dict:
    row = {
        "Sample id in data source": name,
        "Alternative sample ID": f"alt-{name}",
        "Animal id in data source": animal,
        "Collection place accuracy": "missing geographic information",
        "Organism part": "semen",
    }
    row.update(values)
    return row


def simple_workbook(
    animals: Iterable[Mapping[str, Any]] = (),
    samples: Iterable[Mapping[str, Any]] = (),
    breeds: Iterable[Mapping[str, Any]] | None = None,
) -> bytes:
    """A workbook of the pig breed (unless breeds are given) with these rows."""
    return workbook_bytes(
        {
            "breed": rows("breed", [pig_breed()] if breeds is None else breeds),
            "animal": rows("animal", animals),
            "sample": rows("sample", samples),
        }
    )


def zip_bytes(members: Mapping[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive holding these members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The same .xlsx with one part's content replaced."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[name] = content
    return zip_bytes(members)


def read_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def sheet_part(data: bytes, title: str) -> str:
    """The zip member name holding the sheet of this title."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    index = workbook.sheetnames.index(title)
    return f"xl/worksheets/sheet{index + 1}.xml"
