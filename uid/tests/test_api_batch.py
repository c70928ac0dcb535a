"""POST /api/v1/submissions/{id}/records/batch/: the batch pages' rules through the API."""

import pytest

from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, TaskKind, TaskState
from uid.services import batch
from uid.services.tasks import task_queue
from uid.tests.test_api_submissions import client_for
from uid.tests.test_batch import ids, pigs_imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def pigs(alice):
    return pigs_imported(alice)


def post(user, submission, body):
    return client_for(user).post(
        f"/api/v1/submissions/{submission.pk}/records/batch/", body, format="json"
    )


def test_it_sets_a_field_by_ids(alice, pigs):
    body = {"kind": "samples", "action": "set", "field": "storage",
            "value": "frozen, liquid nitrogen", "ids": ids(Sample, "hair-1")}  # fmt: skip
    answer = post(alice, pigs, body)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"message": "Set Sample storage on 1 sample.", "task": None}
    assert Sample.objects.get(name="hair-1").storage == "frozen, liquid nitrogen"


def test_it_takes_a_dictionary_word_as_the_records_show_it(alice, pigs):
    body = {"kind": "animals", "action": "set", "field": "sex", "value": "female",
            "filter": {"search": "boar"}}  # fmt: skip
    assert post(alice, pigs, body).status_code == 200
    assert Animal.objects.get(name="boar").sex.label == "female"


def test_it_deletes_by_filter(alice, pigs):
    body = {"kind": "samples", "action": "delete", "filter": {"search": "straw"}}
    answer = post(alice, pigs, body)
    assert answer.json()["message"] == "Deleted 2 samples."
    assert list(Sample.objects.values_list("name", flat=True)) == ["hair-1"]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"kind": "animals", "action": "set", "field": "birth_date", "value": "20-1-1",
          "filter": {}},
         {"birth_date": ["'20-1-1' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"]}),
        ({"kind": "animals", "action": "set", "field": "sex", "value": "neuter", "filter": {}},
         {"sex": ["'neuter' is not in the dictionary"]}),
        ({"kind": "animals", "action": "set", "field": "mother", "value": "sow", "filter": {}},
         {"field": ["'mother' is not a field a batch can set"]}),
        ({"kind": "animals", "action": "set", "value": "x", "filter": {}},
         {"field": ["the field to set"]}),
        ({"kind": "animals", "action": "delete"},
         {"non_field_errors": ["give either ids or filter (an empty {} is all)"]}),
    ],
)  # fmt: skip
def test_it_answers_400_with_errors_per_field(alice, pigs, body, errors):
    answer = post(alice, pigs, body)
    assert answer.status_code == 400
    assert answer.json() == errors
    assert Animal.objects.count() == 3 and not Animal.objects.exclude(birth_date="").exists()


def test_it_answers_409_while_a_task_works(alice, pigs):
    task_queue(submission=pigs, kind=TaskKind.VALIDATE, user=alice)
    answer = post(alice, pigs, {"kind": "samples", "action": "delete", "filter": {}})
    assert answer.status_code == 409
    assert Sample.objects.count() == 3


def test_a_large_batch_answers_202_with_its_task(alice, pigs, monkeypatch):
    monkeypatch.setattr(batch, "INLINE_LIMIT", 1)
    answer = post(alice, pigs, {"kind": "animals", "action": "delete", "filter": {}})
    assert answer.status_code == 202
    task = answer.json()["task"]
    assert task["kind"] == "batch" and task["state"] == "queued"
    assert run_queued(pigs.pk).state == TaskState.SUCCEEDED
    assert not Animal.objects.exists() and not Sample.objects.exists()


def test_an_outsider_gets_404(outsider, pigs):
    answer = post(outsider, pigs, {"kind": "samples", "action": "delete", "filter": {}})
    assert answer.status_code == 404
    assert Sample.objects.count() == 3
