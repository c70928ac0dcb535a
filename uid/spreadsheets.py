"""Text cells that a spreadsheet program shows and never runs (formula injection).

A cell whose text starts with = + - @ (or a tab or carriage return, which some programs
skip before looking) is taken as a formula when a CSV file is opened, and a formula can
fetch URLs with the sheet's data or run commands. Curators' uploads feed what staff and
curators export (breeds, species words, records), so every export passes its text here.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-12.5") is data, not a formula: left as it is.
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\Z")


def starts_like_formula(text: str) -> bool:
    """True when a spreadsheet program could take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.match(text)


def spreadsheet_safe(value: Any) -> Any:
    """``value`` for a CSV or XLSX cell: text that could run is prefixed with a quote."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value
