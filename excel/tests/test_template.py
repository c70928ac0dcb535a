"""excel.template: the empty template and filled exports."""

import dataclasses
import io
import json
import zipfile

import openpyxl
import pytest

from excel.bench import write_workbook
from excel.parser import parse_workbook
from excel.template import template_bytes, template_workbook, template_write
from uid.records import AnimalRecord, BreedRecord, SampleRecord
from validation.registry import RULESET_PATH

RULESET = json.loads(RULESET_PATH.read_text())

# The template's columns, written out here so that a change of order fails.
SOURCES_MD = {
    "breed": ["Supplied breed", "EFABIS Breed country", "Species"],
    "animal": [
        "Animal id in data source", "Animal description", "Alternative animal ID",
        "Father id in data source", "Mother id in data source", "Breed", "Species", "Sex",
        "Birth date", "Birth location", "Birth location longitude", "Birth location latitude",
        "Birth location accuracy",
    ],
    "sample": [
        "Sample id in data source", "Alternative sample ID", "Sample description",
        "Animal id in data source", "Specimen collection protocol", "availability",
        "Collection date", "Collection place latitude", "Collection place longitude",
        "Collection place", "Collection place accuracy", "Organism part", "Developmental stage",
        "Physiological stage", "Animal age at collection", "Sample storage",
        "Sample storage processing", "Sampling to preparation interval",
    ],
}  # fmt: skip

# Read off the ruleset's "Required" of each column's rule.
MANDATORY = {
    "breed": {"Supplied breed", "EFABIS Breed country", "Species"},
    "animal": {
        "Animal id in data source", "Alternative animal ID", "Breed", "Species", "Sex",
        "Birth location accuracy",
    },
    "sample": {
        "Sample id in data source", "Alternative sample ID", "Animal id in data source",
        "Collection place accuracy", "Organism part",
    },
}  # fmt: skip
RECOMMENDED = {
    "breed": set(),
    "animal": {
        "Birth date", "Birth location", "Birth location longitude", "Birth location latitude",
    },
    "sample": {
        "Specimen collection protocol", "availability", "Collection date",
        "Collection place latitude", "Collection place longitude", "Collection place",
        "Developmental stage", "Physiological stage", "Sample storage",
        "Sample storage processing",
    },
}  # fmt: skip


def rule_values(name: str) -> list[str]:
    for group in RULESET["rule_groups"]:
        for rule in group["rules"]:
            if rule["Name"] == name:
                return rule["Valid values"]
    raise KeyError(name)


@pytest.fixture(scope="module")
def empty():
    return openpyxl.load_workbook(io.BytesIO(template_bytes()))


def header(worksheet) -> list:
    return [cell.value for cell in worksheet[1]]


def drop_down(workbook, sheet: str, column: str) -> tuple[list[str], str]:
    """The values offered in a column, and the range the drop-down covers."""
    worksheet = workbook[sheet]
    letter = openpyxl.utils.get_column_letter(header(worksheet).index(column) + 1)
    for validation in worksheet.data_validations.dataValidation:
        ranges = str(validation.sqref)
        if ranges.startswith(f"{letter}2:"):
            source, cells = validation.formula1.split("!")
            values = [row[0] for row in workbook[source.strip("'")][cells.replace("$", "")]]
            return [cell.value for cell in values], ranges
    raise AssertionError(f"no drop-down on {sheet} {column}")


def test_it_has_the_three_sheets_first_and_hides_the_lists(empty):
    assert empty.sheetnames == ["breed", "animal", "sample", "description", "lists"]
    assert empty["lists"].sheet_state == "hidden"


def test_it_writes_the_columns_of_sources_md_in_order(empty):
    for sheet, columns in SOURCES_MD.items():
        assert header(empty[sheet]) == columns, sheet
        assert empty[sheet].max_row == 1


def test_it_marks_columns_by_what_the_ruleset_requires(empty):
    for sheet in SOURCES_MD:
        for cell in empty[sheet][1]:
            kind = (
                "mandatory"
                if cell.value in MANDATORY[sheet]
                else "recommended"
                if cell.value in RECOMMENDED[sheet]
                else "optional"
            )
            colour = cell.fill.fgColor.rgb[-6:]
            expected = {"mandatory": "F4B183", "recommended": "FFE699", "optional": "DDEBF7"}
            assert (cell.font.b, colour) == (kind == "mandatory", expected[kind]), (
                sheet,
                cell.value,
            )


def test_it_describes_each_column_in_a_header_comment(empty):
    comment = empty["animal"]["H1"].comment.text

    assert comment.startswith("Sex (mandatory)")
    assert "male; female; record of unknown sex" in comment


def test_it_offers_drop_downs_with_the_ruleset_values(empty):
    accuracy = rule_values("Birth location accuracy")

    assert drop_down(empty, "animal", "Sex") == (
        ["male", "female", "record of unknown sex"],
        "H2:H1048576",
    )
    assert drop_down(empty, "animal", "Birth location accuracy")[0] == accuracy
    assert drop_down(empty, "sample", "Collection place accuracy")[0] == accuracy
    assert drop_down(empty, "sample", "Sample storage")[0] == rule_values("Sample storage")
    assert drop_down(empty, "sample", "Sample storage processing")[0] == rule_values(
        "Sample storage processing"
    )
    assert drop_down(empty, "sample", "availability")[0] == ["no longer available"]


def test_it_lets_availability_hold_urls_despite_its_drop_down(empty):
    column = header(empty["sample"]).index("availability") + 1
    letter = openpyxl.utils.get_column_letter(column)
    validation = next(
        v
        for v in empty["sample"].data_validations.dataValidation
        if str(v.sqref).startswith(letter)
    )

    assert not validation.showErrorMessage


def test_it_lists_every_column_in_the_description_sheet(empty):
    described = {
        (row[0], row[1]): row[2]
        for row in empty["description"].iter_rows(values_only=True)
        if row[0] in SOURCES_MD
    }

    for sheet, columns in SOURCES_MD.items():
        for column in columns:
            required = described[(sheet, column)]
            assert (required == "mandatory") == (column in MANDATORY[sheet]), (sheet, column)


def every_field_records() -> tuple[list, list, list]:
    breeds = [BreedRecord("Bunte Bentheimer", "Sus scrofa", "Germany")]
    animals = [
        AnimalRecord(
            name="11",
            breed="Bunte Bentheimer",
            species="Sus scrofa",
            country="Germany",
            sex="male",
            alternative_id="DE-11",
            description="=the boar, not a formula",
            birth_date="2015-04",
            birth_location="Farm 7",
            birth_location_latitude=52.5,
            birth_location_longitude=7.25,
            birth_location_accuracy="precise coordinates",
            accession="SAMEA100001",
            publication_doi="10.1139/o09-005",
            extra={"Coat colour": "spotted", "Litter": 9},
        ),
        AnimalRecord(
            name="12",
            breed="Chianina",
            species="Bos taurus",
            country="Italy",
            sex="female",
            father="11",
            mother="SAMEA7654321",
            birth_date="2019",
        ),
    ]
    samples = [
        SampleRecord(
            name="straw 1",
            animal="11",
            organism_part="semen",
            alternative_id="S-1",
            description="semen\nstraw",
            protocol="https://genebank.example.org/p.pdf",
            collection_date="2021-06-30",
            collection_place="Farm 7",
            collection_place_latitude=52.3,
            collection_place_longitude=-7.125,
            collection_place_accuracy="region level",
            developmental_stage="adult",
            physiological_stage="mature",
            animal_age_at_collection=2.5,
            animal_age_at_collection_unit="years",
            availability="no longer available",
            storage="frozen, liquid nitrogen",
            storage_processing="cryopreservation in liquid nitrogen (dead tissue)",
            preparation_interval=2.0,
            preparation_interval_unit="hours",
            accession="SAMEA100002",
            extra={"Straws": 12},
        ),
        SampleRecord(name="blood 1", animal="SAMEA999", organism_part="blood"),
    ]
    return breeds, animals, samples


@pytest.mark.parametrize("write_only", [False, True])
def test_it_round_trips_records_through_parse_workbook(write_only):
    breeds, animals, samples = every_field_records()
    buffer = io.BytesIO()

    template_write(buffer, animals=animals, samples=samples, breeds=breeds, write_only=write_only)
    parsed = list(parse_workbook(io.BytesIO(buffer.getvalue()), filename="export.xlsx"))

    # The Chianina breed is not given: it comes from its animal.
    expected = [*breeds, BreedRecord("Chianina", "Bos taurus", "Italy"), *animals, *samples]
    assert [dataclasses.replace(record, source="") for record in parsed] == expected


def test_it_writes_text_starting_with_equals_as_text_not_a_formula():
    _, animals, _ = every_field_records()

    workbook = template_workbook(animals=animals[:1])

    cell = workbook["animal"]["B2"]
    assert (cell.value, cell.data_type) == ("=the boar, not a formula", "s")


def test_it_adds_accession_and_extra_columns_only_when_records_have_them():
    _, animals, _ = every_field_records()

    with_extras = header(template_workbook(animals=animals[:1])["animal"])
    without = header(template_workbook(animals=animals[1:])["animal"])

    assert with_extras == [
        *SOURCES_MD["animal"],
        "BioSamples accession",
        "Publication DOI",
        "Coat colour",
        "Litter",
    ]
    assert without == SOURCES_MD["animal"]


def test_it_writes_benchmark_workbooks_that_parse(tmp_path):
    path = tmp_path / "bench.xlsx"

    write_workbook(path, animals=60, samples=150, seed=3)
    with path.open("rb") as stream:
        records = list(parse_workbook(stream, filename=path.name))

    animals = [r for r in records if isinstance(r, AnimalRecord)]
    samples = [r for r in records if isinstance(r, SampleRecord)]
    assert (len(animals), len(samples)) == (60, 150)
    assert any(a.father and not a.father.startswith("SAM") for a in animals)
    names = {a.name: a for a in animals}
    for animal in animals:
        if animal.father in names:
            assert names[animal.father].sex == "male"
        if animal.mother in names:
            assert names[animal.mother].sex == "female"


def test_it_declares_the_used_range_of_write_only_exports():
    """Without it openpyxl's read-only reader parses every sheet twice (slow imports)."""
    _, animals, samples = every_field_records()
    buffer = io.BytesIO()

    template_write(buffer, animals=animals, samples=samples, write_only=True)

    with zipfile.ZipFile(buffer) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml")
    assert b'<dimension ref="A1:Q3"' in sheet  # 13 columns + accession, DOI and 2 extras


@pytest.mark.attack
@pytest.mark.parametrize(
    "text", ['==HYPERLINK("http://evil.example/")', "+1+cmd", "-1+cmd", "@SUM(A1)", "\t=1"]
)
def test_it_writes_text_that_looks_like_a_formula_as_text(text):
    _, animals, _ = every_field_records()
    animal = dataclasses.replace(animals[0], description=text)

    workbook = template_workbook(animals=[animal])

    cell = workbook["animal"]["B2"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_every_example_of_the_template_passes_the_imports_own_checks():
    """The Collection date example was "17/01/1992" while its format is YYYY-MM-DD."""
    from excel import columns as cols
    from excel.tests.workbooks import workbook_bytes
    from injecttool.testing.records import as_stored

    sheets = {
        sheet: [
            [column.header for column in cols.template_columns(sheet)],
            [column.example or None for column in cols.template_columns(sheet)],
        ]
        for sheet in cols.SHEETS
    }
    for sheet, (header, row) in sheets.items():
        shown = dict(zip(header, row, strict=True))
        # Every column a curator fills shows an example, but an interval nobody gave one for.
        missing = [name for name, value in shown.items() if value is None]
        assert missing in ([], ["Sampling to preparation interval"]), (sheet, missing)
    # The sample is of the animal the example names; a file's rows name each other. The
    # parents share one example (an accession): one of them is enough for one row.
    animal_header = sheets["animal"][0]
    sheets["animal"][1][animal_header.index("Mother id in data source")] = None
    animal_id = sheets["animal"][1][0]
    sample_header = sheets["sample"][0]
    sheets["sample"][1][sample_header.index("Animal id in data source")] = animal_id

    records = list(parse_workbook(io.BytesIO(workbook_bytes(sheets)), filename="examples.xlsx"))
    stored = as_stored(records, keep_notes=True)

    animal = next(r for r in stored if isinstance(r, AnimalRecord))
    a_sample = next(r for r in stored if isinstance(r, SampleRecord))
    assert animal.birth_date == "2018-04-02" and a_sample.collection_date == "2018-04-02"
    # Nothing the import would keep as not IMAGE's, nor have to put into IMAGE's words.
    assert animal.notes is None and a_sample.notes is None, (animal.notes, a_sample.notes)
