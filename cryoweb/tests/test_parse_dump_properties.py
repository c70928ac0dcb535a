"""cryoweb.parser.parse_dump on damaged dumps: it reads them or refuses them with a
ParseError, never with any other exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryoweb.tests.helpers import DATA, copy_dump, insert_dump, parse
from uid.records import AnimalRecord, BreedRecord, ParseError, SampleRecord

DUMPS = [
    (DATA / "copy_form.sql").read_bytes(),
    (DATA / "insert_columns.sql").read_bytes(),
    (DATA / "insert_plain.sql").read_bytes(),
    copy_dump().encode(),
    insert_dump().encode(),
]
# What matters to a dump's lexer, and a few bytes that are not UTF-8.
PIECES = [
    b"'", b"''", b'"', b"\\", b";", b"\t", b"\n", b"\r\n", b"--", b"(", b")", b",", b"E'",
    b"\\N", b"\\.", b"\\.\n", b"::date", b"NULL", b"0", b"-1", b"1e999", b"x", b" ", b"\xff",
    b"\xc3", b"COPY x (a) FROM stdin;\n", b"INSERT INTO animal VALUES (", b"SET ", b"$$",
]  # fmt: skip
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _parses_or_refuses(content: bytes) -> None:
    try:
        records = parse(content)
    except ParseError as error:
        assert error.message
        return
    for record in records:
        assert isinstance(record, BreedRecord | AnimalRecord | SampleRecord)


@SETTINGS
@given(dump=st.sampled_from(DUMPS), cut=st.floats(min_value=0, max_value=1))
def test_it_reads_or_refuses_a_truncated_dump(dump, cut):
    _parses_or_refuses(dump[: int(len(dump) * cut)])


@SETTINGS
@given(
    dump=st.sampled_from(DUMPS),
    edits=st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=1),
            st.integers(min_value=0, max_value=3),
            st.one_of(st.sampled_from(PIECES), st.binary(max_size=4)),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_it_reads_or_refuses_a_mutated_dump(dump, edits):
    content = bytearray(dump)
    for where, removed, piece in edits:
        at = int(len(content) * where)
        content[at : at + removed] = piece
    _parses_or_refuses(bytes(content))


@SETTINGS
@given(
    dump=st.sampled_from(DUMPS),
    picks=st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=40),
)
def test_it_reads_or_refuses_a_dump_with_lines_moved_or_lost(dump, picks):
    lines = dump.splitlines(keepends=True)
    moved = [lines[int(p * (len(lines) - 1))] for p in picks]
    _parses_or_refuses(b"".join(moved))


@SETTINGS
@given(content=st.one_of(st.binary(max_size=2000), st.lists(st.sampled_from(PIECES)).map(b"".join)))
def test_it_reads_or_refuses_garbage(content):
    _parses_or_refuses(content)
