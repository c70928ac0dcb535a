"""parse_csv refuses what it cannot read, saying where and why (ParseError only)."""

import io
import random

import openpyxl
import pytest

from crbanim.parser import parse_csv
from crbanim.tests.test_parse_csv import DATA, one_row, two_rows
from injecttool.testing.shared import shared_fixture
from uid.records import ParseError


def refusal(data: bytes, filename: str = "export.csv") -> ParseError:
    with pytest.raises(ParseError) as caught:
        list(parse_csv(io.BytesIO(data), filename=filename))
    assert caught.value.file == filename
    return caught.value


def test_it_refuses_a_latin1_file_before_reading_any_record():
    records = parse_csv(io.BytesIO((DATA / "export_latin1.csv").read_bytes()), filename="x.csv")

    with pytest.raises(ParseError) as caught:
        next(records)

    error = caught.value
    assert error.line == 2
    assert "not UTF-8" in error.message
    assert "-196°C" in error.message  # the text as the curator wrote it
    assert "CSV UTF-8" in error.message


def test_it_refuses_the_real_latin1_export_naming_its_first_non_utf8_line():
    path = shared_fixture("crbanim/crbanim_test_data_latin-1.csv")

    error = refusal(path.read_bytes(), filename=path.name)

    # Line 4 ends the first record (its addresses span lines 2-4) and holds "-80°C".
    assert error.line == 4
    assert "Latin-1" in error.message


def test_it_refuses_a_non_utf8_line_far_into_the_file():
    rows = [one_row(animal_ID=f"A-{n}", sample_identifier=f"S-{n}") for n in range(2000)]
    data = rows[0] + b"".join(r.split(b"\n")[1] + b"\n" for r in rows[1:])
    lines = data.split(b"\n")
    lines[1500] = lines[1500].replace(b"Lacaune", b"M\xe9rinos")
    assert len(b"\n".join(lines[:1500])) > 64 * 1024  # past the look-ahead

    error = refusal(b"\n".join(lines))

    assert error.line == 1501


def test_it_refuses_a_utf16_file():
    data = one_row().decode().encode("utf-16")

    error = refusal(data)

    assert error.line == 1
    assert "UTF-16" in error.message


def test_it_refuses_an_excel_workbook():
    workbook = openpyxl.Workbook()
    workbook.active.append(list(one_row().decode().splitlines()[0].split(",")))
    data = io.BytesIO()
    workbook.save(data)

    error = refusal(data.getvalue(), filename="export.xlsx")

    assert "workbook" in error.message


def test_it_refuses_binary_garbage():
    data = random.Random(0).randbytes(4096)

    error = refusal(data)

    assert error.line == 1


def test_it_refuses_a_file_with_nul_bytes():
    error = refusal(one_row().replace(b"Lacaune", b"Lac\x00une"))

    assert (error.line, "binary" in error.message) == (2, True)


def test_it_refuses_a_header_without_the_mandatory_columns():
    data = one_row().replace(b"sampling_date,", b"date,").replace(b",body_part_name", b",part")

    error = refusal(data)

    assert error.line == 1
    assert error.column == "body_part_name, sampling_date"
    assert "lacks the mandatory column(s) body_part_name, sampling_date" in error.message


def test_it_refuses_a_file_that_is_not_a_crbanim_export():
    error = refusal(b"name,age\nDolly,6\n")

    assert error.line == 1
    assert "Is this a CRB-Anim export?" in error.message


def test_it_refuses_a_column_named_twice():
    header, row = one_row().split(b"\n")[:2]

    error = refusal(header + b",sex\n" + row + b",Male\n")

    assert (error.line, error.column) == (1, "sex")


def test_it_refuses_a_sample_identifier_used_twice():
    data = two_rows({"animal_ID": "A-1"}, {"animal_ID": "A-2"})

    error = refusal(data)

    assert (error.row, error.column) == (3, "sample_identifier")
    assert "'S-1' is used on rows 2 and 3" in error.message


def test_it_accepts_rows_of_one_animal_that_spell_the_same_values_differently():
    data = two_rows(
        {"sample_identifier": "S-1", "sex": "Female", "animal_birth_date": "2019-05-02"},
        {"sample_identifier": "S-2", "sex": "F", "animal_birth_date": "02/05/2019"},
    )

    assert len(list(parse_csv(io.BytesIO(data), filename="export.csv"))) == 4


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf"], ids=["empty", "bom-only"])
def test_it_refuses_an_empty_file(data):
    error = refusal(data)

    assert (error.line, error.message) == (1, "the file is empty")


def test_it_refuses_a_file_starting_with_a_blank_line():
    error = refusal(b"\n" + one_row())

    assert error.line == 1


@pytest.mark.parametrize("ending", [b"", b"\n", b"\n\n,,\n"], ids=["bare", "newline", "blanks"])
def test_it_refuses_a_header_without_rows(ending):
    header = one_row().split(b"\n")[0]

    error = refusal(header + ending)

    assert error.message == "the file has a header but no data rows"


def test_it_refuses_a_row_cut_short():
    data = one_row()
    data = data + data.split(b"\n")[1][:40] + b"\n"

    error = refusal(data)

    assert error.row == 3
    assert "has 6 values but the header has 15 columns" in error.message


def test_it_refuses_a_stray_quote():
    error = refusal(one_row(breed_name="Lacaune").replace(b"Lacaune", b'"Laca"une'))

    assert error.line == 2
    assert "malformed" in error.message


@pytest.mark.parametrize(
    ("cells", "column", "text"),
    [
        ({"animal_ID": ""}, "animal_ID", "is empty"),
        ({"sample_identifier": "\\N"}, "sample_identifier", "is empty"),
        ({"species_latin_name": " "}, "species_latin_name", "is empty"),
        ({"breed_name": ""}, "breed_name", "is empty"),
        ({"country_of_origin": "ZZ"}, "country_of_origin", "'ZZ' is not an ISO 3166 country"),
        ({"animal_birth_date": "2021-02-30"}, "animal_birth_date", "'2021-02-30' is not a date"),
        ({"sampling_date": "yesterday"}, "sampling_date", "'yesterday' is not a date"),
        (
            {"body_part_name": "unknown", "sample_type_name": ""},
            "body_part_name",
            "no organism part",
        ),
    ],
)
def test_it_refuses_a_cell_it_cannot_use(cells, column, text):
    error = refusal(one_row(**cells))

    assert (error.row, error.column) == (2, column)
    assert text in error.message
    assert f"export.csv, row 2, column {column}: " in str(error)


def rows(*changes: dict) -> bytes:
    """An export with one row per ``changes`` (each row its own animal and sample)."""
    made = [
        one_row(**{"animal_ID": f"A-{n}", "sample_identifier": f"S-{n}", **change})
        for n, change in enumerate(changes)
    ]
    return made[0] + b"".join(r.split(b"\n")[1] + b"\n" for r in made[1:])


def test_it_reports_every_wrong_row_at_once():
    data = rows(
        {},
        {"sampling_date": "2019-13-45"},
        {},
        {"country_of_origin": "QQ"},
        {"sample_identifier": "S-0"},
    )

    error = refusal(data)

    assert error.total == 3
    assert [(p.row, p.column) for p in error.problems] == [
        (3, "sampling_date"),
        (5, "country_of_origin"),
        (6, "sample_identifier"),
    ]
    assert str(error).splitlines() == [
        "export.csv: 3 problems:",
        "- row 3, column sampling_date: '2019-13-45' is not a date: "
        "write dates as YYYY-MM-DD (or YYYY-MM, or YYYY)",
        "- row 5, column country_of_origin: 'QQ' is not an ISO 3166 country code we know "
        "(expected e.g. FR, IT, DE)",
        "- row 6, column sample_identifier: the sample_identifier 'S-0' is used on rows 2 and 6: "
        "each sample must appear once",
    ]
    # Where the first problem is, for whoever reads the fields.
    assert (error.file, error.row, error.column) == ("export.csv", 3, "sampling_date")


def test_it_lists_the_first_fifty_problems_and_counts_the_rest():
    error = refusal(rows(*[{"animal_birth_date": "someday"}] * 70))

    # The message lists 50; all are kept, for the list a curator downloads.
    assert error.total == 70 and len(error.problems) == 70
    lines = str(error).splitlines()
    assert lines[0] == "export.csv: 70 problems:"
    assert lines[1].startswith("- row 2, column animal_birth_date: 'someday' is not a date")
    assert lines[-1] == "- and 20 more"


def test_it_counts_a_row_with_too_few_values_as_one_problem_among_others():
    data = rows({"animal_birth_date": "someday"}, {}) + b"A-9,S-9\n"

    error = refusal(data)

    assert error.total == 2
    assert [p.row for p in error.problems] == [2, 4]
    assert "header has" in error.problems[1].message


def test_it_lists_every_bad_cell_of_a_row_with_its_value():
    """A row with two bad dates and a bad country showed the first only: three uploads."""
    error = refusal(
        rows({"animal_birth_date": "someday", "sampling_date": "31/02/2015",
              "country_of_origin": "QQ"})
    )  # fmt: skip

    assert error.total == 3
    assert [(p.row, p.column, p.value) for p in error.problems] == [
        (2, "country_of_origin", "QQ"),
        (2, "animal_birth_date", "someday"),
        (2, "sampling_date", "31/02/2015"),
    ]


def test_a_row_number_is_the_spreadsheets_with_the_line_beside_it():
    """A quoted field with a line break is one spreadsheet row over two lines."""
    import csv

    from crbanim.tests.test_parse_csv import MANDATORY

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*MANDATORY, "BRC_name"])
    writer.writerow([*MANDATORY.values(), "CRB, site\n2"])  # row 2, lines 2 and 3
    writer.writerow([*{**MANDATORY, "sample_identifier": "S-2",
                       "animal_birth_date": "someday"}.values(), "CRB"])  # fmt: skip

    error = refusal(out.getvalue().encode())

    assert (error.row, error.line) == (3, 4)
    assert str(error).startswith("export.csv, row 3 (line 4), column animal_birth_date:")
