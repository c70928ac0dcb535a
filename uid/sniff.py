"""What a file is, from its first bytes: the right hint for the wrong file.

A PNG chosen as a Cryoweb dump used to be told to re-export "as UTF-8", and a CSV "ends
inside a statement". Before any format-specific reading, the first kilobytes say what
the file is (image, PDF, old Excel, workbook, gzip and what it holds, SQL dump, CSV),
and a file that is plainly another kind than the chosen data source is refused with
what it looks like and what to choose.
"""

from __future__ import annotations

import re
import zlib

HEAD_BYTES = 8192

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file"),
    (b"PK\x03\x04", "workbook"),  # xlsx (or another zip archive)
)
_SQL = re.compile(r"^(--|SET |COPY |INSERT INTO |CREATE |SELECT pg_catalog)", re.MULTILINE)
# The data source each kind of file belongs to, and the words the upload form uses.
_SOURCE = {"workbook": "template", "sql": "cryoweb", "csv": "crbanim"}
_LOOKS = {
    "workbook": "an Excel workbook (or another zip archive)",
    "sql": "a database dump (SQL)",
    "csv": "a CSV export",
}
_CHOOSE = {"template": "Template", "cryoweb": "CryoWeb", "crbanim": "CRB-Anim"}


def file_kind(head: bytes) -> str | None:
    """'workbook', 'sql', 'csv', a description of a file that is no data at all, or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
        except zlib.error:
            return None  # a damaged gzip file: the reader says so, with more detail
        return file_kind(inner) if inner else None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if "\x00" in text:
        return None
    first = text.lstrip().split("\n", 1)[0]
    if _SQL.match(first):
        return "sql"
    # A header of three columns or more; then SQL further down (a dump with a banner).
    if max(first.count(","), first.count(";"), first.count("\t")) >= 2:
        return "csv"
    return "sql" if _SQL.search(text) else None


def wrong_file_hint(head: bytes, *, datasource_type: str) -> str | None:
    """What to tell a curator whose file plainly is not of ``datasource_type``, or None."""
    kind = file_kind(head)
    if kind is None:
        return None
    if kind not in _SOURCE:
        return (
            f"this is {kind}, not a data file: upload a Cryoweb dump (.sql), a CRB-Anim "
            "export (.csv) or the IMAGE Excel template (.xlsx)"
        )
    if _SOURCE[kind] == datasource_type:
        return None
    return (
        f"this looks like {_LOOKS[kind]}, not a {_CHOOSE[datasource_type]} file; choose "
        f"{_CHOOSE[_SOURCE[kind]]} as the data source"
    )
