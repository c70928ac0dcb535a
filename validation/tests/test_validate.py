"""Validating a submission: every record checked as the BioSamples document we would send,
results stored per record and grouped by message, statuses set, refused when it cannot run."""

import pytest

from excel.tests.workbooks import pig, sample, simple_workbook
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Organisation, Role, Sample, Status, TaskKind, TaskState
from uid.services.records import record_update
from uid.services.tasks import SubmissionBusy, SubmissionStateError, task_queue
from uid.tests.test_record_exports import imported
from validation.models import Finding, RecordResult, SubmissionValidation
from validation.selectors import record_validation
from validation.services import submission_validate_start, terms_seed

pytestmark = pytest.mark.django_db


def complete_submitter(user, submission) -> None:
    """Everything IMAGE asks of the person and the organisation behind a submission."""
    from accounts.models import Profile

    user.first_name, user.last_name = "Alice", "Martin"
    user.save()
    role = Role.objects.get(label="submitter")
    organisation = Organisation.objects.create(
        name="INRAE", address="Paris", role=role, country=submission.gene_bank_country
    )
    Profile.objects.update_or_create(
        user=user, defaults={"initials": "A", "affiliation": organisation, "role": role}
    )
    submission.organisation = organisation
    submission.description = "Pigs of a German genebank"
    submission.save()


def farm(owner, **sample_values):
    workbook = simple_workbook(
        [pig("boar", Sex="male"), pig("sow", Sex="female"),
         pig("piglet", Sex="female", **{"Father id in data source": "boar",
                                         "Mother id in data source": "sow"})],
        [sample("straw-1", "boar", **sample_values)],
    )  # fmt: skip
    return imported(owner, "farm.xlsx", workbook)


def validated(submission, user, *, seed: bool = True):
    if seed:
        terms_seed()
    submission.refresh_from_db()
    submission_validate_start(submission=submission, user=user)
    task = run_queued(submission.pk)
    assert task.state == TaskState.SUCCEEDED, task.message
    submission.refresh_from_db()
    return task


def test_a_submission_whose_submitter_is_unknown_needs_revision(alice):
    submission = farm(alice)
    task = validated(submission, alice)

    assert task.message.startswith(
        "Checked 4 records: 0 pass, 0 with warnings only, 4 with errors."
    )
    assert submission.status == Status.NEED_REVISION
    assert set(Animal.objects.values_list("status", flat=True)) == {Status.NEED_REVISION}
    summary = SubmissionValidation.objects.get(submission=submission)
    assert summary.counts == {"animals": {"Pass": 0, "Warning": 0, "Error": 3},
                              "samples": {"Pass": 0, "Warning": 0, "Error": 1}}  # fmt: skip
    assert summary.ruleset_version.startswith("IMAGE sample metadata rules")
    # The same message on every record is one finding, counted per kind.
    missing = Finding.objects.get(
        validation=summary, message="Person last name is missing (mandatory)"
    )
    assert (missing.severity, missing.field, missing.animals, missing.samples) == (
        "Error", "Person last name", 3, 1
    )  # fmt: skip
    assert RecordResult.objects.filter(submission=submission).count() == 4


def test_a_complete_submission_is_ready_and_warnings_do_not_block(alice):
    submission = farm(alice, **{"Organism part": "hair"})
    complete_submitter(alice, submission)
    task = validated(submission, alice)

    assert submission.status == Status.READY, task.message
    assert set(Animal.objects.values_list("status", flat=True)) == {Status.READY}
    boar = Animal.objects.get(name="boar")
    shown = record_validation(kind="animal", record=boar)
    assert shown["status"] == "Warning" and shown["stale"] is False
    assert {"severity": "Warning", "field": "Birth date",
            "message": "Birth date is missing (recommended)"} in shown["findings"]  # fmt: skip
    assert "The submission is ready for BioSamples." in task.message


def test_semen_from_a_female_is_an_error_on_the_organism_part(alice):
    workbook = simple_workbook([pig("sow", Sex="female")], [sample("straw-9", "sow")])
    submission = imported(alice, "sow.xlsx", workbook)
    complete_submitter(alice, submission)
    validated(submission, alice)
    shown = record_validation(kind="sample", record=Sample.objects.get(name="straw-9"))
    assert shown["status"] == "Error"
    assert {"severity": "Error", "field": "Organism part",
            "message": "semen from sow, a female"} in shown["findings"]  # fmt: skip
    assert Sample.objects.get(name="straw-9").status == Status.NEED_REVISION
    assert Animal.objects.get(name="sow").status == Status.READY


def test_a_value_the_import_kept_as_given_is_a_finding_with_that_value(alice):
    submission = farm(alice, **{"Organism part": "hair", "Sample storage": "frozen"})
    complete_submitter(alice, submission)
    validated(submission, alice)
    shown = record_validation(kind="sample", record=Sample.objects.get(name="straw-1"))
    storage = [f for f in shown["findings"] if f["field"] == "Sample storage"]
    assert storage and storage[0]["severity"] == "Error" and "'frozen'" in storage[0]["message"]


def test_a_later_edit_makes_the_result_stale_and_the_record_need_revision(alice):
    submission = farm(alice, **{"Organism part": "hair"})
    complete_submitter(alice, submission)
    validated(submission, alice)
    boar = Animal.objects.get(name="boar")
    record_update(record=boar, user=alice, birth_date="2020")

    assert record_validation(kind="animal", record=boar)["stale"] is True
    assert boar.status == Status.NEED_REVISION
    submission.refresh_from_db()
    assert submission.status == Status.NEED_REVISION


def test_an_import_forgets_the_earlier_validation(alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from uid.services.submissions import submission_reload

    submission = farm(alice)
    validated(submission, alice)
    workbook = simple_workbook([pig("boar", Sex="male")], [])
    submission_reload(submission=submission, file=SimpleUploadedFile("new.xlsx", workbook),
                      user=alice)  # fmt: skip
    assert run_queued(submission.pk).state == TaskState.SUCCEEDED
    assert not SubmissionValidation.objects.filter(submission=submission).exists()
    assert not RecordResult.objects.filter(submission=submission).exists()
    assert record_validation(kind="animal", record=Animal.objects.get(name="boar")) is None


def test_it_is_refused_while_a_task_works_and_in_biosamples(alice):
    submission = farm(alice)
    task_queue(submission=submission, kind=TaskKind.BATCH, user=alice)
    with pytest.raises(SubmissionBusy):
        submission_validate_start(submission=submission, user=alice)
    submission.status = Status.COMPLETED
    with pytest.raises(SubmissionStateError, match="once its records are loaded"):
        submission_validate_start(submission=submission, user=alice)


def test_the_owner_is_mailed_when_a_long_validation_ends(
    alice, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    settings.IMPORT_MAIL_AFTER_SECONDS = 0
    submission = farm(alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        validated(submission, alice)
    assert [m.subject for m in mail.outbox] == [
        "[InjectTool] The validation of 'farm.xlsx' is done"
    ]
    assert "Checked 4 records" in mail.outbox[0].body


def test_with_ols_configured_a_term_the_table_lacks_is_looked_up_and_kept(alice, settings):
    from uid.models import Breed
    from validation.models import OntologyTerm
    from validation.tests.ols_standin import OlsStandIn

    submission = farm(alice, **{"Organism part": "hair"})
    complete_submitter(alice, submission)
    Breed.objects.update(mapped_breed="Duroc", mapped_breed_term="LBO_0000358")
    terms_seed()
    OntologyTerm.objects.filter(id="LBO_0000358").delete()  # not known offline

    def mapped_breed_findings() -> list[str]:
        shown = record_validation(kind="animal", record=Animal.objects.get(name="boar"))
        return [f["message"] for f in shown["findings"] if f["field"] == "Mapped breed"]

    settings.OLS_URL = ""
    validated(submission, alice, seed=False)
    assert any("cannot be verified offline" in m for m in mapped_breed_findings())

    with OlsStandIn() as server:
        settings.OLS_URL = server.url
        validated(submission, alice, seed=False)
    assert mapped_breed_findings() == []
    assert OntologyTerm.objects.get(id="LBO_0000358").label == "Duroc"
