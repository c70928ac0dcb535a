"""Safety checks on an uploaded workbook, made before any of its XML is parsed.

An .xlsx file is a zip archive of XML parts. A hostile or broken upload can unpack to
far more than it weighs (a decompression bomb), hold millions of cells, or carry XML
entity declarations; each is refused here with a message a curator understands. The
limits come from Django settings, with defaults:

- ``EXCEL_MAX_FILE_BYTES``: size of the uploaded file (100 MB);
- ``EXCEL_MAX_UNCOMPRESSED_BYTES``: all parts unpacked together (500 MB);
- ``EXCEL_MAX_RATIO``: how much better than this a large part may not compress (100);
- ``EXCEL_MAX_CELLS``: cells in all worksheets together (5,000,000).

Python's zipfile never yields more bytes than a part's declared size (a part that
claims less than it holds fails its CRC check), so the declared sizes bound what
the reader (excel.xlsx) can ever read, and the checks on them can run before any
unpacking.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from uid.records import ParseError

NOT_XLSX = "not an Excel workbook (.xlsx)"

# What zipfile, zlib and XML parsing raise on broken or hostile content (an XML syntax
# error is a SyntaxError). Other exceptions (a task's time limit, a callback
# failing) are not the file's fault and pass through.
DATA_ERRORS = (
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    ArithmeticError,
    SyntaxError,
    OSError,
    EOFError,
    RuntimeError,
    AssertionError,
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_MAX_MEMBERS = 10_000
# Only parts at least this big are held to the compression ratio: a small part that
# compresses well (an empty styles part) cannot be a bomb.
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024

# A cell element, with or without a namespace prefix: <c r="A1" ...>, <c/>, <x:c ...>.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?c[\s/>]")
_CELL_TAG_MAX = 20  # longest text _CELL_TAG can match
# The same without a prefix, twice as fast: used where no prefixed one can be.
_PLAIN_CELL_TAG = re.compile(rb"<c[\s/>]")
_PREFIXED_CELL_TAG_END = re.compile(rb":c[\s/>]")
# In every encoding an XML part may declare (expat reads UTF-16 as well as UTF-8), so
# that a DTD cannot pass the check by being spelt in two bytes a character.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_DTD_MARKER_MAX = max(len(marker) for marker in _DTD_MARKERS)


@dataclass(frozen=True, slots=True)
class Limits:
    file_bytes: int
    uncompressed_bytes: int
    ratio: float
    cells: int


def limits() -> Limits:
    """The configured limits (Django settings), with defaults when unset."""
    return Limits(
        file_bytes=int(_setting("EXCEL_MAX_FILE_BYTES", 100 * 1024**2)),
        uncompressed_bytes=int(_setting("EXCEL_MAX_UNCOMPRESSED_BYTES", 500 * 1024**2)),
        ratio=float(_setting("EXCEL_MAX_RATIO", 100)),
        cells=int(_setting("EXCEL_MAX_CELLS", 5_000_000)),
    )


def _setting(name: str, default: int) -> int:
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:  # used outside Django (the benchmark script)
        return default


def _megabytes(size: float) -> str:
    return f"{size / 1024**2:,.1f} MB"


def workbook_archive_check(stream: BinaryIO, *, filename: str, limits: Limits) -> None:
    """Refuse a stream that is not a safe .xlsx archive; leave it at position 0.

    Raises ParseError naming the file and the reason; reads every XML part once
    (streamed, never more than its declared size) to count cells and to find DTDs.
    """
    size = _stream_size(stream, filename=filename)
    if size == 0:
        raise ParseError(f"{NOT_XLSX}: the file is empty", file=filename)
    if size > limits.file_bytes:
        raise ParseError(
            f"the file is {_megabytes(size)}, more than the limit of "
            f"{_megabytes(limits.file_bytes)}; split it into smaller workbooks",
            file=filename,
        )
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(_OLE2_MAGIC):
        raise ParseError(
            f"{NOT_XLSX}: this is an old Excel 97-2003 (.xls) file or a password-protected "
            "workbook; remove the password and save it as 'Excel Workbook (.xlsx)'",
            file=filename,
        )
    if not head.startswith(_ZIP_MAGIC):
        raise ParseError(
            f"{NOT_XLSX}; save it from Excel as 'Excel Workbook (.xlsx)'", file=filename
        )
    try:
        with zipfile.ZipFile(stream) as archive:
            _check_members(archive, filename=filename, limits=limits)
    except DATA_ERRORS as exc:
        # zipfile reports a broken archive through many types (BadZipFile, zlib.error,
        # EOFError, struct.error, NotImplementedError, RuntimeError for encryption...).
        raise ParseError(
            f"{NOT_XLSX}: the file is damaged ({type(exc).__name__}); "
            "open it in Excel and save it again",
            file=filename,
        ) from exc
    finally:
        stream.seek(0)


def _stream_size(stream: BinaryIO, *, filename: str) -> int:
    try:
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
    except (OSError, AttributeError, ValueError) as exc:
        raise ParseError("the upload cannot be read again from its start", file=filename) from exc
    return size


def _check_members(archive: zipfile.ZipFile, *, filename: str, limits: Limits) -> None:
    members = archive.infolist()
    names = {info.filename for info in members}
    if "[Content_Types].xml" not in names or not any(
        re.search(r"(^|/)workbook\d*\.xml$", name) for name in names
    ):
        raise ParseError(f"{NOT_XLSX}: it is a zip archive without a workbook in it", file=filename)
    if len(members) > _MAX_MEMBERS:
        raise ParseError(
            f"the workbook has {len(members):,} parts, more than {_MAX_MEMBERS:,}; "
            "it may be a decompression bomb",
            file=filename,
        )
    declared = sum(info.file_size for info in members)
    if declared > limits.uncompressed_bytes:
        raise ParseError(
            f"the workbook unpacks to {_megabytes(declared)}, more than the limit of "
            f"{_megabytes(limits.uncompressed_bytes)}; split it into smaller workbooks",
            file=filename,
        )
    for info in members:
        if info.file_size >= _RATIO_FLOOR and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise ParseError(
                f"the part {info.filename} of the workbook unpacks {ratio:,.0f} times larger than "
                f"it is stored (the limit is {limits.ratio:,.0f}); it looks like a decompression "
                "bomb, not a workbook saved by a spreadsheet program",
                file=filename,
            )
    cells = 0
    for info in members:
        if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        is_sheet = info.filename.lower().startswith("xl/worksheets/")
        cells += _scan_part(archive, info, count_cells=is_sheet, filename=filename)
        if cells > limits.cells:
            raise ParseError(
                f"the workbook has more than {limits.cells:,} cells (the limit); "
                "split it into smaller workbooks",
                file=filename,
            )


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_DECLARED_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
# Spreadsheet programs write UTF-8; XML allows UTF-16 too. Any other encoding would let a
# DTD be spelt in bytes the DTD check does not know.
_ALLOWED_ENCODINGS = {
    "utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be",
    "us-ascii", "ascii",
}  # fmt: skip


def _check_encoding(head: bytes, *, part: str, filename: str) -> None:
    """Refuse an XML part that declares an encoding other than UTF-8 or UTF-16."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if head.startswith(bom):
            encoding, head = name, head[len(bom) :]
            break
    else:
        if head[:2] == b"<\0":
            encoding = "utf-16-le"
        elif head[:2] == b"\0<":
            encoding = "utf-16-be"
    text = head[:400].decode(encoding, errors="replace")
    match = _DECLARED_ENCODING.match(text)
    if match and match.group(1).strip().lower() not in _ALLOWED_ENCODINGS:
        raise ParseError(
            f"the part {part} of the workbook is written in the {match.group(1)!r} encoding; "
            "spreadsheet programs write UTF-8, so the file is refused",
            file=filename,
        )


def _scan_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, count_cells: bool, filename: str
) -> int:
    """Unpack one part in chunks: refuse DTDs, count cell elements if asked."""
    cells = 0
    keep = max(_CELL_TAG_MAX, _DTD_MARKER_MAX) - 1
    tail = b""
    with archive.open(info) as part:
        first = True
        while chunk := part.read(_CHUNK):
            if first:
                _check_encoding(chunk, part=info.filename, filename=filename)
                first = False
            buffer = tail + chunk
            if any(marker in buffer for marker in _DTD_MARKERS):
                raise ParseError(
                    f"the part {info.filename} of the workbook declares XML entities (a DTD); "
                    "spreadsheet programs never write these, so the file is refused",
                    file=filename,
                )
            if count_cells and len(buffer) > keep:
                # Count a tag only where it starts before the carried-over tail, so a tag
                # cut by a chunk boundary is counted once, in the next buffer. (A tag holds
                # a single "<", so tags never overlap.)
                limit = len(buffer) - keep
                pattern = _CELL_TAG if _PREFIXED_CELL_TAG_END.search(buffer) else _PLAIN_CELL_TAG
                cells += len(pattern.findall(buffer)) - len(pattern.findall(buffer, limit))
            tail = buffer[-keep:] if len(buffer) > keep else buffer
    if count_cells and tail:
        cells += sum(1 for _ in _CELL_TAG.finditer(tail))
    return cells
