"""cryoweb.parser.parse_dump on good dumps: what a curator's Cryoweb export becomes."""

import random
import re

import pytest

from cryoweb.bench import write_dump
from cryoweb.tests.helpers import (
    DATA,
    FOOT,
    HEAD,
    ROWS,
    by_name,
    copy_dump,
    insert_dump,
    line_of,
    parse,
    without_sources,
)
from injecttool.testing.shared import shared_fixture
from uid.records import AnimalRecord, BreedRecord, SampleRecord

FORMS = ["copy_form.sql", "insert_columns.sql", "insert_plain.sql"]
SHEEP_BREED = "Ostfriesisches Milchschaf"


def _fixture(name: str) -> list:
    return parse((DATA / name).read_bytes(), filename=name)


def test_it_reads_the_real_cryoweb_dump():
    real_dump = shared_fixture("cryoweb/cryoweb_test_data_only.sql")
    records = parse(real_dump.read_bytes(), filename=real_dump.name)
    assert records == [
        BreedRecord(
            supplied_breed=SHEEP_BREED, species="Sheep", country="Germany", source="line 32"
        ),
        AnimalRecord(
            name="ANIMAL:::ID:::WF60/B0811",
            breed=SHEEP_BREED,
            species="Sheep",
            country="Germany",
            sex="male",
            alternative_id="438",
            source="line 23",
        ),
        AnimalRecord(
            name="ANIMAL:::ID:::WF60/6532",
            breed=SHEEP_BREED,
            species="Sheep",
            country="Germany",
            sex="female",
            alternative_id="439",
            source="line 24",
        ),
        AnimalRecord(
            name="ANIMAL:::ID:::WF001265",
            breed=SHEEP_BREED,
            species="Sheep",
            country="Germany",
            sex="male",
            father="ANIMAL:::ID:::WF60/B0811",
            mother="ANIMAL:::ID:::WF60/6532",
            alternative_id="440",
            birth_date="2003-01-16",
            birth_location_latitude=52.034505,
            birth_location_longitude=8.939664,
            birth_location_accuracy="unknown accuracy level",
            source="line 25",
        ),
        SampleRecord(
            name="MA_052_KR_S_Snh_S03_Mariensee_WF001265_OMS_13.01.04",
            animal="ANIMAL:::ID:::WF001265",
            organism_part="semen",
            alternative_id="1451",
            description="Qualitätsrate (Mot) 87,5 %",
            collection_date="2004-01-13",
            collection_place_accuracy="missing geographic information",
            animal_age_at_collection=362,
            animal_age_at_collection_unit="days",
            source="line 245",
        ),
    ]


@pytest.mark.parametrize("name", FORMS)
def test_it_reads_every_rule_of_the_fixture(name):
    records = by_name(_fixture(name))
    assert set(records) == {
        SHEEP_BREED,
        "Rotes Höhenvieh",  # Aberdeen Angus is in breeds_species, but no animal uses it
        "ANIMAL:::ID:::WF60/B0811",
        "ANIMAL:::ID:::WF60/6532",
        "ANIMAL:::ID:::WF001265",
        "HB:::DE-Herdbuch:::DE 09 876",  # the open transfer row, not the closed ear tag
        "HB:::DE-Herdbuch:::O'Brien 7",
        "MA_052_KR_S_Snh_S03_Mariensee_WF001265_OMS_13.01.04",
        "EMB-441-1",
        "HF-442-1",
        "SEM-442-early",
    }
    cow = records["HB:::DE-Herdbuch:::DE 09 876"]
    assert cow.breed == "Rotes Höhenvieh"
    assert cow.species == "Cattle"
    assert cow.sex == "record of unknown sex"
    assert cow.father == "HB:::DE-Herdbuch:::O'Brien 7"  # a row further down the file
    assert cow.mother is None
    assert cow.description == 'Rotes Höhenvieh, it\'s "Kuh" mit\nzwei Zeilen\tund Tab; C:\\stall'
    assert records["ANIMAL:::ID:::WF60/6532"].birth_date == "1999"  # birth_year only
    assert records["EMB-441-1"].organism_part == "embryo"
    assert records["HF-442-1"].organism_part == "hair follicles"
    assert records["HF-442-1"].collection_date == ""


def test_it_reads_the_same_records_from_every_form():
    copy, *inserts = (without_sources(_fixture(name)) for name in FORMS)
    for records in inserts:
        assert records == copy


def test_it_names_the_line_of_each_row():
    text = (DATA / "insert_columns.sql").read_text(encoding="utf-8")
    records = by_name(_fixture("insert_columns.sql"))
    # The row after a statement that spans two lines (a newline in a string).
    assert records["HB:::DE-Herdbuch:::O'Brien 7"].source == f"line {line_of(text, '(442, 999')}"
    assert records["EMB-441-1"].source == f"line {line_of(text, 'EMB-441-1')}"
    assert records["Rotes Höhenvieh"].source == f"line {line_of(text, '(101, 359, 341')}"


def test_it_does_not_depend_on_the_order_of_tables_and_rows():
    text = (DATA / "copy_form.sql").read_text(encoding="utf-8")
    blocks = re.findall(r"COPY .*? FROM stdin;\n.*?\\\.\n", text, re.DOTALL)
    assert len(blocks) == 9
    expected = without_sources(_fixture("copy_form.sql"))
    shuffler = random.Random(7)
    for _ in range(5):
        shuffled = []
        for block in blocks:
            head, *rows, end = block.splitlines(keepends=True)
            shuffler.shuffle(rows)
            shuffled.append(head + "".join(rows) + end)
        shuffler.shuffle(shuffled)
        assert without_sources(parse("".join(shuffled))) == expected


def test_it_reads_unknown_sex_as_record_of_unknown_sex():
    rows = {
        "codes": [*ROWS["codes"], [119, "SEX", "u", "unknown"]],
        "animal": [
            [438, 1, 2, 119, 317, 313, None, None, None, None],  # a SEX code that is not m/f
            [439, 1, 2, None, 317, 313, None, None, None, None],  # no sex
            [440, 438, 439, 555, 317, 313, None, None, None, None],  # not a code at all
        ],
    }
    for dump in (copy_dump(rows), insert_dump(rows)):
        animals = [r for r in parse(dump) if isinstance(r, AnimalRecord)]
        assert [a.sex for a in animals] == ["record of unknown sex"] * 3


def test_it_leaves_parents_that_are_not_animals_of_the_dump_unknown():
    rows = {
        "animal": [
            [438, 1, 2, 118, 317, 313, None, None, None, None],  # Cryoweb's unknown sire and dam
            [439, None, None, 117, 317, 313, None, None, None, None],
            [440, 999, 439, 118, 317, 313, None, None, None, None],  # sire not in the dump
        ]
    }
    animals = [r for r in parse(copy_dump(rows)) if isinstance(r, AnimalRecord)]
    assert [(a.father, a.mother) for a in animals] == [
        (None, None),
        (None, None),
        (None, "ANIMAL:::ID:::WF60/6532"),
    ]


def test_it_sets_the_accuracy_only_with_both_coordinates():
    rows = {
        "animal": [
            [438, 1, 2, 118, 317, 313, None, 52.5, 8.25, None],
            [439, 1, 2, 117, 317, 313, None, 52.5, None, None],
            [440, 438, 439, 118, 317, 313, None, None, None, None],
        ]
    }
    for dump in (copy_dump(rows), insert_dump(rows)):
        animals = [r for r in parse(dump) if isinstance(r, AnimalRecord)]
        assert [
            (a.birth_location_latitude, a.birth_location_longitude, a.birth_location_accuracy)
            for a in animals
        ] == [
            (52.5, 8.25, "unknown accuracy level"),
            (52.5, None, "missing geographic information"),
            (None, None, "missing geographic information"),
        ]


def test_it_gives_the_age_at_collection_in_days():
    rows = {
        "vessels": [
            [1451, "after-birth", 440, 100, "2004-01-13", None],
            [1452, "before-birth", 440, 100, "2002-12-31", None],
            [1453, "no-date", 440, 100, None, None],
            [1454, "no-birth-date", 438, 100, "2004-01-13", None],
        ]
    }
    samples = by_name(parse(copy_dump(rows)))
    assert samples["after-birth"].animal_age_at_collection == 362
    assert samples["after-birth"].animal_age_at_collection_unit == "days"
    for name in ("before-birth", "no-date", "no-birth-date"):
        assert samples[name].animal_age_at_collection is None
        assert samples[name].animal_age_at_collection_unit == ""


def test_it_reads_a_dump_with_standard_conforming_strings_off():
    dump = insert_dump(
        {"unit": [[100, "ANIMAL", "ID"]]},
        head="--\n-- PostgreSQL database dump\n--\n\nSET standard_conforming_strings = off;\n",
    ).replace("'ANIMAL'", "'AN\\\\IM''AL\\'s'")
    animals = [r for r in parse(dump) if isinstance(r, AnimalRecord)]
    assert animals[0].name == "AN\\IM'AL's:::ID:::WF60/B0811"


def test_it_reads_a_latin1_dump_that_says_so():
    dump = copy_dump(
        {"breeds_species": [[317, 313, "Rhönschaf", "Sheep", "Germany"]]},
        head="--\n-- PostgreSQL database dump\n--\n\nSET client_encoding = 'LATIN1';\n",
    )
    records = parse(dump.encode("latin-1"))
    assert records[0] == BreedRecord(
        supplied_breed="Rhönschaf", species="Sheep", country="Germany", source=records[0].source
    )


def test_it_reads_windows_line_endings():
    text = (DATA / "copy_form.sql").read_text(encoding="utf-8")
    records = parse(text.replace("\n", "\r\n"))
    assert without_sources(records) == without_sources(_fixture("copy_form.sql"))


def test_it_reads_escapes_of_the_copy_format():
    rows = {"vessels": [[1451, "MA_052", 440, 100, "2004-01-13", "PLACEHOLDER"]]}
    dump = copy_dump(rows).replace("PLACEHOLDER", r"a\tb\nc\\d\101\x42\N")
    (sample,) = [r for r in parse(dump) if isinstance(r, SampleRecord)]
    assert sample.description == "a\tb\nc\\dABN"


def test_it_reads_the_sql_literals_of_insert_statements():
    dump = insert_dump({"vessels": [[1451, "X", 440, 100, "2004-01-13", None]]})
    dump = dump.replace(
        "'X', 440, 100, '2004-01-13', NULL",
        "E'V\\u00e9\\x41\\'s', 440, 100, '2004-01-13'::date, 'it''s'::character varying",
    )
    (sample,) = [r for r in parse(dump) if isinstance(r, SampleRecord)]
    assert (sample.name, sample.collection_date, sample.description) == (
        "VéA's",
        "2004-01-13",
        "it's",
    )


def test_it_ignores_what_a_data_only_dump_holds_besides_data():
    extra = (
        "\\connect cryoweb\n"
        "SET search_path = apiis_admin, pg_catalog;\n"
        "SELECT pg_catalog.setval('seq_unit__db_unit', 147, true);\n"
        "SELECT pg_catalog.set_config('search_path', '', false);\n"
        "ALTER TABLE apiis_admin.animal DISABLE TRIGGER ALL;\n"
        "BEGIN;\nCOMMIT;\n"
        "COPY apiis_admin.event (event_id, comment) FROM stdin;\n1\t'); DROP TABLE x; --\n\\.\n"
        "INSERT INTO apiis_admin.movements VALUES (1, 'DELETE FROM animal;');\n"
    )
    plain = without_sources(parse(copy_dump()))
    assert without_sources(parse(copy_dump(head=HEAD + extra))) == plain
    assert without_sources(parse(copy_dump(foot=extra + FOOT))) == plain


def test_it_reads_statements_however_they_are_laid_out():
    dump = insert_dump()
    lines = dump.splitlines(keepends=True)
    vessels = line_of(dump, "INSERT INTO apiis_admin.vessels") - 1
    statement = lines[vessels]
    # Two statements on one line, and one statement over three lines.
    lines[vessels] = (
        statement.rstrip() + " " + statement.replace("1451", "1452").replace("'MA_052'", "'MA_053'")
    )
    lines[0] = "INSERT\nINTO apiis_admin.unit (db_unit, ext_unit, ext_id)\nVALUES (1, 'A', 'B');\n"
    samples = [r for r in parse("".join(lines)) if isinstance(r, SampleRecord)]
    assert [(s.name, s.source) for s in samples] == [
        ("MA_052", f"line {vessels + 3}"),
        ("MA_053", f"line {vessels + 3}"),
    ]


def test_it_reports_progress_in_lines(tmp_path):
    path = tmp_path / "dump.sql"
    write_dump(path, animals=6_000, samples=9_000, form="copy")
    total = sum(1 for _ in path.open("rb"))
    calls = []
    parse(path.read_bytes(), progress=calls.append)
    assert calls == sorted(calls)
    assert calls[-1] == total
    assert len(calls) == total // 10_000 + 1
    assert all(b - a >= 10_000 for a, b in zip(calls[:-2], calls[1:-1], strict=True))


@pytest.mark.parametrize("form", ["copy", "insert"])
def test_it_reads_the_synthetic_benchmark_dumps(tmp_path, form):
    path = tmp_path / f"{form}.sql"
    write_dump(path, animals=500, samples=1_000, form=form, seed=3)
    records = parse(path.read_bytes())
    animals = [r for r in records if isinstance(r, AnimalRecord)]
    samples = [r for r in records if isinstance(r, SampleRecord)]
    assert (len(animals), len(samples)) == (500, 1_000)
    names = {a.name for a in animals}
    assert any(a.father for a in animals)
    assert all(a.father in names for a in animals if a.father)
    assert all(s.animal in names for s in samples)
    assert {s.organism_part for s in samples} == {"semen", "embryo", "oocyte", "blood"}


def test_it_reads_both_synthetic_forms_alike(tmp_path):
    write_dump(tmp_path / "c.sql", animals=300, samples=600, form="copy", seed=5)
    write_dump(tmp_path / "i.sql", animals=300, samples=600, form="insert", seed=5)
    assert without_sources(parse((tmp_path / "c.sql").read_bytes())) == without_sources(
        parse((tmp_path / "i.sql").read_bytes())
    )
