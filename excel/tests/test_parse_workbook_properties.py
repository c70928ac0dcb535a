"""excel.parser.parse_workbook on damaged workbooks: records or a ParseError, nothing else."""

import datetime as dt
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from excel.parser import parse_workbook
from excel.tests.workbooks import HEADERS, pig, sample, simple_workbook, workbook_bytes
from uid.records import ParseError

GOOD = simple_workbook(
    [
        pig(
            "a",
            Sex="male",
            **{"Birth date": dt.datetime(2019, 3, 5), "Birth location latitude": 52.1},
        ),
        pig("b", Sex="female", **{"Father id in data source": "a"}),
    ],
    [sample("s", "b", **{"Animal age at collection": "4 years", "Collection date": "2020-01"})],
)
with zipfile.ZipFile(io.BytesIO(GOOD)) as _archive:
    PARTS = {info.filename: _archive.read(info) for info in _archive.infolist()}
XML_PARTS = sorted(name for name in PARTS if name.endswith((".xml", ".rels")))

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_refuses(data: bytes) -> None:
    try:
        records = list(parse_workbook(io.BytesIO(data), filename="fuzz.xlsx"))
    except ParseError as error:
        assert error.file == "fuzz.xlsx"
        assert error.message
    else:
        assert isinstance(records, list)


def test_it_reads_the_unmutated_workbook():
    assert len(list(parse_workbook(io.BytesIO(GOOD), filename="good.xlsx"))) == 4


@SETTINGS
@given(st.integers(min_value=0, max_value=len(GOOD)))
def test_it_refuses_or_reads_a_truncated_workbook(length):
    parses_or_refuses(GOOD[:length])


@SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(GOOD) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    )
)
def test_it_refuses_or_reads_a_workbook_with_flipped_bytes(changes):
    data = bytearray(GOOD)
    for position, value in changes:
        data[position] = value

    parses_or_refuses(bytes(data))


@SETTINGS
@given(
    part=st.sampled_from(XML_PARTS),
    data=st.data(),
)
def test_it_refuses_or_reads_a_workbook_with_damaged_xml(part, data):
    """Damage inside a part, re-zipped so that the archive itself is sound."""
    xml = bytearray(PARTS[part])
    edits = data.draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=len(xml) - 1),
                st.sampled_from(
                    [b"", b"<", b">", b'"', b"&", b"x", b"9", b"\xff", b"<c r='ZZZ9'>"]
                ),
            ),
            min_size=1,
            max_size=5,
        )
    )
    for position, replacement in sorted(edits, reverse=True):
        xml[position : position + 1] = replacement
    members = dict(PARTS, **{part: bytes(xml)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)

    parses_or_refuses(buffer.getvalue())


@SETTINGS
@given(
    sheet=st.sampled_from(["breed", "animal", "sample"]),
    values=st.lists(
        st.one_of(
            st.none(),
            # Control characters cannot be written to a workbook at all.
            st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
            st.integers(),
            st.floats(allow_nan=True, allow_infinity=True),
            st.booleans(),
            st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_it_refuses_or_reads_any_cell_values(sheet, values):
    rows_of = {name: [HEADERS[name]] for name in HEADERS}
    rows_of["breed"].append(["Bunte Bentheimer", "Germany", "Sus scrofa"])
    rows_of[sheet].append(values)

    parses_or_refuses(workbook_bytes(rows_of))
