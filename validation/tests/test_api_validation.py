"""The validation through the REST API: start it, read the summary, read each record's
result, filter records by result and by message; the owner's alone."""

import pytest

from injecttool.testing.tasks import run_queued
from uid.models import Animal, TaskState
from uid.tests.test_api_submissions import client_for
from validation.services import terms_seed
from validation.tests.test_validate import complete_submitter, farm

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(alice):
    """A farm validated through the API: the boar has a hair sample, all else passes."""
    terms_seed()
    submission = farm(alice, **{"Organism part": "hair"})
    complete_submitter(alice, submission)
    Animal.objects.filter(name="sow").update(birth_location="Bentheim")  # place without accuracy
    answer = client_for(alice).post(f"/api/v1/submissions/{submission.pk}/validate/")
    assert answer.status_code == 202 and answer.json()["kind"] == "validate"
    assert run_queued(submission.pk).state == TaskState.SUCCEEDED
    return submission


def test_it_answers_409_while_a_task_works(alice):
    submission = farm(alice)
    api = client_for(alice)
    assert api.post(f"/api/v1/submissions/{submission.pk}/validate/").status_code == 202
    answer = api.post(f"/api/v1/submissions/{submission.pk}/validate/")
    assert answer.status_code == 409
    assert "is working on this submission" in answer.json()["detail"]


def test_the_summary_counts_and_groups_the_findings(alice, checked):
    summary = client_for(alice).get(f"/api/v1/submissions/{checked.pk}/validation/").json()
    assert summary["counts"]["animals"] == {"Pass": 0, "Warning": 2, "Error": 1}
    assert summary["stale_records"] == 0
    first = summary["findings"][0]  # Errors first
    assert first["severity"] == "Error" and first["field"] == "Birth location accuracy"
    assert (first["animals"], first["samples"]) == (1, 0)


def test_before_any_validation_the_summary_is_empty(alice):
    submission = farm(alice)
    summary = client_for(alice).get(f"/api/v1/submissions/{submission.pk}/validation/").json()
    assert summary == {"validated_at": None, "ruleset_version": None, "counts": None,
                       "stale_records": 0, "findings": []}  # fmt: skip


def test_each_record_carries_its_result(alice, checked):
    api = client_for(alice)
    animals = api.get(f"/api/v1/submissions/{checked.pk}/animals/").json()["results"]
    by_name = {a["name"]: a["validation"] for a in animals}
    assert by_name["sow"]["status"] == "Error" and by_name["boar"]["status"] == "Warning"
    assert by_name["sow"]["findings"][0]["severity"] == "Error"
    sow = Animal.objects.get(name="sow")
    detail = api.get(f"/api/v1/animals/{sow.pk}/").json()
    assert detail["validation"] == by_name["sow"]


def test_records_filter_by_result_and_by_message(alice, checked):
    api = client_for(alice)
    url = f"/api/v1/submissions/{checked.pk}/animals/"
    errors = api.get(url, {"validation": "Error"}).json()["results"]
    assert [a["name"] for a in errors] == ["sow"]
    message = errors[0]["validation"]["findings"][0]["message"]
    having = api.get(url, {"finding": message}).json()["results"]
    assert [a["name"] for a in having] == ["sow"]
    assert api.get(url, {"finding": "no such message"}).json()["count"] == 0


def test_an_outsider_gets_404(outsider, checked):
    api = client_for(outsider)
    assert api.post(f"/api/v1/submissions/{checked.pk}/validate/").status_code == 404
    assert api.get(f"/api/v1/submissions/{checked.pk}/validation/").status_code == 404
