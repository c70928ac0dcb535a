"""A submission's timeline: each import, edit and change of details, with who, when and
how it ended; on the page, on its own page and in the API; the owner's alone."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from excel.tests.workbooks import pig, simple_workbook
from injecttool.testing.tasks import run_queued
from uid.models import Animal, EventKind, SubmissionEvent, TaskKind, TaskState
from uid.services.tasks import task_queue
from uid.tests.test_api_submissions import client_for
from uid.tests.test_record_edit import form_of, url
from uid.tests.test_record_exports import imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def pigs(alice):
    return imported(alice, "pigs.xlsx", simple_workbook([pig("boar"), pig("sow")], []))


def test_an_import_leaves_an_entry_with_its_file_and_who_started_it(alice, pigs):
    event = SubmissionEvent.objects.get(submission=pigs)
    assert event.kind == EventKind.IMPORT and event.outcome == TaskState.SUCCEEDED
    assert event.user == alice
    assert event.summary.startswith("pigs.xlsx: Loaded 2 animals")
    assert event.detail["file"] == "pigs.xlsx"


def test_a_failed_import_leaves_a_failed_entry(alice, pigs):
    # The import run again on a file that is not a workbook: it fails and says so.
    pigs.file.save("pigs.xlsx", ContentFile(b"not a workbook"), save=True)
    task_queue(submission=pigs, kind=TaskKind.IMPORT, user=alice)
    assert run_queued(pigs.pk).state == TaskState.FAILED
    latest = SubmissionEvent.objects.filter(submission=pigs).first()
    assert latest.kind == EventKind.IMPORT and latest.outcome == TaskState.FAILED
    assert latest.summary.startswith("pigs.xlsx: ") and latest.task.message in latest.summary


def test_an_edit_says_which_fields_changed_from_what_to_what(client, alice, pigs):
    client.force_login(alice)
    boar = Animal.objects.get(name="boar")
    data = form_of(client, boar) | {"birth_date": "2020-05", "alternative_id": "DE-7"}
    client.post(url(boar), data)

    event = SubmissionEvent.objects.filter(submission=pigs).first()
    assert event.kind == EventKind.EDIT and event.user == alice
    assert event.summary == "Changed animal “boar”: Alternative id, Birth date."
    assert event.detail["changes"]["birth_date"] == ["", "2020-05"]
    page = client.get(reverse("uid:submission_timeline", args=[pigs.pk])).content.decode()
    assert "Changed animal “boar”" in page and "2020-05" in page


def test_a_change_of_details_is_on_the_timeline(alice, pigs):
    api = client_for(alice)
    api.patch(f"/api/v1/submissions/{pigs.pk}/", {"title": "Pigs of 2026"}, format="json")
    event = SubmissionEvent.objects.filter(submission=pigs).first()
    assert event.kind == EventKind.DETAILS
    assert event.detail["changes"] == {"title": ["pigs.xlsx", "Pigs of 2026"]}


def test_the_api_lists_the_timeline_newest_first(alice, pigs):
    api = client_for(alice)
    api.patch(f"/api/v1/submissions/{pigs.pk}/", {"title": "Pigs of 2026"}, format="json")

    answer = api.get(f"/api/v1/submissions/{pigs.pk}/events/").json()

    assert answer["count"] == 2
    kinds = [entry["kind"] for entry in answer["results"]]
    assert kinds == ["details", "import"]
    first = answer["results"][0]
    assert first["user"] == "alice" and first["outcome_label"] == "Done"
    assert first["summary"] == "Changed the details: title."


def test_the_submission_page_shows_the_latest_entries(client, alice, pigs):
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[pigs.pk])).content.decode()
    timeline = page.split('data-testid="timeline"')[1].split("</ul>")[0]
    assert "Import: done" in timeline and "pigs.xlsx: Loaded 2 animals" in timeline


def test_an_outsider_gets_404_for_the_timeline(client, outsider, pigs):
    client.force_login(outsider)
    assert client.get(reverse("uid:submission_timeline", args=[pigs.pk])).status_code == 404
    assert client_for(outsider).get(f"/api/v1/submissions/{pigs.pk}/events/").status_code == 404
