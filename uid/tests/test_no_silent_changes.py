"""An import never changes what a file says without saying so (issue: import polish, 1).

Known synonyms and abbreviations are put into IMAGE's words and each change is noted on
the record and counted in the message; a value that cannot be is kept as supplied and
noted as a problem; rows that disagree about one animal are listed with their rows.
"""

import pytest

from excel.tests.workbooks import pig, sample, simple_workbook
from injecttool.testing.tasks import import_loaded
from uid.models import Animal, Sample
from uid.tests.test_submission_import import CRB_HEADER, crb_row

pytestmark = pytest.mark.django_db


def imported(owner, kind: str, name: str, content: bytes):
    return import_loaded(owner, kind=kind, name=name, content=content)


def notes(record) -> list[tuple]:
    return [(n["field"], n["kind"], n["supplied"], n["stored"]) for n in record.import_notes]


def test_a_template_says_what_it_mapped_and_what_it_kept(alice):
    workbook = simple_workbook(
        [
            pig("boar", Sex="M"),
            pig("sow", Sex="F", **{"Birth location accuracy": "somewhere"}),
            pig("piglet", Sex="female"),
        ],
        [
            sample("s1", "boar", **{"Organism part": "sperm", "Sample storage": "frozen"}),
            sample("s2", "boar", **{"Organism part": "semen"}),
        ],
    )

    task = imported(alice, "template", "pigs.xlsx", workbook)

    animals = {a.name: a for a in Animal.objects.all()}
    samples = {s.name: s for s in Sample.objects.all()}
    # Stored in IMAGE's words where the file's words say which, and noted.
    assert animals["sow"].sex.label == "female"
    assert ("sex", "mapped", "F", "female") in notes(animals["sow"])
    assert samples["s1"].organism_part.label == "semen"
    assert ("organism_part", "mapped", "sperm", "semen") in notes(samples["s1"])
    # Kept as supplied where they do not, and noted as a problem of the record.
    assert animals["sow"].birth_location_accuracy == "somewhere"
    assert ("birth_location_accuracy", "kept", "somewhere", "somewhere") in notes(animals["sow"])
    assert samples["s1"].storage == "frozen"
    assert ("storage", "kept", "frozen", "frozen") in notes(samples["s1"])
    # Nothing to say where the file spoke IMAGE already.
    assert animals["piglet"].import_notes == [] and samples["s2"].import_notes == []
    # And the message counts them per kind.
    assert (
        "Mapped to IMAGE values (each record notes what the file said): organism part 1, sex 2."
    ) in task.message
    assert (
        "Not IMAGE values, kept as the file gives them (to correct): birth location accuracy 1, "
        "sample storage 1."
    ) in task.message
    assert task.result["mapped"] == {"organism_part": 1, "sex": 2}
    assert task.result["kept"] == {"birth_location_accuracy": 1, "storage": 1}


def test_a_sex_that_is_no_sex_is_stored_unknown_with_what_the_file_said(alice):
    imported(alice, "template", "pigs.xlsx", simple_workbook([pig("p", Sex="hermaphrodite")]))

    animal = Animal.objects.get()
    assert animal.sex.label == "record of unknown sex"
    (entry,) = animal.import_notes
    assert (entry["kind"], entry["supplied"], entry["why"]) == (
        "kept", "hermaphrodite", "not a sex IMAGE knows",
    )  # fmt: skip


def test_rows_that_disagree_about_one_animal_are_listed_in_the_message(alice):
    rows = crb_row("S1", "A1") + crb_row("S2", "A1", sex="male") + crb_row("S3", "A2")

    task = imported(alice, "crbanim", "goats.csv", (CRB_HEADER + rows).encode())

    # Loaded as before (the first row's description), but said, with the rows.
    assert task.message.startswith("Loaded 2 animals and 3 samples.")
    assert (
        "Rows that disagree about one record: animal 'A1': row 3 describes it differently: "
        "sex 'male' (row 2: 'female'); row 2 is used."
    ) in task.message
    assert task.result["conflicts"] == [
        "animal 'A1': row 3 describes it differently: sex 'male' (row 2: 'female'); row 2 is used"
    ]
    animal = Animal.objects.get(name="A1")
    assert animal.sex.label == "female"
    assert [n["kind"] for n in animal.import_notes] == ["conflict"]


def test_the_api_shows_each_records_notes(alice):
    from uid.tests.test_api_submissions import client_for

    task = imported(alice, "template", "pigs.xlsx", simple_workbook([pig("sow", Sex="F")]))

    body = client_for(alice).get(f"/api/v1/submissions/{task.submission_id}/animals/").json()
    (animal,) = body["results"]
    assert animal["sex"] == "female"
    assert animal["import_notes"] == [
        {"field": "sex", "kind": "mapped", "supplied": "F", "stored": "female"}
    ]
