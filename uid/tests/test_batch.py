"""Batch changes: set one field of many records, or delete them, with the edit form's
rules, the need-revision rule, the consequences of deleting animals, and a task (with
progress) for large batches."""

import pytest
from django.core.exceptions import ValidationError

from excel.tests.workbooks import pig, sample, simple_workbook
from injecttool.testing.tasks import run_queued
from uid.models import (
    Animal,
    EventKind,
    Sample,
    Species,
    Status,
    Submission,
    SubmissionEvent,
    TaskKind,
    TaskState,
)
from uid.services import batch
from uid.services.tasks import SubmissionBusy, task_queue
from uid.tests.test_record_exports import imported

pytestmark = pytest.mark.django_db


def pigs_imported(owner):
    """Boar and sow with their piglet; two straws of the boar's semen, hair of the piglet."""
    workbook = simple_workbook(
        [
            pig("boar", Sex="male"),
            pig("sow", Sex="female"),
            pig("piglet", Sex="female", **{"Father id in data source": "boar",
                                            "Mother id in data source": "sow"}),
        ],
        [sample("straw-1", "boar"), sample("straw-2", "boar"), sample("hair-1", "piglet")],
    )  # fmt: skip
    return imported(owner, "pigs.xlsx", workbook)


@pytest.fixture
def pigs(alice):
    return pigs_imported(alice)


def ids(model, *names) -> list[int]:
    return list(model.objects.filter(name__in=names).values_list("pk", flat=True))


def test_it_sets_a_field_on_the_chosen_records_only(alice, pigs):
    outcome = batch.batch_start(
        submission=pigs, kind="samples", action="set", user=alice,
        ids=ids(Sample, "straw-1", "straw-2"), field="storage", value="frozen, liquid nitrogen",
    )  # fmt: skip

    assert outcome.task is None
    assert outcome.message == "Set Sample storage on 2 samples."
    stored = dict(Sample.objects.values_list("name", "storage"))
    assert stored["straw-1"] == stored["straw-2"] == "frozen, liquid nitrogen"
    assert stored["hair-1"] != "frozen, liquid nitrogen"
    assert Sample.objects.get(name="straw-1").edited_at is not None
    event = SubmissionEvent.objects.filter(submission=pigs).first()
    assert event.kind == EventKind.BATCH and event.summary == outcome.message


def test_it_sets_a_field_on_every_record_a_filter_selects(alice, pigs):
    batch.batch_start(
        submission=pigs, kind="animals", action="set", user=alice, query="sex=female",
        field="birth_location", value="Bentheim",
    )  # fmt: skip
    places = dict(Animal.objects.values_list("name", "birth_location"))
    assert places == {"boar": "", "sow": "Bentheim", "piglet": "Bentheim"}


def test_it_ignores_ids_of_another_submission(alice, pigs):
    other = imported(alice, "more.xlsx", simple_workbook([pig("boar")], []))
    foreign = Animal.objects.get(submission=other).pk
    batch.batch_start(
        submission=pigs, kind="animals", action="set", user=alice, ids=[foreign],
        field="birth_location", value="Elsewhere",
    )  # fmt: skip
    assert Animal.objects.get(pk=foreign).birth_location == ""


@pytest.mark.parametrize(
    ("kind", "field", "value", "error"),
    [
        ("samples", "storage", "in the fridge", "Select a valid choice"),
        ("animals", "birth_date", "2020-13", "is not a date"),
        ("animals", "birth_location_latitude", "91", "less than or equal to 90"),
        ("animals", "sex", "", "This field is required"),
        ("samples", "protocol", "not a url", "Enter a valid URL"),
    ],
)
def test_it_refuses_what_the_edit_form_refuses(alice, pigs, kind, field, value, error):
    with pytest.raises(ValidationError) as caught:
        batch.batch_start(submission=pigs, kind=kind, action="set", user=alice, query="",
                          field=field, value=value)  # fmt: skip
    assert error in " ".join(caught.value.message_dict[field])


def test_it_refuses_a_field_that_names_records(alice, pigs):
    with pytest.raises(ValidationError) as caught:
        batch.batch_start(submission=pigs, kind="animals", action="set", user=alice,
                          query="", field="father", value="boar")  # fmt: skip
    assert "not a field a batch can set" in caught.value.message_dict["field"][0]


def test_it_refuses_a_species_that_their_breed_is_not_of(alice, pigs):
    cattle = Species.objects.get(label="Bos taurus")
    with pytest.raises(ValidationError) as caught:
        batch.batch_start(submission=pigs, kind="animals", action="set", user=alice,
                          query="", field="species", value=cattle.pk)  # fmt: skip
    assert "3 animals of the chosen have a breed of another species" in str(caught.value)


def test_a_ready_record_changed_needs_revision_and_so_does_its_submission(alice, pigs):
    Animal.objects.update(status=Status.READY)
    Sample.objects.update(status=Status.READY)
    outcome = batch.batch_start(
        submission=pigs, kind="animals", action="set", user=alice, ids=ids(Animal, "sow"),
        field="birth_date", value="2019",
    )  # fmt: skip
    assert "1 of them were ready or in BioSamples and now need revision" in outcome.message
    assert Animal.objects.get(name="sow").status == Status.NEED_REVISION
    assert Animal.objects.get(name="boar").status == Status.READY
    pigs.refresh_from_db()
    assert pigs.status == Status.NEED_REVISION


def test_it_is_refused_while_a_task_works_on_the_submission(alice, pigs):
    task_queue(submission=pigs, kind=TaskKind.VALIDATE, user=alice)
    with pytest.raises(SubmissionBusy):
        batch.batch_start(submission=pigs, kind="animals", action="delete", user=alice,
                          query="")  # fmt: skip
    assert Animal.objects.count() == 3


def test_deleting_animals_takes_their_samples_and_unlinks_their_children(alice, pigs):
    chosen = batch.batch_records(submission=pigs, kind="animals", ids=ids(Animal, "boar"))
    preview = batch.batch_delete_preview(records=chosen, kind="animals")
    assert (preview.deleted, preview.samples, preview.children, preview.kept) == (1, 2, 1, 0)

    outcome = batch.batch_start(submission=pigs, kind="animals", action="delete", user=alice,
                                ids=ids(Animal, "boar"))  # fmt: skip

    assert outcome.message == "Deleted 1 animal and their 2 samples. 1 animal lost a parent."
    assert set(Animal.objects.values_list("name", flat=True)) == {"sow", "piglet"}
    assert list(Sample.objects.values_list("name", flat=True)) == ["hair-1"]
    piglet = Animal.objects.get(name="piglet")
    assert piglet.father is None and piglet.mother.name == "sow"


def test_a_record_with_an_accession_is_never_deleted(alice, pigs):
    Sample.objects.filter(name="straw-1").update(accession="SAMEA100001")
    Animal.objects.filter(name="sow").update(accession="SAMEA100002")
    chosen = batch.batch_records(submission=pigs, kind="animals", query="")
    preview = batch.batch_delete_preview(records=chosen, kind="animals")
    # The sow is in BioSamples, the boar has a sample that is: both stay.
    assert (preview.with_accession, preview.kept_for_samples, preview.deleted) == (1, 1, 1)

    outcome = batch.batch_start(submission=pigs, kind="animals", action="delete", user=alice,
                                query="")  # fmt: skip

    assert "2 animals with a BioSamples accession (or with samples that have one) were kept" in (
        outcome.message
    )
    assert set(Animal.objects.values_list("name", flat=True)) == {"boar", "sow"}
    assert set(Sample.objects.values_list("name", flat=True)) == {"straw-1", "straw-2"}


def test_deleting_every_record_leaves_the_submission_without_records(alice, pigs):
    batch.batch_start(submission=pigs, kind="animals", action="delete", user=alice, query="")
    pigs.refresh_from_db()
    assert pigs.status == Status.EMPTY
    assert Submission.objects.filter(pk=pigs.pk).exists()


def test_a_large_batch_runs_as_a_task_with_progress(alice, pigs, monkeypatch):
    monkeypatch.setattr(batch, "INLINE_LIMIT", 2)
    outcome = batch.batch_start(
        submission=pigs, kind="samples", action="set", user=alice, query="",
        field="storage_processing", value="freeze dried",
    )  # fmt: skip
    assert outcome.task is not None and outcome.task.kind == TaskKind.BATCH
    assert set(Sample.objects.values_list("storage_processing", flat=True)) != {"freeze dried"}

    task = run_queued(pigs.pk)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message == "Set Sample storage processing on 3 samples."
    assert (task.progress_done, task.progress_total) == (3, 3)
    assert set(Sample.objects.values_list("storage_processing", flat=True)) == {"freeze dried"}
    event = SubmissionEvent.objects.filter(submission=pigs).first()
    assert event.kind == EventKind.BATCH and event.task_id == task.pk
