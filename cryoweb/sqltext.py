"""Reading the text of a pg_dump as data: the lexing half of the Cryoweb parser.

Nothing here executes anything. These functions only recognise the few statement
shapes a data-only dump is made of (``COPY ... FROM stdin`` blocks, ``INSERT ...
VALUES`` statements, ``SET``) and turn literals into Python strings; the parser
decides what the statements mean. Lexing problems are raised as SqlSyntaxError with an
offset into the statement text, and the parser turns them into ParseErrors with a line.
"""

from __future__ import annotations

import re

__all__ = [
    "SqlSyntaxError",
    "copy_field",
    "copy_head",
    "e_string",
    "LiteralCache",
    "fast_literal",
    "fast_row",
    "identifier",
    "insert_head",
    "insert_row_offsets",
    "insert_rows",
    "python_encoding",
    "split_columns",
]


class SqlSyntaxError(Exception):
    """A statement that cannot be read as data; ``offset`` points into its text."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        self.message = message
        self.offset = offset
        super().__init__(message)


# --- Identifiers and statement heads ---------------------------------------------------

_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_QUALIFIED = rf"(?:({_IDENT})\s*\.\s*)?({_IDENT})"

_INSERT_HEAD = re.compile(
    rf"INSERT\s+INTO\s+{_QUALIFIED}\s*(?:\(([^)]*)\))?\s*"
    r"(?:OVERRIDING\s+(?:SYSTEM|USER)\s+VALUE\s+)?VALUES\s*(?=\()",
    re.IGNORECASE,
)
_COPY_HEAD = re.compile(
    rf"COPY\s+{_QUALIFIED}\s*(?:\(([^)]*)\))?\s*FROM\s+stdin\s*;\s*\Z", re.IGNORECASE
)
# pg_dump --on-conflict-do-nothing ends each INSERT with this clause.
_ON_CONFLICT = re.compile(r"\)\s*ON\s+CONFLICT\s+DO\s+NOTHING\s*\Z", re.IGNORECASE)


def identifier(text: str) -> str:
    """An SQL identifier as PostgreSQL names it: unquoted folds to lower case."""
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1].replace('""', '"')
    return text.lower()


def split_columns(text: str) -> tuple[str, ...]:
    """The names of a column list ``a, "B", c`` (without its parentheses)."""
    names = tuple(identifier(part) for part in text.split(","))
    if not all(names):
        raise SqlSyntaxError(f"the column list ({text.strip()}) has an empty name")
    return names


def insert_head(
    text: str, cache: dict[str, tuple[str, str | None]] | None = None
) -> tuple[str, str | None, int, int] | None:
    """Table, column list text (or None) and the span of the VALUES rows of an INSERT.

    ``text`` is a whole statement ending with ``;``. Returns None when it is not an
    ``INSERT INTO <table> [(<columns>)] VALUES (...)`` statement. ``cache`` remembers
    heads already read: pg_dump repeats the same head on every row.
    """
    cut = text.find(" VALUES (")
    head = text[: cut + 8] if cut > 0 else None
    known = cache.get(head) if cache is not None and head is not None else None
    if known is not None:
        table, columns = known
        begin = cut + 8
    else:
        match = _INSERT_HEAD.match(text)
        if match is None:
            return None
        table, columns, begin = identifier(match.group(2)), match.group(3), match.end()
        if cache is not None and begin == cut + 8 and len(cache) < 1000:
            cache[head] = (table, columns)
    end = len(text.rstrip()) - 1
    if end < begin or text[end] != ";":
        return None
    if text[end - 1] != ")":
        conflict = _ON_CONFLICT.search(text, max(begin, end - 200), end)
        if conflict is not None:
            end = conflict.start() + 1
    return table, columns, begin, end


def copy_head(text: str) -> tuple[str, str | None] | None:
    """Table and column list text (or None) of ``COPY <table> [(cols)] FROM stdin;``."""
    match = _COPY_HEAD.match(text)
    if match is None:
        return None
    return identifier(match.group(2)), match.group(3)


# --- COPY text format --------------------------------------------------------------------

_COPY_ESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}


def _copy_escape(match: re.Match) -> bytes:
    octal, hexa, char = match.groups()
    if octal is not None:
        return bytes([int(octal, 8) & 0xFF])
    if hexa is not None:
        return bytes([int(hexa, 16)])
    return _SIMPLE_ESCAPES.get(char, char)


def copy_field(value: str, encoding: str) -> str | None:
    """One field of a COPY text-format row: ``\\N`` is NULL, backslash escapes decoded.

    Octal and hex escapes are bytes of the dump's encoding, so the field is decoded at
    byte level. Raises UnicodeError when the decoded bytes are not valid text.
    """
    if value == "\\N":
        return None
    if "\\" not in value:
        return value
    return _no_nul(_COPY_ESCAPE.sub(_copy_escape, value.encode(encoding)).decode(encoding))


def _no_nul(text: str) -> str:
    """The text of an escape, unless it holds a NUL (PostgreSQL text cannot)."""
    if "\x00" in text:
        raise ValueError("an escape gives a NUL byte (\\0), which a text value cannot hold")
    return text


# --- SQL string literals -----------------------------------------------------------------

_E_ESCAPE = re.compile(
    rb"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))|''",
    re.DOTALL,
)


def e_string(body: str, encoding: str) -> str:
    """The value of an ``E'...'`` literal (``body`` is between the quotes).

    Also used for plain strings when the dump says ``standard_conforming_strings = off``.
    Raises UnicodeError (or ValueError) when an escape does not give valid text.
    """
    if "\\" not in body:
        return body.replace("''", "'")

    def escape(match: re.Match) -> bytes:
        octal, hexa, short, long, char = match.groups()
        if octal is not None:
            return bytes([int(octal, 8) & 0xFF])
        if hexa is not None:
            return bytes([int(hexa, 16)])
        if short is not None or long is not None:
            return chr(int(short or long, 16)).encode(encoding)
        if char is not None:
            return _SIMPLE_ESCAPES.get(char, char)
        return b"'"

    return _no_nul(_E_ESCAPE.sub(escape, body.encode(encoding)).decode(encoding))


# --- VALUES rows ---------------------------------------------------------------------------
#
# One regular expression reads a whole VALUES list with findall: each match is one
# value with what follows it (a comma, or the closing parenthesis of its row), and the
# last alternative turns any other character into an error token, so nothing is
# skipped silently. Python then only walks the tuples, which keeps a 100,000-row
# INSERT dump within seconds.

_STD_BODY = r"[^']*(?:''[^']*)*"
_ESC_BODY = r"[^'\\]*(?:(?:''|\\.)[^'\\]*)*"
_BARE = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[A-Za-z_]\w*"
_TYPE_NAME = r"[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)?(?:\s+[A-Za-z_]\w*)*"
_CAST = rf"(?:\s*::\s*{_TYPE_NAME}(?:\s*\(\s*\d+(?:\s*,\s*\d+)*\s*\))?(?:\s*\[\s*\])*)*"


def _item_pattern(plain_body: str) -> re.Pattern:
    return re.compile(
        rf"\s*(\(?)\s*(?:'({plain_body})'|[Ee]'({_ESC_BODY})'|({_BARE})){_CAST}\s*(,|\)\s*,?)"
        r"|\s*(\S)",
        re.DOTALL,
    )


_ITEM_STANDARD = _item_pattern(_STD_BODY)  # standard_conforming_strings = on
_ITEM_ESCAPING = _item_pattern(_ESC_BODY)  # off: backslashes escape in plain strings too

_NUMBER_START = frozenset("0123456789-+.")
_WORDS = {"NULL": None, "DEFAULT": None, "TRUE": "true", "FALSE": "false"}
_NOT_A_WORD = object()


def insert_rows(
    text: str, start: int, end: int, *, standard_strings: bool, encoding: str
) -> list[list[str | None]]:
    """The rows of ``(v, ...), (v, ...)`` in ``text[start:end]``, as lists of strings.

    NULL and DEFAULT give None; numbers and booleans keep their text; casts such as
    ``'2003-01-16'::date`` are dropped. Raises SqlSyntaxError with the offset of the
    first thing that is not a literal of a row.
    """
    pattern = _ITEM_STANDARD if standard_strings else _ITEM_ESCAPING
    tokens = pattern.findall(text, start, end)
    rows: list[list[str | None]] = []
    row: list[str | None] | None = None
    more = True  # a row must (still) come
    try:
        for opening, plain, escaped, bare, separator, other in tokens:
            if other:
                raise SqlSyntaxError(
                    "expected a literal value (a quoted string, a number, NULL, true or false)"
                )
            if opening:
                if row is not None:
                    raise SqlSyntaxError("a '(' inside a row: expected a literal value")
                if not more:
                    raise SqlSyntaxError("a row follows another without a comma")
                row = []
                more = False
            elif row is None:
                raise SqlSyntaxError("a value outside of a row's parentheses")
            if bare:
                if bare[0] in _NUMBER_START:
                    value = bare
                else:
                    value = _WORDS.get(bare.upper(), _NOT_A_WORD)
                    if value is _NOT_A_WORD:
                        raise SqlSyntaxError(f"{bare} is not a literal value")
            elif plain:
                if not standard_strings:
                    value = e_string(plain, encoding)
                elif "''" in plain:
                    value = plain.replace("''", "'")
                else:
                    value = plain
            elif escaped:
                value = e_string(escaped, encoding)
            else:
                value = ""
            row.append(value)
            if separator != ",":
                rows.append(row)
                row = None
                more = separator[-1] == ","
    except SqlSyntaxError as exc:
        done = sum(len(r) for r in rows) + (len(row) if row else 0)
        exc.offset = _token_offset(pattern, text, start, end, done)
        exc.message += f", at {_snippet(text, exc.offset)}"
        raise
    except (UnicodeError, ValueError, OverflowError) as exc:
        done = sum(len(r) for r in rows) + (len(row) if row else 0)
        raise SqlSyntaxError(
            f"a string escape does not give valid text ({exc})",
            _token_offset(pattern, text, start, end, done),
        ) from None
    if row is not None or more:
        raise SqlSyntaxError("the VALUES list ends inside a row (a missing ')'?)", end)
    return rows


# The fast path, for the line pg_dump writes per row: one row, values separated by
# exactly ", ", no backslash anywhere (so plain and E strings read alike), casts only
# after strings. One regular expression checks the whole row; str.split cuts it; only
# the values the parser keeps are then decoded. Anything else takes insert_rows().
_FAST_VALUE = (
    r"(?:[Ee]?'[^']*+(?:''[^']*+)*+'(?:::[A-Za-z_][\w ]*)?"
    r"|NULL|DEFAULT|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false)"
)
_FAST_ROW = re.compile(rf"\((?:{_FAST_VALUE}, )*+{_FAST_VALUE}\)")


def fast_row(text: str, start: int, end: int) -> list[str] | None:
    """The raw literals of a single ``(v, v, ...)`` row, or None if it is not that simple.

    Only for text without backslashes. The literals are decoded by ``fast_literal``.
    """
    if _FAST_ROW.fullmatch(text, start, end) is None:
        return None
    inner = text[start + 1 : end - 1]
    # A ", " inside a string would cut it: the odd pieces between quotes are the insides.
    if "'" in inner and ", " in "\0".join(inner.split("'")[1::2]):
        return None
    return inner.split(", ")


class LiteralCache(dict):
    """fast_literal with a memory: NULLs, codes and dates repeat on every row."""

    def __missing__(self, token: str | None) -> str | None:
        value = fast_literal(token)
        if len(self) < 50_000:
            self[token] = value
        return value


def fast_literal(token: str | None) -> str | None:
    """The value of one literal checked by ``fast_row`` (None stays None)."""
    if token is None:
        return None
    first = token[0]
    if first == "'" or (first in "Ee" and token[1:2] == "'"):
        body = token[token.index("'") + 1 : token.rindex("'")]
        return body.replace("''", "'") if "''" in body else body
    if first == "N" or first == "D":
        return None
    if first == "t":
        return "true"
    if first == "f":
        return "false"
    return token


def insert_row_offsets(text: str, start: int, end: int, *, standard_strings: bool) -> list[int]:
    """Where each row's ``(`` is in ``text``: only needed when a statement spans lines."""
    pattern = _ITEM_STANDARD if standard_strings else _ITEM_ESCAPING
    return [m.start(1) for m in pattern.finditer(text, start, end) if m.group(1)]


def _snippet(text: str, offset: int) -> str:
    piece = text[offset : offset + 30].split("\n", 1)[0]
    return repr(piece + ("..." if len(piece) == 30 else ""))


def _token_offset(pattern: re.Pattern, text: str, start: int, end: int, index: int) -> int:
    for number, match in enumerate(pattern.finditer(text, start, end)):
        if number == index:
            return match.start(6) if match.group(6) else match.start()
    return end


# --- Encodings -----------------------------------------------------------------------------

# PostgreSQL client_encoding names → Python codecs, for dumps of non-UTF-8 databases.
_ENCODINGS = {
    "UTF8": "utf-8",
    "UNICODE": "utf-8",
    "SQLASCII": "utf-8",
    "LATIN1": "latin-1",
    "LATIN2": "iso8859_2",
    "LATIN3": "iso8859_3",
    "LATIN4": "iso8859_4",
    "LATIN5": "iso8859_9",
    "LATIN6": "iso8859_10",
    "LATIN7": "iso8859_13",
    "LATIN8": "iso8859_14",
    "LATIN9": "iso8859_15",
    "LATIN10": "iso8859_16",
    "WIN1250": "cp1250",
    "WIN1251": "cp1251",
    "WIN1252": "cp1252",
    "WIN1253": "cp1253",
    "WIN1254": "cp1254",
    "WIN1257": "cp1257",
    "KOI8R": "koi8_r",
}


def python_encoding(name: str) -> str | None:
    """The Python codec for a PostgreSQL encoding name, or None when we do not read it."""
    return _ENCODINGS.get(name.strip().strip("'\"").upper().replace("-", "").replace("_", ""))
