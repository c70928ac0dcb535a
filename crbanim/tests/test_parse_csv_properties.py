"""parse_csv on damaged files: it reads them or raises ParseError, never anything else."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crbanim.parser import parse_csv
from crbanim.tests.test_parse_csv import DATA, RULES_EXPECTED
from injecttool.testing.records import as_stored
from uid.records import AnimalRecord, BreedRecord, ParseError, SampleRecord

VALID = (DATA / "export_rules.csv").read_bytes()
# Bytes that matter to a CSV reader or a UTF-8 decoder.
TOKENS = [
    b'"', b",", b";", b"\t", b"\n", b"\r", b"\r\n", b"\\N", b"\xef\xbb\xbf", b"\xff", b"\xe9",
    b"\xc3", b"\x00", b"\xb0", b" ", b"unknown", b"SAMEA1", b"BULL-1", b"S-001", b"-30\xc2\xb0C",
]  # fmt: skip

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def outcome(data: bytes) -> list | ParseError:
    """The records, or the ParseError; any other exception fails the test."""
    try:
        records = list(parse_csv(io.BytesIO(data), filename="damaged.csv"))
    except ParseError as error:
        assert error.file == "damaged.csv"
        assert error.message
        return error
    _assert_consistent(records)
    return records


def _assert_consistent(records: list) -> None:
    """What the loader relies on: unique names, each sample after its animal."""
    animals: set[str] = set()
    samples: set[str] = set()
    for record in records:
        assert isinstance(record, BreedRecord | AnimalRecord | SampleRecord)
        assert record.source.startswith("row ")
        if isinstance(record, AnimalRecord):
            assert record.name and record.name not in animals
            animals.add(record.name)
        elif isinstance(record, SampleRecord):
            assert record.name and record.name not in samples
            assert record.animal in animals
            assert record.organism_part
            samples.add(record.name)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "flip"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


@FAST
@given(mutated())
def test_it_reads_or_refuses_a_mutated_file(data):
    outcome(data)


@FAST
@given(st.integers(0, len(VALID)))
def test_it_reads_or_refuses_a_truncated_file(length):
    outcome(VALID[:length])


@FAST
@given(st.binary(max_size=2000))
def test_it_refuses_garbage_bytes(data):
    assert isinstance(outcome(data), ParseError)


@FAST
@given(st.text(max_size=500))
def test_it_refuses_random_text(text):
    assert isinstance(outcome(text.encode("utf-8", "surrogatepass")), ParseError)


@FAST
@given(data=st.data(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_it_reads_the_columns_in_any_order_with_any_delimiter(data, delimiter):
    rows = list(csv.reader(io.StringIO(VALID.decode(), newline="")))
    order = data.draw(st.permutations(range(len(rows[0]))))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([[row[i] for i in order] for row in rows])

    assert as_stored(outcome(out.getvalue().encode())) == RULES_EXPECTED
