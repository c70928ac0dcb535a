"""Uploads compressed with gzip (``dump.sql.gz``, ``export.csv.gz``) are read as their text.

pg_dump output is often piped through gzip, and a compressed dump is a fifth of the size
to upload. The parsers keep reading plain bytes: the upload is decompressed as they read
it, never whole in memory or on disk, and never beyond UPLOAD_MAX_UNCOMPRESSED_BYTES.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

from django.conf import settings

from uid.records import ParseError

GZIP_MAGIC = b"\x1f\x8b"


def upload_decompressed(stream: BinaryIO, *, filename: str) -> BinaryIO:
    """``stream`` as it is, or decompressed when it is gzip (told by its first bytes)."""
    head = stream.read(len(GZIP_MAGIC))
    stream.seek(0)
    if head != GZIP_MAGIC:
        return stream
    limit = settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    return io.BufferedReader(_Gunzip(stream, filename=filename, limit=limit))


class _Gunzip(io.RawIOBase):
    """Reads a gzip stream as its content; every failure is the file's ParseError."""

    def __init__(self, stream: BinaryIO, *, filename: str, limit: int) -> None:
        self._gzip = gzip.GzipFile(fileobj=stream, mode="rb")
        self.filename = filename
        self.limit = limit
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self._gzip.readinto(buffer)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise ParseError(
                f"the file is compressed with gzip, but the compressed data is damaged or "
                f"cut short ({exc}); compress it again, or upload it uncompressed",
                file=self.filename,
            ) from None
        self.size += n
        if self.size > self.limit:
            raise ParseError(
                f"decompressed, the file holds more than {self.limit // (1024 * 1024)} MB, "
                "the most an upload may hold (UPLOAD_MAX_UNCOMPRESSED_BYTES)",
                file=self.filename,
            )
        return n
