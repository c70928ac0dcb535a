"""parse_csv: a CRB-Anim export becomes breeds, animals and samples."""

import csv
import io
from pathlib import Path

import pytest

from crbanim.bench import write_csv
from crbanim.parser import parse_csv
from injecttool.testing.records import as_stored
from injecttool.testing.shared import shared_fixture
from uid.records import AnimalRecord, BreedRecord, SampleRecord

DATA = Path(__file__).parent / "data"

MANDATORY = {
    "animal_ID": "A-1",
    "sex": "Female",
    "species_latin_name": "Ovis aries",
    "breed_name": "Lacaune",
    "country_of_origin": "FR",
    "animal_birth_date": "2019-05-02",
    "sample_identifier": "S-1",
    "EBI_Biosample_identifier": "",
    "sample_availability": "mailto:crb@example.org",
    "sample_bibliographic_references": "",
    "sampling_protocol_url": "https://example.org/protocol.pdf",
    "sampling_date": "2020-01-10",
    "sample_type_name": "tissue",
    "body_part_name": "liver",
    "sample_storage_temperature": "-80°C",
}


def parse(data: bytes, filename: str = "export.csv", keep_notes: bool = False, **kwargs) -> list:
    """The records of ``data`` as an import stores them."""
    records = list(parse_csv(io.BytesIO(data), filename=filename, **kwargs))
    return as_stored(records, keep_notes=keep_notes)


def one_row(**cells: str) -> bytes:
    """A one-row export: the mandatory columns with defaults, overridden by ``cells``."""
    row = {**MANDATORY, **cells}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(row.keys())
    writer.writerow(row.values())
    return out.getvalue().encode()


def two_rows(first: dict, second: dict) -> bytes:
    header, row = one_row(**first).split(b"\n")[:2]
    return header + b"\n" + row + b"\n" + one_row(**second).split(b"\n")[1] + b"\n"


def only(records: list, kind: type):
    found = [r for r in records if isinstance(r, kind)]
    assert len(found) == 1, found
    return found[0]


def rewrite(data: bytes, *, delimiter: str, bom: bool = False, crlf: bool = False) -> bytes:
    """The same export written with another delimiter / byte order mark / line end."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


RULES_EXPECTED = [
    BreedRecord("Charolaise", "Bos taurus", "France", source="row 2"),
    AnimalRecord(
        name="BULL-1", breed="Charolaise", species="Bos taurus", country="France", sex="male",
        birth_date="2010-03-15", extra={"NCBI_taxo_id": "9913"}, source="row 2",
    ),
    SampleRecord(
        name="S-001", animal="BULL-1", organism_part="semen",
        protocol="https://example.org/p1.pdf", collection_date="2012-06-01",
        availability="mailto:crb@example.org", storage="frozen, liquid nitrogen",
        animal_age_at_collection=2.0, animal_age_at_collection_unit="years",
        publication_doi="10.1139/o09-005",
        extra={"sample_container_type": "Straw 0.25ml", "BRC_name": "CRB Test",
               "sample_type_name": "semen"},
        source="row 2",
    ),
    SampleRecord(
        name="S-002", animal="BULL-1", organism_part="semen",
        protocol="https://example.org/p1.pdf", collection_date="2012-07-01",
        availability="mailto:crb@example.org", storage="frozen, -80 degrees Celsius freezer",
        animal_age_at_collection=2.0, animal_age_at_collection_unit="years",
        accession="SAMEA1234567", publication_doi="10.1016/j.theriogenology.2015.01.001",
        extra={"sample_container_type": "Straw 0.25ml", "BRC_name": "CRB Test, Jouy\nsite 2",
               "sample_type_name": "semen"},
        source="row 3",
    ),
    BreedRecord("Lacaune", "Ovis aries", "Italy", source="row 4"),
    AnimalRecord(
        name="EWE-7", breed="Lacaune", species="Ovis aries", country="Italy", sex="female",
        birth_date="2015-04-15", extra={"NCBI_taxo_id": "9940"}, source="row 4",
    ),
    SampleRecord(
        name="S-003", animal="EWE-7", organism_part="liver",
        protocol="https://example.org/p2.pdf", collection_date="2015-10-20",
        availability="mailto:crb@example.org", storage="frozen, -20 degrees Celsius freezer",
        animal_age_at_collection=6.0, animal_age_at_collection_unit="months",
        extra={"sample_container_type": "Tube 2-15ml", "BRC_name": "CRB Test",
               "sample_type_name": "tissue"},
        source="row 4",
    ),
    BreedRecord("Alpine", "Capra hircus", "Germany", source="row 5"),
    AnimalRecord(
        name="GOAT-3", breed="Alpine", species="Capra hircus", country="Germany",
        sex="record of unknown sex", source="row 5",
    ),
    SampleRecord(
        name="S-004", animal="GOAT-3", organism_part="blood",
        availability="mailto:crb@example.org", storage="frozen, -20 degrees Celsius freezer",
        publication_doi="10.1000/xyz123",
        extra={"BRC_name": "CRB Test", "sample_type_name": "blood"},
        source="row 5",
    ),
    SampleRecord(
        name="S-005", animal="EWE-7", organism_part="embryo",
        protocol="https://example.org/p2.pdf", collection_date="2016-01-02",
        availability="mailto:crb@example.org", storage="frozen, -80 degrees Celsius freezer",
        animal_age_at_collection=8.0, animal_age_at_collection_unit="months",
        extra={"sample_container_type": "Straw 0.25ml", "BRC_name": "CRB Test",
               "sample_type_name": "embryo",
               "sample_bibliographic_references": "Dupont et al., 2016"},
        source="row 6",
    ),
]  # fmt: skip


def test_it_reads_every_rule_of_the_small_export():
    records = parse((DATA / "export_rules.csv").read_bytes())

    assert records == RULES_EXPECTED


@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolon", "tab"])
def test_it_sniffs_the_delimiter(delimiter):
    data = rewrite((DATA / "export_rules.csv").read_bytes(), delimiter=delimiter)

    assert parse(data) == RULES_EXPECTED


def test_it_reads_a_byte_order_mark_and_windows_line_ends():
    data = rewrite((DATA / "export_rules.csv").read_bytes(), delimiter=";", bom=True, crlf=True)
    assert data.startswith(b"\xef\xbb\xbf")

    assert parse(data) == RULES_EXPECTED


def test_it_reads_mysql_nulls_and_empty_cells_as_empty():
    records = parse((DATA / "export_rules.csv").read_bytes())

    goat = next(r for r in records if getattr(r, "name", "") == "GOAT-3")
    s4 = next(r for r in records if getattr(r, "name", "") == "S-004")
    assert (goat.birth_date, goat.extra) == ("", {})
    assert (s4.accession, s4.protocol, s4.collection_date) == (None, "", "")
    assert all("\\N" not in repr(r) for r in records)


def test_it_makes_one_animal_of_rows_that_repeat_it():
    records = parse((DATA / "export_rules.csv").read_bytes())

    animals = [r.name for r in records if isinstance(r, AnimalRecord)]
    breeds = [r.supplied_breed for r in records if isinstance(r, BreedRecord)]
    samples = {r.name: r.animal for r in records if isinstance(r, SampleRecord)}
    assert animals == ["BULL-1", "EWE-7", "GOAT-3"]
    assert breeds == ["Charolaise", "Lacaune", "Alpine"]
    assert samples == {
        "S-001": "BULL-1", "S-002": "BULL-1", "S-003": "EWE-7", "S-004": "GOAT-3",
        "S-005": "EWE-7",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("body_part", "sample_type", "organism_part"),
    [
        ("liver", "tissue", "liver"),
        ("unknown", "uterus", "uterus"),
        ("Unknown", "uterus", "uterus"),
        ("not relevant", "semen", "semen"),
        ("", "blood", "blood"),
        ("\\N", "blood", "blood"),
    ],
)
def test_it_takes_the_organism_part_from_the_body_part_else_the_sample_type(
    body_part, sample_type, organism_part
):
    records = parse(one_row(body_part_name=body_part, sample_type_name=sample_type))

    assert only(records, SampleRecord).organism_part == organism_part


@pytest.mark.parametrize(
    ("sex", "expected"),
    [
        ("Male", "male"),
        ("female", "female"),
        ("M", "male"),
        ("F", "female"),
        ("Unknown", "record of unknown sex"),
        ("", "record of unknown sex"),
        ("\\N", "record of unknown sex"),
    ],
)
def test_it_maps_the_sex(sex, expected):
    assert only(parse(one_row(sex=sex)), AnimalRecord).sex == expected


@pytest.mark.parametrize(
    ("temperature", "storage", "kind"),
    [
        ("-196°C", "frozen, liquid nitrogen", False),
        ("-80°C", "frozen, -80 degrees Celsius freezer", False),
        ("-80 °C", "frozen, -80 degrees Celsius freezer", False),
        ("\u221280°C", "frozen, -80 degrees Celsius freezer", False),
        ("-20°C", "frozen, -20 degrees Celsius freezer", False),
        ("-40°C", "frozen, -40 degrees Celsius freezer", False),
        # No IMAGE value of its own: the -20 °C freezer (CRB-Anim mapping notes).
        ("-30°C", "frozen, -20 degrees Celsius freezer", "mapped"),
        ("frozen, liquid nitrogen", "frozen, liquid nitrogen", None),
        # Unknown to us: kept as written, noted, for validation to show.
        ("+4°C", "+4°C", "kept"),
        ("", "", None),
    ],
)
def test_it_maps_the_storage_temperature_to_an_image_value(temperature, storage, kind):
    data = one_row(sample_storage_temperature=temperature)
    sample = only(parse(data, keep_notes=True), SampleRecord)

    assert sample.storage == storage
    # What the file said is noted on the record whenever the stored value differs.
    notes = [(n["kind"], n["supplied"]) for n in sample.notes or [] if n["field"] == "storage"]
    if kind is None:
        assert notes == []
    elif kind == "kept":
        assert notes == [("kept", temperature)]
    else:
        assert notes == [("mapped", temperature)]


@pytest.mark.parametrize(
    ("reference", "doi", "kept"),
    [
        ("doi:10.1139/o09-005", "10.1139/o09-005", False),
        ("DOI: 10.1139/o09-005", "10.1139/o09-005", False),
        ("10.1139/o09-005", "10.1139/o09-005", False),
        ("https://doi.org/10.1139/o09-005", "10.1139/o09-005", False),
        ("http://dx.doi.org/10.1139%2Fo09-005", "10.1139/o09-005", False),
        ("Dupont et al. 2016, doi:10.1139/o09-005.", "10.1139/o09-005", True),
        ("Dupont et al. 2016", "", True),
        ("", "", False),
    ],
)
def test_it_makes_a_doi_of_the_bibliographic_reference(reference, doi, kept):
    sample = only(parse(one_row(sample_bibliographic_references=reference)), SampleRecord)

    assert sample.publication_doi == doi
    assert ("sample_bibliographic_references" in sample.extra) is kept


def test_it_adopts_a_row_that_has_a_biosamples_accession():
    records = parse(one_row(EBI_Biosample_identifier=" SAMEA7654321 "))

    sample = only(records, SampleRecord)
    assert (sample.name, sample.accession) == ("S-1", "SAMEA7654321")
    assert only(records, AnimalRecord).accession is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-31", "2020-01-31"),
        ("2020-1-5", "2020-01-05"),
        ("31/01/2020", "2020-01-31"),
        ("31.01.2020", "2020-01-31"),
        ("2020/01/31", "2020-01-31"),
        ("2020-01-31 10:30:00", "2020-01-31"),
        ("2020-01", "2020-01"),
        ("01/2020", "2020-01"),
        ("2020", "2020"),
        ("0000-00-00", ""),
    ],
)
def test_it_writes_dates_as_iso(text, expected):
    records = parse(one_row(animal_birth_date=text, sampling_date=text))

    assert only(records, AnimalRecord).birth_date == expected
    assert only(records, SampleRecord).collection_date == expected


@pytest.mark.parametrize(
    ("code", "label"),
    [("FR", "France"), ("gb", "United Kingdom"), ("DE", "Germany"), ("France", "France")],
)
def test_it_names_the_country_of_origin_as_the_dictionary_does(code, label):
    records = parse(one_row(country_of_origin=code))

    assert only(records, BreedRecord).country == label
    assert only(records, AnimalRecord).country == label


def test_it_accepts_header_names_in_any_case_and_the_old_misspelling():
    data = one_row(sample_bibliographic_references="doi:10.1139/o09-005")
    header, rest = data.split(b"\n", 1)
    header = header.replace(b"sample_bibliographic_references", b"sample_bibliographic_refrences")
    header = header.replace(b"animal_ID", b"Animal_id ")

    sample = only(parse(header + b"\n" + rest), SampleRecord)

    assert (sample.animal, sample.publication_doi) == ("A-1", "10.1139/o09-005")


def test_it_computes_the_age_at_collection_from_full_dates_only():
    def age(birth, sampled):
        sample = only(parse(one_row(animal_birth_date=birth, sampling_date=sampled)), SampleRecord)
        return sample.animal_age_at_collection, sample.animal_age_at_collection_unit

    assert age("2019-05-02", "2020-01-10") == (8.0, "months")
    assert age("2019-05-02", "2019-05-20") == (18.0, "days")
    assert age("2015-05-02", "2020-05-02") == (5.0, "years")
    assert age("2019", "2020-01-10") == (None, "")
    assert age("2020-01-10", "2019-05-02") == (None, "")  # sampled before birth: no age


def test_it_reports_progress_every_ten_thousand_rows_and_at_the_end(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, animals=10_000, samples=25_000)
    calls = []

    with path.open("rb") as stream:
        for _ in parse_csv(stream, filename="export.csv", progress=calls.append):
            pass

    assert calls == [10_000, 20_000, 25_000]


def test_it_streams_the_file(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, animals=5_000, samples=10_000)

    with path.open("rb") as stream:
        records = parse_csv(stream, filename="export.csv")
        first = next(records)
        read = stream.tell()
        records.close()
        assert not stream.closed

    assert isinstance(first, BreedRecord)
    assert read < path.stat().st_size / 10


def test_it_leaves_the_callers_stream_open():
    stream = io.BytesIO((DATA / "export_rules.csv").read_bytes())

    assert len(list(parse_csv(stream, filename="export.csv"))) == len(RULES_EXPECTED)
    assert not stream.closed


# --- The real export (conformance) --------------------------------------------------------


def _real_export() -> bytes:
    return shared_fixture("crbanim/crbanim_test_data.csv").read_bytes()


def test_it_reads_the_real_export_keeping_an_animals_first_description():
    # ANIMAL:::2 is a female Capra hircus born 2015-05-16 on row 2 and a male Sheep born
    # 2015-04-07 on row 3: the first description is used, row 3's sample says what differed.
    records = parse(_real_export(), filename="crbanim_test_data.csv", keep_notes=True)

    animals = [r for r in records if isinstance(r, AnimalRecord)]
    samples = {r.name: r for r in records if isinstance(r, SampleRecord)}
    assert [(a.name, a.species, a.sex) for a in animals] == [
        ("ANIMAL:::2", "Capra hircus", "female"),
        ("ANIMAL:::1", "Bos taurus", "record of unknown sex"),
    ]
    assert sorted(samples) == ["FAKE571911", "FAKE726008", "FAKE760848"]
    (differs,) = [n for n in animals[0].notes if n["kind"] == "conflict"]
    assert differs["why"].startswith("row 3 describes it differently: sex 'male' (row 2: 'female')")
    assert differs["why"].endswith("row 2 is used")
    # A value that is not a BioSamples accession is kept as written, not adopted.
    assert samples["FAKE571911"].accession is None
    assert samples["FAKE571911"].extra["EBI_Biosample_identifier"] == "FAKEA359353362"


def test_it_notes_rows_of_one_animal_that_disagree():
    data = two_rows(
        {"sample_identifier": "S-1"},
        {"sample_identifier": "S-2", "sex": "Male", "breed_name": "Manech"},
    )

    records = parse(data, keep_notes=True)

    (animal,) = [r for r in records if isinstance(r, AnimalRecord)]
    assert animal.sex == "female"  # its first row's
    assert animal.notes == [
        {
            "field": "sex, breed_name", "kind": "conflict", "supplied": "male; Manech",
            "stored": "female; Lacaune",
            "why": "row 3 describes it differently: sex 'male' (row 2: 'female'); "
            "breed_name 'Manech' (row 2: 'Lacaune'); row 2 is used",
        }
    ]  # fmt: skip


def test_it_reads_the_real_export_once_its_animal_rows_agree():
    rows = list(csv.reader(io.StringIO(_real_export().decode("utf-8"), newline="")))
    header = rows[0]
    first, second = rows[1], rows[2]
    for column in ("sex", "species_latin_name", "animal_birth_date"):
        second[header.index(column)] = first[header.index(column)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)

    records = parse(out.getvalue().encode(), filename="crbanim_test_data.csv")

    bank = {
        "BRC_identifier": "FAKE IDENTIFIER", "BRC_name": "FAKE @NAME",
        "associated_research_project_name": "FAKEPROJECT", "BRC_responsible_last_name": "Bennett",
        "BRC_responsible_first_name": "Justin", "BRC_contact_email": "michaellopez@yahoo.com",
        "organization_name": "Robertson, Mckinney and Gilbert",
        "organisation_adress": "8795 Lewis Union Suite 160\nPort Lorishire, MT 86527",
        "organization_url": "https://woodard-gilbert.biz/",
        "organization_country": "United Kingdom",
        "BRC_address": "21170 Darren Summit\nJacobmouth, TX 72273",
        "BRC_url": "http://www.lowe-cannon.com/", "BRC_country": "United Kingdom",
        "sample_container_type": "Tube 2-15ml",
    }  # fmt: skip
    assert records == [
        BreedRecord("White Leghorn", "Capra hircus", "Italy", source="row 2"),
        AnimalRecord(
            name="ANIMAL:::2", breed="White Leghorn", species="Capra hircus", country="Italy",
            sex="female", birth_date="2015-05-16", extra={"NCBI_taxo_id": "9913"},
            source="row 2",
        ),
        SampleRecord(
            name="FAKE726008", animal="ANIMAL:::2", organism_part="bone marrow",
            protocol="http://www.stark.net/", collection_date="1979-01-13",
            availability="mailto:mail@example.com", storage="frozen, -80 degrees Celsius freezer",
            publication_doi="10.1139/o09-005",
            extra={**bank, "sample_type_name": "tissue", "sample_type_identifier": "FMA:67095",
                   "sample_type_ontology": "Uber-anatomy ontology (UBERON)",
                   "body_part_identifier": "99999", "body_part_ontology": "99996"},
            source="row 2",
        ),
        SampleRecord(
            name="FAKE760848", animal="ANIMAL:::2", organism_part="uterus",
            protocol="https://larson-cook.com/", collection_date="2017-07-15",
            availability="mailto:mail@example.com", storage="frozen, -80 degrees Celsius freezer",
            animal_age_at_collection=2.0, animal_age_at_collection_unit="years",
            extra={**bank, "sample_type_name": "uterus", "sample_type_identifier": "UBERON:0000479",
                   "sample_type_ontology": "Uber-anatomy ontology (UBERON)",
                   "body_part_identifier": "99997", "body_part_ontology": "99996"},
            source="row 3",
        ),
        BreedRecord("White Leghorn", "Bos taurus", "Italy", source="row 4"),
        AnimalRecord(
            name="ANIMAL:::1", breed="White Leghorn", species="Bos taurus", country="Italy",
            sex="record of unknown sex", birth_date="1981-07-06", extra={"NCBI_taxo_id": "9925"},
            source="row 4",
        ),
        SampleRecord(
            name="FAKE571911", animal="ANIMAL:::1", organism_part="corpus luteum",
            protocol="https://burns.org/", collection_date="2018-07-18",
            availability="mailto:mail@example.com", storage="frozen, -80 degrees Celsius freezer",
            animal_age_at_collection=37.0, animal_age_at_collection_unit="years",
            extra={**bank, "EBI_Biosample_identifier": "FAKEA359353362",
                   "sample_type_name": "tissue", "sample_type_identifier": "FMA:67095",
                   "sample_type_ontology": "9999999", "body_part_identifier": "99995",
                   "body_part_ontology": "99996"},
            source="row 4",
        ),
    ]  # fmt: skip
