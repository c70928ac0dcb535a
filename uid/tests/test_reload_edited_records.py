"""A reload names the records a curator changed since their import, and asks first."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uid.models import Animal, Sample, TaskState
from uid.services import records, submissions
from uid.services.submissions import submission_import, submission_reload
from uid.tests.test_api_submissions import client_for
from uid.tests.test_submission_import import CRB_HEADER, _submission, crb_row

FIRST = CRB_HEADER + crb_row("S1", "A1") + crb_row("S2", "A1")
SECOND = CRB_HEADER + crb_row("S1", "A1") + crb_row("S3", "A1")


@pytest.fixture
def loaded(db, alice):
    submission = _submission(alice, "crbanim", "goats.csv", FIRST.encode())
    assert submission_import(submission_id=submission.pk).state == TaskState.SUCCEEDED
    return submission


def test_an_import_leaves_no_record_marked_edited(loaded):
    assert not Animal.objects.filter(edited_at__isnull=False).exists()
    assert not Sample.objects.filter(edited_at__isnull=False).exists()


def test_a_reload_over_changed_records_is_refused_naming_them_then_done_when_asked(loaded, alice):
    sample = Sample.objects.get(submission=loaded, name="S1")
    records.record_update(record=sample, description="straw from the second collection")

    with pytest.raises(submissions.EditedRecords) as refused:
        submission_reload(
            submission=loaded, file=ContentFile(SECOND.encode(), "new.csv"), user=alice
        )
    assert str(refused.value).startswith(
        "1 record(s) were changed here since their import, and the new file would overwrite "
        "them: sample 'S1'. Put those changes into the file first, or tick “Overwrite my "
        "changes”"
    )
    assert list(loaded.tasks.values_list("state", flat=True)) == [TaskState.SUCCEEDED]

    submission_reload(
        submission=loaded, file=ContentFile(SECOND.encode(), "new.csv"), user=alice,
        overwrite_edits=True,
    )  # fmt: skip
    assert submission_import(submission_id=loaded.pk).state == TaskState.SUCCEEDED
    reloaded = Sample.objects.get(submission=loaded, name="S1")
    assert reloaded.description == "" and reloaded.edited_at is None


def test_the_page_offers_the_choice_and_says_what_a_reload_would_overwrite(client, alice, loaded):
    records.record_update(record=Animal.objects.get(name="A1"), alternative_id="DE-1")
    client.force_login(alice)
    url = reverse("uid:submission_detail", args=[loaded.pk])
    assert "Overwrite my changes (1 record)" in client.get(url).content.decode()

    page = client.post(
        reverse("uid:submission_reload", args=[loaded.pk]),
        {"file": SimpleUploadedFile("new.csv", SECOND.encode())},
        follow=True,
    ).content.decode()
    assert "and the new file would overwrite them: animal &#x27;A1&#x27;" in page
    assert Animal.objects.get(name="A1").alternative_id == "DE-1"

    client.post(
        reverse("uid:submission_reload", args=[loaded.pk]),
        {"file": SimpleUploadedFile("new.csv", SECOND.encode()), "overwrite_edits": "on"},
    )
    assert loaded.tasks.filter(state=TaskState.QUEUED).exists()


def test_the_api_refuses_with_409_unless_asked(alice, loaded):
    records.record_update(record=Animal.objects.get(name="A1"), alternative_id="DE-1")
    api = client_for(alice)
    url = f"/api/v1/submissions/{loaded.pk}/reload/"

    refused = api.post(url, {"file": SimpleUploadedFile("n.csv", SECOND.encode())})
    assert refused.status_code == 409
    assert "animal 'A1'" in refused.json()["detail"]

    data = {"file": SimpleUploadedFile("n.csv", SECOND.encode()), "overwrite_edits": "true"}
    assert api.post(url, data).status_code == 202


def test_a_record_is_not_changed_while_a_task_works_on_its_submission(loaded, alice):
    from uid.services.tasks import task_queue

    task_queue(submission=loaded, kind="validate", user=alice)
    with pytest.raises(submissions.SubmissionBusy):
        records.record_update(record=Animal.objects.get(name="A1"), alternative_id="x")
