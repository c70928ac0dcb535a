"""Conformance: the real IMAGE sample files import whole, with the records they hold."""

from pathlib import Path

from django.core.files import File

from injecttool.testing.shared import shared_fixture
from uid.models import Animal, Country, Sample, Submission, Task, TaskKind, TaskState
from uid.services.dictionaries import dictionaries_seed
from uid.services.submissions import submission_import
from uid.services.tasks import task_queue

fixture = shared_fixture


def imported(owner, path: Path, kind: str, country: str) -> Task:
    dictionaries_seed()
    submission = Submission(
        owner=owner, title=path.name, gene_bank_name="IMAGE", datasource_version="1",
        gene_bank_country=Country.objects.get(label=country), datasource_type=kind,
        file_name=path.name,
    )  # fmt: skip
    with path.open("rb") as f:
        submission.file.save(path.name, File(f), save=False)
    submission.save()
    task_queue(submission=submission, kind=TaskKind.IMPORT, user=owner)
    return submission_import(submission_id=submission.pk)


def test_the_real_cryoweb_dump_gives_three_sheep_and_one_semen_straw(db, alice):
    path = fixture("cryoweb/cryoweb_test_data_only.sql")
    task = imported(alice, path, "cryoweb", "Germany")
    submission = task.submission

    assert task.state == TaskState.SUCCEEDED, task.message
    # Cryoweb codes its sexes m and f: put into IMAGE's words, and said.
    assert task.message == (
        "Loaded 3 animals and 1 sample. "
        "Mapped to IMAGE values (each record notes what the file said): sex 3."
    )
    animals = {a.name: a for a in Animal.objects.filter(submission=submission)}
    assert len(animals) == 3
    child = next(a for a in animals.values() if a.father_id)
    assert child.father.sex.label == "male" and child.mother.sex.label == "female"
    assert {child.father.name, child.mother.name, child.name} == set(animals)
    assert all(a.species.label == "Ovis aries" for a in animals.values())
    assert all(a.breed.country.label == "Germany" for a in animals.values())
    sample = Sample.objects.get(submission=submission)
    assert sample.organism_part.label == "semen"
    assert sample.animal.name in animals


def test_the_real_crbanim_export_gives_two_animals_and_three_samples(db, alice):
    path = fixture("crbanim/crbanim_test_data.csv")
    task = imported(alice, path, "crbanim", "France")
    submission = task.submission

    assert task.state == TaskState.SUCCEEDED, task.message
    animals = {a.name: a for a in Animal.objects.filter(submission=submission)}
    assert sorted(animals) == ["ANIMAL:::1", "ANIMAL:::2"]
    assert animals["ANIMAL:::2"].species.taxon_id == 9925  # Capra hircus, its first row
    assert animals["ANIMAL:::1"].sex.term == "OBI_0000858"
    samples = {s.name: s for s in Sample.objects.filter(submission=submission)}
    assert sorted(samples) == ["FAKE571911", "FAKE726008", "FAKE760848"]
    assert samples["FAKE726008"].organism_part.label == "bone marrow"
    assert samples["FAKE726008"].storage == "frozen, -80 degrees Celsius freezer"
    assert samples["FAKE726008"].publication.doi == "10.1139/o09-005"
    # Its rows 2 and 5 disagree about ANIMAL:::2: the message lists them, the animal notes it.
    assert (
        "Rows that disagree about one record: animal 'ANIMAL:::2': row 3 describes it "
        "differently: sex 'male' (row 2: 'female')"
    ) in task.message
    (differs,) = [n for n in animals["ANIMAL:::2"].import_notes if n["kind"] == "conflict"]
    assert differs["why"].endswith("row 2 is used")
    # The storage temperatures are put into IMAGE's words, and the records say so.
    assert "Mapped to IMAGE values (each record notes what the file said): " in task.message
    assert {
        "field": "storage",
        "kind": "mapped",
        "supplied": "-80°C",
        "stored": "frozen, -80 degrees Celsius freezer",
    } in samples["FAKE726008"].import_notes


def test_the_latin1_crbanim_export_is_refused_with_its_line_and_nothing_is_loaded(db, alice):
    path = fixture("crbanim/crbanim_test_data_latin-1.csv")
    task = imported(alice, path, "crbanim", "France")
    submission = task.submission

    assert task.state == TaskState.FAILED
    assert "crbanim_test_data_latin-1.csv" in task.message
    assert "UTF-8" in task.message
    assert not Animal.objects.filter(submission=submission).exists()
