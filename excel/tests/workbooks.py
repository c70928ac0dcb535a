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


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def package(
    sheets: Mapping[str, str],
    *,
    shared_strings: str | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    prefix: str = "",
    chart_sheets: Iterable[str] = (),
) -> bytes:
    """A workbook laid out as Excel saves one, built from XML text.

    ``sheets`` maps each sheet's name to the inside of its <sheetData>; ``shared_strings``
    and ``styles`` are the inside of <sst> and <styleSheet>. Relationship targets are
    relative (openpyxl writes absolute ones). With ``prefix`` ("x"), every spreadsheet
    element carries that namespace prefix instead of the default namespace.
    """
    p = f"{prefix}:" if prefix else ""
    declare = f'xmlns:{prefix}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    names = list(sheets) + list(chart_sheets)
    members: dict[str, bytes] = {
        "_rels/.rels": (
            f'<Relationships xmlns="{_PACKAGE_REL_NS}"><Relationship Id="rId1" '
            f'Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
    }
    sheet_list = "".join(
        f'<{p}sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, start=1)
    )
    members["xl/workbook.xml"] = (
        f'<{p}workbook {declare} xmlns:r="{_REL_NS}">{workbook_pr}'
        f"<{p}sheets>{sheet_list}</{p}sheets></{p}workbook>"
    ).encode()
    rels = []
    for n, name in enumerate(names, start=1):
        if name in sheets:
            rels.append((f"rId{n}", "worksheet", f"worksheets/sheet{n}.xml"))
            members[f"xl/worksheets/sheet{n}.xml"] = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f"<{p}worksheet {declare}><{p}sheetData>{sheets[name]}</{p}sheetData>"
                f"</{p}worksheet>"
            ).encode()
        else:
            rels.append((f"rId{n}", "chartsheet", f"chartsheets/sheet{n}.xml"))
            members[f"xl/chartsheets/sheet{n}.xml"] = f"<chartsheet {declare}/>".encode()
    if shared_strings is not None:
        rels.append(("rIdS", "sharedStrings", "sharedStrings.xml"))
        members["xl/sharedStrings.xml"] = f"<{p}sst {declare}>{shared_strings}</{p}sst>".encode()
    if styles is not None:
        rels.append(("rIdT", "styles", "styles.xml"))
        members["xl/styles.xml"] = f"<{p}styleSheet {declare}>{styles}</{p}styleSheet>".encode()
    content_types = {
        "xl/workbook.xml": "spreadsheetml.sheet.main",
        "xl/sharedStrings.xml": "spreadsheetml.sharedStrings",
        "xl/styles.xml": "spreadsheetml.styles",
    }
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="application/'
        f"vnd.openxmlformats-officedocument.{content_types.get(name, 'spreadsheetml.worksheet')}"
        '+xml"/>'
        for name in members
        if name.startswith("xl/") and "chartsheets" not in name
    )
    members["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    ).encode()
    members["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{_PACKAGE_REL_NS}">'
        + "".join(
            f'<Relationship Id="{rel_id}" Type="{_REL_NS}/{kind}" Target="{target}"/>'
            for rel_id, kind, target in rels
        )
        + "</Relationships>"
    ).encode()
    return zip_bytes(members)


def inline_row(number: int, *values: str) -> str:
    """A <row> of inline strings in columns A, B, ... (sheetData content)."""
    cells = "".join(
        f'<c r="{chr(65 + n)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for n, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'
