"""excel.parser.parse_workbook refuses bad workbooks with a ParseError saying where and why."""

import base64
import io
import random
import struct
import zipfile

import openpyxl
import pytest

from excel.parser import parse_workbook
from excel.tests.workbooks import (
    ANIMAL,
    BREED,
    SAMPLE,
    inline_row,
    package,
    pig,
    pig_breed,
    read_member,
    replace_member,
    rows,
    sample,
    sheet_part,
    simple_workbook,
    stream,
    workbook_bytes,
    zip_bytes,
)
from uid.records import ParseError

FILENAME = "genebank.xlsx"


def refuse(data: bytes) -> ParseError:
    with pytest.raises(ParseError) as caught:
        list(parse_workbook(stream(data), filename=FILENAME))
    assert caught.value.file == FILENAME
    return caught.value


# --- not a workbook ----------------------------------------------------------------


def test_it_refuses_a_file_that_is_not_xlsx():
    error = refuse(b"animal;sex\n1;male\n")

    assert error.message.startswith("not an Excel workbook (.xlsx)")


def test_it_refuses_an_empty_file():
    error = refuse(b"")

    assert error.message.startswith("not an Excel workbook (.xlsx)")
    assert "empty" in error.message


def test_it_refuses_an_old_xls_file_saying_what_to_do():
    error = refuse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)

    assert error.message.startswith("not an Excel workbook (.xlsx)")
    assert ".xls" in error.message


def test_it_refuses_a_zip_that_is_not_a_workbook():
    error = refuse(zip_bytes({"readme.txt": b"hello", "data/animals.csv": b"a,b\n"}))

    assert error.message.startswith("not an Excel workbook (.xlsx)")


def test_it_refuses_a_word_document():
    error = refuse(zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}))

    assert error.message.startswith("not an Excel workbook (.xlsx)")


def test_it_refuses_a_truncated_workbook():
    data = simple_workbook([pig("a")])

    error = refuse(data[: len(data) // 2])

    assert error.message.startswith("not an Excel workbook (.xlsx)")


def test_it_refuses_a_workbook_whose_sheet_is_broken_xml():
    data = simple_workbook([pig("a")])
    part = sheet_part(data, "animal")

    error = refuse(replace_member(data, part, read_member(data, part)[:-40]))

    assert "cannot be read" in error.message


def test_it_names_the_sheet_and_row_where_a_sheet_breaks_off():
    data = simple_workbook([pig("a"), pig("b"), pig("c")])
    part = sheet_part(data, "animal")
    xml = read_member(data, part)
    broken = xml.replace(b"<is><t>alt-b</t></is>", b"<is><t>alt-b</is>", 1)

    error = refuse(replace_member(data, part, broken))

    assert (error.sheet, error.row) == ("animal", 3)
    assert "cannot be read" in error.message


def test_it_refuses_a_chart_in_place_of_a_sheet():
    data = package(
        {"breed": inline_row(1, *BREED), "sample": inline_row(1, *SAMPLE)},
        chart_sheets=["animal"],
    )

    error = refuse(data)

    assert error.sheet == "animal"
    assert "not a worksheet" in error.message


# --- limits ------------------------------------------------------------------------


def _bomb(size: int) -> bytes:
    """A zip with a workbook's names whose sheet is `size` bytes of blanks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(b"<worksheet><sheetData>")
            block = b" " * (1024 * 1024)
            for _ in range(size // len(block)):
                part.write(block)
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@pytest.mark.attack
def test_it_refuses_a_decompression_bomb():
    data = _bomb(64 * 1024 * 1024)
    assert len(data) < 200 * 1024  # tiny, yet unpacks to 64 MB

    error = refuse(data)

    assert "decompression bomb" in error.message
    assert "xl/worksheets/sheet1.xml" in error.message


@pytest.mark.attack
def test_it_refuses_a_workbook_unpacking_beyond_the_limit(settings):
    settings.EXCEL_MAX_UNCOMPRESSED_BYTES = 20 * 1024
    data = simple_workbook([pig(f"a{n}") for n in range(300)])

    error = refuse(data)

    assert "unpacks to" in error.message
    assert "limit" in error.message


def test_it_refuses_a_part_that_holds_more_than_it_declares():
    data = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet>" + b"<row/>" * 200_000 + b"</worksheet>",
        }
    )
    # Declare the sheet 100 bytes long, in its local header and in the central directory.
    forged = bytearray(data)
    name = b"xl/worksheets/sheet1.xml"
    local = forged.index(name) - 30  # the local header's fixed part comes before the name
    assert forged[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", forged, local + 22, 100)
    central = forged.index(b"PK\x01\x02")
    while forged[central + 46 : central + 46 + len(name)] != name:
        central = forged.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", forged, central + 24, 100)

    error = refuse(bytes(forged))

    assert error.message.startswith("not an Excel workbook (.xlsx)")
    assert "damaged" in error.message


def test_it_refuses_a_file_above_the_size_limit(settings):
    settings.EXCEL_MAX_FILE_BYTES = 1000

    error = refuse(simple_workbook([pig("a")]))

    assert "more than the limit" in error.message


@pytest.mark.attack
def test_it_refuses_too_many_cells_before_parsing(settings):
    settings.EXCEL_MAX_CELLS = 100

    error = refuse(simple_workbook([pig(f"a{n}") for n in range(20)]))

    assert "more than 100 cells" in error.message
    assert error.sheet is None  # counted in the archive, before any sheet was read


def test_it_counts_cells_written_with_a_namespace_prefix_before_parsing(settings):
    settings.EXCEL_MAX_CELLS = 100
    rows = "".join(inline_row(n, *"abcdef") for n in range(1, 21))
    data = package({"breed": rows.replace("<", "<x:").replace("<x:/", "</x:")}, prefix="x")

    error = refuse(data)

    assert "more than 100 cells" in error.message
    assert error.sheet is None  # counted in the archive, before any sheet was read


def test_it_stops_at_the_cell_limit_on_rows_far_down_a_sheet(settings):
    settings.EXCEL_MAX_CELLS = 10_000
    workbook = openpyxl.Workbook()
    workbook.active.title = "breed"
    workbook["breed"].append(["Supplied breed", "EFABIS Breed country", "Species"])
    workbook["breed"].cell(row=1_000_000, column=1, value="far away")
    workbook.create_sheet("animal")
    workbook.create_sheet("sample")
    buffer = io.BytesIO()
    workbook.save(buffer)

    error = refuse(buffer.getvalue())

    assert "more than 10,000 cells" in error.message
    assert error.sheet == "breed"


@pytest.mark.attack
def test_it_refuses_xml_entity_declarations():
    data = simple_workbook([pig("a")])
    part = sheet_part(data, "animal")
    xml = read_member(data, part)
    declaration = b'<!DOCTYPE worksheet [<!ENTITY lol "lol">]>'
    forged = xml.replace(b"<worksheet", declaration + b"<worksheet", 1)

    error = refuse(replace_member(data, part, forged))

    assert "DTD" in error.message


# --- sheets and columns --------------------------------------------------------------


def test_it_names_a_missing_sheet():
    data = workbook_bytes({"breed": rows("breed", [pig_breed()]), "animal": rows("animal", [])})

    error = refuse(data)

    assert error.sheet == "sample"
    assert "no sheet 'sample'" in error.message


def test_it_names_a_missing_mandatory_column():
    header = [name for name in ANIMAL if name != "Sex"]
    data = workbook_bytes(
        {
            "breed": rows("breed", [pig_breed()]),
            "animal": rows("animal", [pig("a")], header=header),
            "sample": rows("sample", []),
        }
    )

    error = refuse(data)

    assert (error.sheet, error.row, error.column) == ("animal", 1, "Sex")
    assert "'Sex'" in error.message


def test_it_names_every_missing_mandatory_column():
    header = [name for name in SAMPLE if name not in ("Organism part", "Alternative sample ID")]
    data = workbook_bytes(
        {
            "breed": rows("breed", [pig_breed()]),
            "animal": rows("animal", []),
            "sample": rows("sample", [], header=header),
        }
    )

    error = refuse(data)

    assert error.sheet == "sample"
    assert "'Alternative sample ID'" in error.message
    assert "'Organism part'" in error.message


def test_it_does_not_require_optional_or_recommended_columns():
    header = [name for name in ANIMAL if name not in ("Birth date", "Father id in data source")]
    data = workbook_bytes(
        {
            "breed": rows("breed", [pig_breed()]),
            "animal": rows("animal", [pig("a")], header=header),
            "sample": rows("sample", []),
        }
    )

    assert len(list(parse_workbook(stream(data), filename=FILENAME))) == 2


def test_it_refuses_a_column_named_twice():
    data = workbook_bytes(
        {
            "breed": rows("breed", [pig_breed()]),
            "animal": rows("animal", [pig("a")], header=[*ANIMAL, " breed "]),
            "sample": rows("sample", []),
        }
    )

    error = refuse(data)

    assert (error.sheet, error.column) == ("animal", " breed ".strip())
    assert "columns F and N" in error.message


def test_it_refuses_a_sheet_without_a_header():
    data = workbook_bytes(
        {"breed": rows("breed", [pig_breed()]), "animal": [], "sample": rows("sample", [])}
    )

    error = refuse(data)

    assert error.sheet == "animal"
    assert "empty" in error.message


# --- rows ----------------------------------------------------------------------------


def test_it_names_both_rows_of_a_duplicate_animal_id():
    error = refuse(simple_workbook([pig("a"), pig("b"), pig("a")]))

    assert (error.sheet, error.row, error.column) == ("animal", 4, "Animal id in data source")
    assert "rows 2 and 4" in error.message


def test_it_names_both_rows_of_a_duplicate_sample_id():
    error = refuse(simple_workbook([pig("a")], [sample("s", "a"), sample("s", "a")]))

    assert (error.sheet, error.row) == ("sample", 3)
    assert "rows 2 and 3" in error.message


def test_it_refuses_an_unknown_parent():
    animals = [pig("a", **{"Mother id in data source": "ghost"})]

    error = refuse(simple_workbook(animals))

    assert (error.sheet, error.row, error.column) == ("animal", 2, "Mother id in data source")
    assert "'ghost'" in error.message


def test_it_refuses_an_animal_that_is_its_own_parent():
    error = refuse(simple_workbook([pig("a", **{"Father id in data source": "a"})]))

    assert (error.row, error.column) == (2, "Father id in data source")


def test_it_refuses_the_same_animal_as_father_and_mother():
    animals = [
        pig("a"),
        pig("b", **{"Father id in data source": "a", "Mother id in data source": "a"}),
    ]

    error = refuse(simple_workbook(animals))

    assert (error.row, error.column) == (3, "Mother id in data source")


def test_it_refuses_a_sample_of_an_unknown_animal():
    error = refuse(simple_workbook([pig("a")], [sample("s", "b")]))

    assert (error.sheet, error.row, error.column) == ("sample", 2, "Animal id in data source")
    assert "'b'" in error.message


def test_it_refuses_a_malformed_accession_reference():
    error = refuse(simple_workbook([pig("a")], [sample("s", "SAMEA12x")]))

    assert error.column == "Animal id in data source"


def test_it_refuses_a_species_missing_from_the_breed_sheet():
    error = refuse(simple_workbook([pig("a", Species="Ovis aries")]))

    assert (error.sheet, error.row, error.column) == ("animal", 2, "Species")
    assert "'Ovis aries' is not in the breed sheet" in error.message


def test_it_refuses_a_breed_missing_from_the_breed_sheet():
    error = refuse(simple_workbook([pig("a", Breed="Large White")]))

    assert (error.sheet, error.row, error.column) == ("animal", 2, "Breed")


def test_it_refuses_one_breed_with_two_countries():
    other = {**pig_breed(), "EFABIS Breed country": "Italy"}

    error = refuse(simple_workbook([pig("a")], breeds=[pig_breed(), other]))

    assert (error.sheet, error.row) == ("breed", 3)
    assert "rows 2 and 3" in error.message


def test_it_refuses_a_row_without_an_id():
    error = refuse(simple_workbook([pig("a"), pig(None, Sex="female")]))

    assert (error.sheet, error.row, error.column) == ("animal", 3, "Animal id in data source")


def test_it_refuses_a_sample_without_organism_part():
    error = refuse(simple_workbook([pig("a")], [sample("s", "a", **{"Organism part": " "})]))

    assert (error.sheet, error.column) == ("sample", "Organism part")


def test_it_refuses_a_date_in_another_format():
    error = refuse(simple_workbook([pig("a", **{"Birth date": "05/03/2019"})]))

    assert (error.sheet, error.row, error.column) == ("animal", 2, "Birth date")
    assert "YYYY-MM-DD" in error.message


def test_it_refuses_an_age_without_a_number():
    error = refuse(
        simple_workbook(
            [pig("a")], [sample("s", "a", **{"Animal age at collection": "four years"})]
        )
    )

    assert (error.sheet, error.column) == ("sample", "Animal age at collection")


def test_it_refuses_an_age_in_an_unknown_unit():
    data = simple_workbook(
        [pig("a")], [sample("s", "a", **{"Sampling to preparation interval": "2 fortnights"})]
    )

    error = refuse(data)

    assert error.column == "Sampling to preparation interval"
    assert "'fortnights'" in error.message


def test_it_refuses_a_coordinate_that_is_not_a_number():
    error = refuse(simple_workbook([pig("a", **{"Birth location latitude": "north"})]))

    assert (error.row, error.column) == (2, "Birth location latitude")


def test_it_refuses_a_date_cell_holding_a_plain_number():
    error = refuse(simple_workbook([pig("a", **{"Birth date": 43529})]))

    assert error.column == "Birth date"
    assert "43529 is a number, not a date" in error.message


# --- every wrong row at once ----------------------------------------------------------


def test_it_reports_every_wrong_row_and_cell_at_once():
    animals = [
        pig("a", **{"Birth date": "05/03/2019", "Birth location latitude": "north"}),
        pig("b"),
        pig("c", Breed="Unknown breed"),
    ]
    samples = [sample("s1", "b"), sample("s2", "ghost"), sample("s1", "b")]

    error = refuse(simple_workbook(animals, samples))

    assert error.total == 5
    assert [(p.sheet, p.row, p.column) for p in error.problems] == [
        ("animal", 2, "Birth date"),
        ("animal", 2, "Birth location latitude"),
        ("animal", 4, "Breed"),
        ("sample", 3, "Animal id in data source"),
        ("sample", 4, "Sample id in data source"),
    ]
    lines = str(error).splitlines()
    assert lines[0] == "genebank.xlsx: 5 problems:"
    assert lines[1].startswith("- sheet animal, row 2, column Birth date: ")


def test_it_does_not_tell_rows_that_refer_to_a_wrong_row_again():
    # Animal "a" is wrong; its sample and its child refer to it and are not told as wrong,
    # and neither are the animals of a wrong breed row.
    breeds = [pig_breed(), {"Supplied breed": "Schwäbisch-Hällisches", "Species": "Sus scrofa"}]
    animals = [
        pig("a", **{"Birth date": "soon"}),
        pig("child", **{"Father id in data source": "a"}),
        pig("d", Breed="Schwäbisch-Hällisches"),
    ]

    error = refuse(simple_workbook(animals, [sample("s", "a")], breeds=breeds))

    assert error.total == 2
    assert [(p.sheet, p.row) for p in error.problems] == [("breed", 3), ("animal", 2)]


@pytest.mark.attack
@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"], ids=lambda e: e
)
def test_it_refuses_a_dtd_in_any_encoding(encoding):
    data = simple_workbook([pig("a")])
    part = sheet_part(data, "animal")
    text = read_member(data, part).decode("utf-8")
    if text.startswith("<?xml"):
        text = text[text.index("?>") + 2 :]
    label = encoding.replace("-sig", "").upper()
    forged = (
        f'<?xml version="1.0" encoding="{label}"?>'
        '<!DOCTYPE worksheet [<!ENTITY lol "ENTITYEXPANDED">]>' + text
    ).encode(encoding)

    error = refuse(replace_member(data, part, forged))

    assert "DTD" in error.message
    assert part in error.message


def test_it_reads_workbooks_through_defusedxml():
    # openpyxl (the template generator, admin imports) forbids entities only with it.
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.attack
def test_it_refuses_a_part_in_an_encoding_that_hides_a_dtd():
    # In EBCDIC (cp500), "<!DOCTYPE" is other bytes; expat reads any one-byte codec.
    data = simple_workbook([pig("a")])
    part = sheet_part(data, "animal")
    text = read_member(data, part).decode("utf-8")
    body = text[text.index("?>") + 2 :] if text.startswith("<?xml") else text
    forged = b'<?xml version="1.0" encoding="cp500"?>' + (
        '<!DOCTYPE worksheet [<!ENTITY lol "ENTITYEXPANDED">]>' + body
    ).encode("cp500")

    error = refuse(replace_member(data, part, forged))

    assert "'cp500' encoding" in error.message


@pytest.mark.attack
def test_it_refuses_a_row_longer_than_the_cap():
    # A cell of 20 MB (Excel holds 32,767 characters at most) would be held whole.
    data = simple_workbook([pig("a")])
    part = sheet_part(data, "animal")
    xml = read_member(data, part)
    assert b">alt-a<" in xml
    # Random letters: a text that compresses would be refused as a bomb first.
    text = base64.b64encode(random.Random(8).randbytes(15 * 1024 * 1024))
    forged = xml.replace(b">alt-a<", b">" + text + b"<", 1)

    error = refuse(replace_member(data, part, forged))

    assert "longer than 16 MB" in error.message
    assert error.sheet == "animal"
