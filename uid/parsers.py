"""The parsers of the data source formats, registered by their apps.

uid knows no format by name: each format app (cryoweb, crbanim, excel) registers its
parse function for its DataSourceType when Django starts (``AppConfig.ready``). A parser
takes a binary stream and keyword ``filename`` and ``progress`` and yields records
(``uid.records``), raising ParseError for anything it cannot read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from uid.records import AnimalRecord, BreedRecord, SampleRecord

Parser = Callable[..., Iterator[BreedRecord | AnimalRecord | SampleRecord]]
# Formats that are not decompressed first: a workbook is a zip archive already.
_PACKED: set[str] = set()
_PARSERS: dict[str, Parser] = {}


def parser_register(datasource_type: str, parse: Parser, *, packed: bool = False) -> None:
    """Make ``parse`` the parser of ``datasource_type`` (``packed``: never gzip-wrapped)."""
    _PARSERS[datasource_type] = parse
    if packed:
        _PACKED.add(datasource_type)


def parser_for(datasource_type: str) -> Parser:
    """The registered parser of ``datasource_type``; ValueError when none is."""
    try:
        return _PARSERS[datasource_type]
    except KeyError:
        raise ValueError(f"no parser is registered for {datasource_type!r}") from None


def is_packed(datasource_type: str) -> bool:
    """True for a format that is an archive itself (not decompressed before parsing)."""
    return datasource_type in _PACKED
