"""excel.parser.parse_workbook on good workbooks: what each cell becomes."""

import datetime as dt
import io

import pytest

from excel.bench import with_shared_strings
from excel.parser import parse_workbook
from excel.tests.workbooks import (
    ANIMAL,
    BREED,
    SAMPLE,
    package,
    pig,
    pig_breed,
    rows,
    sample,
    simple_workbook,
    stream,
    workbook_bytes,
)
from injecttool.testing.records import as_stored
from uid.records import AnimalRecord, BreedRecord, SampleRecord


def parse(data: bytes, keep_notes: bool = False, **kwargs) -> list:
    """The records of ``data`` as an import stores them."""
    records = list(parse_workbook(stream(data), filename="genebank.xlsx", **kwargs))
    return as_stored(records, keep_notes=keep_notes)


def of_type(records: list, kind: type) -> list:
    return [record for record in records if isinstance(record, kind)]


def full_workbook() -> bytes:
    """Every column, sheets in reverse order, a parent listed after its child."""
    breeds = [
        pig_breed(),
        {
            "Supplied breed": "Bunte Bentheimer",
            "EFABIS Breed country": "Italy",
            "Species": "Bos taurus",
        },
    ]
    animals = [
        {
            "Animal id in data source": "pig-3",
            "Animal description": "a piglet",
            "Alternative animal ID": "DE-0003",
            "Father id in data source": "pig-1",
            "Mother id in data source": "pig-2",
            "Breed": " Bunte Bentheimer ",
            "Species": "Sus scrofa",
            "Sex": "female",
            "Birth date": dt.datetime(2019, 3, 5),
            "Birth location": "Farm 7, Emsland",
            "Birth location longitude": 7.25,
            "Birth location latitude": "52,5",
            "Birth location accuracy": "precise coordinates",
        },
        pig("pig-1", Sex="male"),
        pig("pig-2", Sex="female"),
        {
            "Animal id in data source": "cow-1",
            "Alternative animal ID": "IT-1",
            "Breed": "bunte bentheimer",
            "Species": "BOS TAURUS",
            "Sex": "record of unknown sex",
            "Birth location accuracy": "missing geographic information",
        },
    ]
    samples = [
        {
            "Sample id in data source": "straw-1",
            "Alternative sample ID": "S-0001",
            "Sample description": "semen straw",
            "Animal id in data source": "pig-1",
            "Specimen collection protocol": "https://genebank.example.org/protocol.pdf",
            "availability": "mailto:genebank@example.org",
            "Collection date": "2021-06-30",
            "Collection place latitude": 52.3,
            "Collection place longitude": 7.1,
            "Collection place": "Farm 7, Emsland",
            "Collection place accuracy": "precise coordinates",
            "Organism part": "semen",
            "Developmental stage": "adult",
            "Physiological stage": "mature",
            "Animal age at collection": "4 years",
            "Sample storage": "frozen, liquid nitrogen",
            "Sample storage processing": "cryopreservation of live cells in liquid nitrogen",
            "Sampling to preparation interval": "2 hours",
        }
    ]
    return workbook_bytes(
        {
            "sample": rows("sample", samples),
            "animal": rows("animal", animals),
            "breed": rows("breed", breeds),
        }
    )


def test_it_reads_every_column_of_the_three_sheets():
    records = parse(full_workbook())

    assert of_type(records, BreedRecord) == [
        BreedRecord("Bunte Bentheimer", "Sus scrofa", "Germany", source="sheet breed, row 2"),
        BreedRecord("Bunte Bentheimer", "Bos taurus", "Italy", source="sheet breed, row 3"),
    ]
    animals = of_type(records, AnimalRecord)
    assert [a.name for a in animals] == ["pig-3", "pig-1", "pig-2", "cow-1"]
    assert animals[0] == AnimalRecord(
        name="pig-3",
        breed="Bunte Bentheimer",
        species="Sus scrofa",
        country="Germany",
        sex="female",
        father="pig-1",
        mother="pig-2",
        alternative_id="DE-0003",
        description="a piglet",
        birth_date="2019-03-05",
        birth_location="Farm 7, Emsland",
        birth_location_latitude=52.5,
        birth_location_longitude=7.25,
        birth_location_accuracy="precise coordinates",
        source="sheet animal, row 2",
    )
    # The breed's country comes from the breed sheet row of that breed and species.
    assert (animals[3].breed, animals[3].species, animals[3].country) == (
        "bunte bentheimer",
        "BOS TAURUS",
        "Italy",
    )
    assert animals[3].sex == "record of unknown sex"
    assert of_type(records, SampleRecord) == [
        SampleRecord(
            name="straw-1",
            animal="pig-1",
            organism_part="semen",
            alternative_id="S-0001",
            description="semen straw",
            protocol="https://genebank.example.org/protocol.pdf",
            collection_date="2021-06-30",
            collection_place="Farm 7, Emsland",
            collection_place_latitude=52.3,
            collection_place_longitude=7.1,
            collection_place_accuracy="precise coordinates",
            developmental_stage="adult",
            physiological_stage="mature",
            animal_age_at_collection=4.0,
            animal_age_at_collection_unit="years",
            availability="mailto:genebank@example.org",
            storage="frozen, liquid nitrogen",
            storage_processing="cryopreservation of live cells in liquid nitrogen",
            preparation_interval=2.0,
            preparation_interval_unit="hours",
            source="sheet sample, row 2",
        )
    ]


def test_it_reads_a_workbook_keeping_its_text_in_shared_strings_as_excel_does():
    data = full_workbook()

    assert parse(with_shared_strings(data)) == parse(data)


def test_it_reads_a_workbook_laid_out_as_excel_saves_it():
    """Shared strings, relative part names, a date as a styled number."""
    strings: list[str] = []

    def text(cell: str, value: str) -> str:
        if value not in strings:
            strings.append(value)
        return f'<c r="{cell}" t="s"><v>{strings.index(value)}</v></c>'

    breed = pig_breed()
    header = ["Animal id in data source", "Alternative animal ID", "Breed", "Species", "Sex"]
    header += ["Birth location accuracy", "Birth date"]
    values = ["pig-1", "DE-1", breed["Supplied breed"], breed["Species"], "male"]
    values += ["missing geographic information"]
    sheets = {
        "breed": '<row r="1">'
        + "".join(text(f"{column}1", name) for column, name in zip("ABC", BREED, strict=True))
        + '</row><row r="2">'
        + "".join(
            text(f"{column}2", breed[name]) for column, name in zip("ABC", BREED, strict=True)
        )
        + "</row>",
        "animal": '<row r="1">'
        + "".join(text(f"{column}1", name) for column, name in zip("ABCDEFG", header, strict=True))
        + '</row><row r="2">'
        + "".join(text(f"{column}2", value) for column, value in zip("ABCDEF", values, strict=True))
        + '<c r="G2" s="1"><v>43529</v></c></row>',
        "sample": '<row r="1">'
        + "".join(text(f"{chr(65 + n)}1", name) for n, name in enumerate(SAMPLE))
        + "</row>",
    }
    data = package(
        sheets,
        shared_strings="".join(f"<si><t>{value}</t></si>" for value in strings),
        styles='<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>',
    )

    records = parse(data)

    animal = of_type(records, AnimalRecord)[0]
    assert (animal.name, animal.sex, animal.birth_date) == ("pig-1", "male", "2019-03-05")
    assert of_type(records, BreedRecord)[0].country == breed["EFABIS Breed country"]


def test_it_hands_out_breeds_then_animals_then_samples():
    kinds = [type(record) for record in parse(full_workbook())]

    assert kinds == [BreedRecord] * 2 + [AnimalRecord] * 4 + [SampleRecord]


def test_it_reads_excel_dates_and_text_dates_alike():
    written = [
        dt.datetime(2019, 3, 5),
        dt.datetime(2019, 3, 5, 14, 30),
        dt.date(2019, 3, 5),
        "2019-03-05",
        " 2019-3-5 ",
        "2019/03/05",
        "2019-03-05 00:00:00",
        "2019-03",
        "2019-3",
        "2019",
        2019,
        None,
    ]
    animals = [pig(f"p{n}", **{"Birth date": value}) for n, value in enumerate(written)]

    dates = [a.birth_date for a in of_type(parse(simple_workbook(animals)), AnimalRecord)]

    assert dates == ["2019-03-05"] * 7 + ["2019-03"] * 2 + ["2019"] * 2 + [""]


def test_it_reads_collection_dates_written_as_excel_dates():
    data = simple_workbook(
        [pig("p")], [sample("s", "p", **{"Collection date": dt.datetime(2020, 12, 31)})]
    )

    assert of_type(parse(data), SampleRecord)[0].collection_date == "2020-12-31"


def test_it_reads_ages_and_intervals_as_value_and_unit():
    written = [
        ("4 years", "2 hours"),
        ("18 Months", "30 MINUTES"),
        ("2.5 weeks", "1,5 days"),
        ("1 year", "3hours"),
        (3, None),
        (None, ""),
    ]
    samples = [
        sample(
            f"s{n}",
            "p",
            **{"Animal age at collection": age, "Sampling to preparation interval": interval},
        )
        for n, (age, interval) in enumerate(written)
    ]

    found = [
        (
            s.animal_age_at_collection,
            s.animal_age_at_collection_unit,
            s.preparation_interval,
            s.preparation_interval_unit,
        )
        for s in of_type(parse(simple_workbook([pig("p")], samples)), SampleRecord)
    ]

    assert found == [
        (4.0, "years", 2.0, "hours"),
        (18.0, "months", 30.0, "minutes"),
        (2.5, "weeks", 1.5, "days"),
        (1.0, "year", 3.0, "hours"),
        (3.0, "", None, ""),
        (None, "", None, ""),
    ]


def test_it_stores_limited_values_in_the_rulesets_spelling():
    animal = pig(
        "p",
        Sex="  FEMALE ",
        **{"Birth location accuracy": " Precise   Coordinates", "Birth location": "Farm"},
    )
    a_sample = sample(
        "s",
        "p",
        availability="No Longer Available",
        **{
            "Collection place accuracy": "REGION LEVEL",
            "Sample storage": "frozen, LIQUID nitrogen ",
            "Sample storage processing": "Cryopreservation In Dry Ice (Dead Tissue)",
        },
    )

    records = parse(simple_workbook([animal], [a_sample]))

    parsed_animal = of_type(records, AnimalRecord)[0]
    parsed_sample = of_type(records, SampleRecord)[0]
    assert parsed_animal.sex == "female"
    assert parsed_animal.birth_location_accuracy == "precise coordinates"
    assert parsed_sample.availability == "no longer available"
    assert parsed_sample.collection_place_accuracy == "region level"
    assert parsed_sample.storage == "frozen, liquid nitrogen"
    assert parsed_sample.storage_processing == "cryopreservation in dry ice (dead tissue)"


def test_it_accepts_sex_term_ids():
    animals = [pig("a", Sex="PATO_0000384"), pig("b", Sex="obi_0000858")]

    sexes = [a.sex for a in of_type(parse(simple_workbook(animals)), AnimalRecord)]

    assert sexes == ["male", "record of unknown sex"]


def test_it_keeps_values_outside_the_lists_as_written_for_validation_to_report():
    animal = pig("p", Sex=" hermaphrodite ", **{"Birth location accuracy": "street level"})

    parsed = of_type(parse(simple_workbook([animal]), keep_notes=True), AnimalRecord)[0]

    # The sex is a dictionary term: unknown, with what the file said in a note.
    assert (parsed.sex, parsed.birth_location_accuracy) == (
        "record of unknown sex",
        "street level",
    )
    assert [(n["field"], n["kind"], n["supplied"]) for n in parsed.notes] == [
        ("sex", "kept", "hermaphrodite"),
        ("birth_location_accuracy", "kept", "street level"),
    ]


def test_it_reads_an_empty_accuracy_as_missing_geographic_information():
    animal = pig("p", **{"Birth location accuracy": None})

    parsed = of_type(parse(simple_workbook([animal])), AnimalRecord)[0]

    assert parsed.birth_location_accuracy == "missing geographic information"


def test_it_finds_columns_by_name_in_any_order_ignoring_case_and_spaces():
    header = [f"  {name.upper()}  " for name in reversed(ANIMAL)] + ["Coat colour"]
    values = pig("p")
    row = {f"  {name.upper()}  ": values.get(name) for name in ANIMAL}
    row["Coat colour"] = " spotted "
    data = workbook_bytes(
        {
            "Breed ": [[name.lower() for name in BREED], list(pig_breed().values())],
            "ANIMAL": rows("animal", [row], header=header),
            "sample": rows("sample", []),
        }
    )

    parsed = of_type(parse(data), AnimalRecord)[0]

    assert (parsed.name, parsed.alternative_id, parsed.breed) == ("p", "alt-p", "Bunte Bentheimer")
    assert parsed.extra == {"Coat colour": "spotted"}


def test_it_keeps_extra_columns_in_extra_with_their_values():
    header = [*SAMPLE, "Straw colour", "Straws", "Frozen on", "Empty"]
    row = sample(
        "s", "p", **{"Straw colour": "blue", "Straws": 12, "Frozen on": dt.datetime(2020, 1, 2)}
    )
    data = workbook_bytes(
        {
            "breed": rows("breed", [pig_breed()]),
            "animal": rows("animal", [pig("p")]),
            "sample": rows("sample", [row], header=header),
        }
    )

    parsed = of_type(parse(data), SampleRecord)[0]

    assert parsed.extra == {"Straw colour": "blue", "Straws": 12, "Frozen on": "2020-01-02"}


def test_it_resolves_references_to_rows_listed_later_and_to_accessions():
    animals = [
        pig(
            "child",
            **{"Father id in data source": "SAMEA1234567", "Mother id in data source": "mum"},
        ),
        pig("mum", Sex="female", **{"Father id in data source": "SAMN00000042"}),
    ]
    samples = [sample("s1", "SAMD00012345"), sample("s2", "mum")]

    records = parse(simple_workbook(animals, samples))

    parsed = {a.name: a for a in of_type(records, AnimalRecord)}
    assert (parsed["child"].father, parsed["child"].mother) == ("SAMEA1234567", "mum")
    assert (parsed["mum"].father, parsed["mum"].mother) == ("SAMN00000042", None)
    assert [s.animal for s in of_type(records, SampleRecord)] == ["SAMD00012345", "mum"]


def test_it_reads_ids_typed_as_numbers_as_text():
    animals = [
        pig(11, Sex="male"),
        pig(12, Sex="female"),
        pig(13.0, **{"Father id in data source": 11.0, "Mother id in data source": "12"}),
    ]

    records = parse(simple_workbook(animals, [sample(1001, 13)]))

    child = of_type(records, AnimalRecord)[2]
    assert (child.name, child.father, child.mother) == ("13", "11", "12")
    assert (of_type(records, SampleRecord)[0].name, of_type(records, SampleRecord)[0].animal) == (
        "1001",
        "13",
    )


def test_it_skips_empty_rows_and_counts_rows_as_excel_does():
    data = workbook_bytes(
        {
            "breed": [[], [None, "  "], BREED, list(pig_breed().values())],
            "animal": rows("animal", [pig("a")])
            + [[None] * 5, ["", " "], *rows("animal", [pig("b")])[1:]],
            "sample": rows("sample", []),
        }
    )

    records = parse(data)

    assert [r.source for r in records] == [
        "sheet breed, row 4",
        "sheet animal, row 2",
        "sheet animal, row 5",
    ]


def test_it_ignores_other_sheets():
    data = workbook_bytes(
        {
            "description": [["Read me first"], ["whatever", 1, 2]],
            "breed": rows("breed", [pig_breed()]),
            "animal": rows("animal", [pig("a")]),
            "sample": rows("sample", []),
            "notes": [["Animal id in data source"], ["not an animal"]],
        }
    )

    assert [type(r) for r in parse(data)] == [BreedRecord, AnimalRecord]


def test_it_merges_a_breed_listed_twice_with_the_same_country():
    data = simple_workbook([pig("a")], breeds=[pig_breed(), pig_breed()])

    assert len(of_type(parse(data), BreedRecord)) == 1


def test_it_reports_progress_every_thousand_rows_and_at_the_end():
    calls = []

    parse(simple_workbook([pig(f"a{n}") for n in range(2500)]), progress=calls.append)

    # 1 breed row + 2,500 animal rows
    assert calls == [1000, 2000, 2501]


def test_it_reads_the_stream_from_its_start():
    data = simple_workbook([pig("a")])
    handle = io.BytesIO(data)
    handle.seek(0, 2)

    records = list(parse_workbook(handle, filename="again.xlsx"))

    assert [type(r) for r in records] == [BreedRecord, AnimalRecord]


def test_it_reads_a_workbook_with_headers_only():
    assert parse(simple_workbook(breeds=[])) == []


def test_it_lets_the_progress_callbacks_own_error_through():
    class Stop(ValueError):
        pass

    def progress(rows: int) -> None:
        raise Stop(rows)

    with pytest.raises(Stop):
        parse(simple_workbook([pig(f"a{n}") for n in range(1000)]), progress=progress)
