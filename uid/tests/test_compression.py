"""uid.compression.upload_decompressed: plain uploads pass, gzip ones are read as their text,
and a damaged gzip file is only ever the parser's ParseError."""

import gzip
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crbanim.parser import parse_csv
from cryoweb.parser import parse_dump
from cryoweb.tests.helpers import DATA
from uid.compression import upload_decompressed
from uid.records import ParseError

DUMP = (DATA / "copy_form.sql").read_bytes()
PACKED = gzip.compress(DUMP)


def test_it_hands_a_plain_upload_back_as_it_is():
    stream = io.BytesIO(DUMP)
    assert upload_decompressed(stream, filename="dump.sql") is stream
    assert stream.tell() == 0


def test_it_reads_a_gzip_upload_as_its_text_line_by_line():
    stream = upload_decompressed(io.BytesIO(PACKED), filename="dump.sql.gz")
    assert b"".join(iter(stream.readline, b"")) == DUMP


def test_it_gives_the_parsers_the_same_records_as_the_plain_file():
    plain = list(parse_dump(io.BytesIO(DUMP), filename="d.sql"))
    packed = list(
        parse_dump(upload_decompressed(io.BytesIO(PACKED), filename="d.sql.gz"), filename="d")
    )
    assert packed == plain and plain


@pytest.mark.attack
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.floats(min_value=0.01, max_value=1),
    edits=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1), st.binary(min_size=1, max_size=3)),
        max_size=4,
    ),
    parser=st.sampled_from([parse_dump, parse_csv]),
)
def test_a_damaged_gzip_upload_is_only_ever_a_parse_error(cut, edits, parser):
    content = bytearray(PACKED[: max(2, int(len(PACKED) * cut))])
    for where, piece in edits:
        at = 2 + int((len(content) - 2) * where)  # the magic stays: it is read as gzip
        content[at : at + len(piece)] = piece
    try:
        list(parser(upload_decompressed(io.BytesIO(bytes(content)), filename="x.gz"), filename="x"))
    except ParseError as error:
        assert error.message
