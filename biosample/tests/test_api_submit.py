"""Submitting through the REST API: POST .../submit/ (a Webin password once, or a kept
token), GET .../preview/ (what a submit would do; the submit then does it) and GET
.../sync/ (how the records stand in BioSamples); the owner's alone."""

import pytest

from biosample.models import SampleLink, StoredToken
from biosample.services import records_withdraw_start, submission_sync_start
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, Status, Task, TaskKind, TaskState
from uid.services.records import record_update
from uid.tests.test_api_submissions import client_for
from validation.tests.test_validate import validated

pytestmark = pytest.mark.django_db


def url(submission, what: str) -> str:
    return f"/api/v1/submissions/{submission.pk}/{what}/"


def signed_out() -> None:
    """No Webin token kept from an earlier sign-in (``ready`` keeps one)."""
    StoredToken.objects.all().delete()


def submit(api, submission, **body):
    return api.post(url(submission, "submit"), body, format="json")


def submitted(api, submission, **body) -> Task:
    answer = submit(api, submission, **body)
    assert answer.status_code == 202, answer.json()
    task = run_queued(submission.pk)
    assert task.state == TaskState.SUCCEEDED, task.message
    return task


# --- POST .../submit/ ----------------------------------------------------------------------


def test_it_exchanges_the_password_once_and_answers_202_with_the_task(alice, ready):
    signed_out()
    api = client_for(alice)

    answer = submit(api, ready, webin_username=WEBIN, webin_password=WEBIN_PASSWORD)

    assert answer.status_code == 202, answer.json()
    body = answer.json()
    assert (body["kind"], body["state"], body["active"]) == ("submit", "queued", True)
    assert "webin_password" not in str(body) and WEBIN_PASSWORD not in str(body)
    task = Task.objects.get(pk=body["id"])
    assert task.params == {"account": WEBIN, "release": None}
    assert StoredToken.objects.filter(user=alice, webin_account=WEBIN).exists()
    assert run_queued(ready.pk).state == TaskState.SUCCEEDED


def test_the_submission_shows_the_tasks_progress_and_the_records_their_accessions(alice, ready):
    api = client_for(alice)
    submitted(api, ready, webin_username=WEBIN)

    shown = api.get(f"/api/v1/submissions/{ready.pk}/").json()
    assert shown["status"] == Status.COMPLETED
    task = shown["task"]
    assert (task["kind"], task["state"], task["done"], task["total"], task["percent"]) == (
        "submit", "succeeded", 4, 4, 100
    )  # fmt: skip
    assert task["result"]["created"] == 4
    animals = api.get(url(ready, "animals")).json()["results"]
    samples = api.get(url(ready, "samples")).json()["results"]
    expected = dict(Animal.objects.values_list("name", "accession"))
    expected |= dict(Sample.objects.values_list("name", "accession"))
    assert {r["name"]: r["accession"] for r in animals + samples} == expected
    assert all(accession.startswith("SAMEA") for accession in expected.values())
    boar = Animal.objects.get(name="boar")
    assert api.get(f"/api/v1/animals/{boar.pk}/").json()["accession"] == boar.accession
    straw = Sample.objects.get(name="straw-1")
    assert api.get(f"/api/v1/samples/{straw.pk}/").json()["accession"] == straw.accession


def test_a_kept_token_spares_the_password(alice, ready):
    answer = submit(client_for(alice), ready, webin_username=WEBIN)
    assert answer.status_code == 202, answer.json()


def test_the_account_on_the_profile_is_the_default(alice, ready):
    alice.profile.webin_username = WEBIN
    alice.profile.save()
    answer = submit(client_for(alice), ready)
    assert answer.status_code == 202, answer.json()
    assert Task.objects.get(pk=answer.json()["id"]).params["account"] == WEBIN


def test_a_password_webin_refuses_is_400_on_its_field(alice, ready):
    signed_out()
    answer = submit(client_for(alice), ready, webin_username=WEBIN, webin_password="not it")
    assert answer.status_code == 400
    assert answer.json() == {
        "webin_password": [f"Webin refused the username or password of {WEBIN}"]
    }
    assert not StoredToken.objects.exists()
    assert not Task.objects.filter(submission=ready, kind=TaskKind.SUBMIT).exists()


def test_without_a_password_or_a_kept_token_it_is_400_on_the_password(alice, ready):
    signed_out()
    answer = submit(client_for(alice), ready, webin_username=WEBIN)
    assert answer.status_code == 400
    assert list(answer.json()) == ["webin_password"]
    assert f"Give the password of {WEBIN}" in answer.json()["webin_password"][0]


def test_webin_not_answering_is_503_and_nothing_starts(alice, ready, emulator):
    signed_out()
    emulator.faults.script(*[503] * 5, method="POST", path="/ena/submit/webin/auth/token")
    answer = submit(client_for(alice), ready, webin_username=WEBIN, webin_password=WEBIN_PASSWORD)
    assert answer.status_code == 503
    assert answer.json()["detail"].startswith("Webin did not answer")
    assert not StoredToken.objects.exists()
    assert not Task.objects.filter(submission=ready, kind=TaskKind.SUBMIT).exists()


def test_an_account_it_cannot_be_is_400_on_its_field(alice, ready):
    api = client_for(alice)
    answer = submit(api, ready, webin_username="alice", webin_password=WEBIN_PASSWORD)
    assert answer.status_code == 400
    assert answer.json()["webin_username"] == [
        "A Webin account is written Webin- and its number, e.g. Webin-12345."
    ]
    answer = submit(api, ready, webin_password=WEBIN_PASSWORD)  # and none on the profile
    assert answer.status_code == 400 and list(answer.json()) == ["webin_username"]
    answer = submit(api, ready, webin_username=WEBIN, release_date="1st of May")
    assert answer.status_code == 400 and list(answer.json()) == ["release_date"]


def test_a_release_date_keeps_the_records_private_until_then(alice, ready, api, token):
    submitted(client_for(alice), ready, webin_username=WEBIN, release_date="2031-05-01")
    boar = Animal.objects.get(name="boar")
    there = api.get(f"/samples/{boar.accession}", token=token).json()
    assert there["release"].startswith("2031-05-01") and there["status"] == "PRIVATE"


def test_it_is_409_before_validation_and_sends_no_password(alice, ready):
    signed_out()
    Animal.objects.filter(name="boar").update(status=Status.NEED_REVISION)
    ready.status = Status.LOADED
    ready.save(update_fields=["status"])
    answer = submit(client_for(alice), ready, webin_username=WEBIN, webin_password=WEBIN_PASSWORD)
    assert answer.status_code == 409
    assert "validate them first" in answer.json()["detail"]
    assert not StoredToken.objects.exists()  # Webin was not asked


def test_it_is_409_while_a_task_works_on_the_submission(alice, ready):
    api = client_for(alice)
    assert submit(api, ready, webin_username=WEBIN).status_code == 202
    answer = submit(api, ready, webin_username=WEBIN)
    assert answer.status_code == 409
    assert "is working on this submission" in answer.json()["detail"]
    assert api.post(url(ready, "validate")).status_code == 409


# --- GET .../preview/ ----------------------------------------------------------------------


def test_the_preview_counts_what_a_submit_then_does(alice, ready):
    api = client_for(alice)
    preview = api.get(url(ready, "preview")).json()

    assert {k: preview[k] for k in ("new", "update", "unchanged", "blocked", "to_send")} == {
        "new": 4, "update": 0, "unchanged": 0, "blocked": 0, "to_send": 4,
    }  # fmt: skip
    assert preview["submittable"] is True and preview["status"] == Status.READY
    example = preview["examples"][0]
    assert set(example) == {"kind", "id", "name", "action", "document", "changes"}
    assert example["action"] == "new" and example["document"]["name"] == example["name"]
    assert {e["name"] for e in preview["examples"]} == {"boar", "sow", "piglet", "straw-1"}

    task = submitted(api, ready, webin_username=WEBIN)

    assert task.result["created"] == preview["new"] and task.result["updated"] == 0


def test_the_preview_of_a_change_and_of_a_new_release_date_is_what_goes_out(alice, ready):
    api = client_for(alice)
    submitted(api, ready, webin_username=WEBIN)
    preview = api.get(url(ready, "preview")).json()
    assert (preview["new"], preview["update"], preview["unchanged"]) == (0, 0, 4)
    assert preview["submittable"] is False and preview["examples"] == []

    boar = Animal.objects.get(name="boar")
    record_update(record=boar, user=alice, birth_date="2019-04")
    validated(ready, alice)
    preview = api.get(url(ready, "preview")).json()
    assert (preview["new"], preview["update"], preview["unchanged"]) == (0, 1, 3)
    [changed] = preview["examples"]
    assert (changed["name"], changed["action"]) == ("boar", "update")
    assert {"field": "Birth date", "was": "", "now": "2019-04"} in changed["changes"]
    assert changed["document"]["accession"] == boar.accession
    task = submitted(api, ready, webin_username=WEBIN)
    assert (task.result["updated"], task.result["unchanged"]) == (1, 3)

    later = api.get(url(ready, "preview"), {"release_date": "2032-01-01"}).json()
    assert (later["update"], later["unchanged"], later["release_date"]) == (4, 0, "2032-01-01")
    for example in later["examples"]:
        [change] = [c for c in example["changes"] if c["field"] == "release"]
        assert change["now"] == "2032-01-01T00:00:00Z" != change["was"]
    task = submitted(api, ready, webin_username=WEBIN, release_date="2032-01-01")
    assert (task.result["updated"], task.result["unchanged"]) == (4, 0)


def test_the_preview_counts_records_with_validation_errors_as_blocked(alice, ready):
    from validation.models import RecordResult

    boar = Animal.objects.get(name="boar")
    RecordResult.objects.filter(kind="animal", record_id=boar.pk).update(status="Error")
    preview = client_for(alice).get(url(ready, "preview")).json()
    assert (preview["new"], preview["blocked"], preview["to_send"]) == (3, 1, 3)


def test_a_preview_date_it_cannot_read_is_400(alice, ready):
    answer = client_for(alice).get(url(ready, "preview"), {"release_date": "soon"})
    assert answer.status_code == 400 and list(answer.json()) == ["release_date"]


# --- GET .../sync/ -------------------------------------------------------------------------


def test_before_a_submit_nothing_is_listed(alice, ready):
    listing = client_for(alice).get(url(ready, "sync")).json()
    assert listing == {
        "counts": {"same": 0, "drift": 0, "lost": 0, "unchecked": 0, "withdrawn": 0},
        "count": 0, "next": None, "previous": None, "results": [],
    }  # fmt: skip


def test_the_sync_listing_follows_submit_comparison_and_withdrawal(alice, ready, api, token):
    client = client_for(alice)
    submitted(client, ready, webin_username=WEBIN)

    listing = client.get(url(ready, "sync")).json()
    assert listing["counts"] == {"same": 0, "drift": 0, "lost": 0, "unchecked": 4, "withdrawn": 0}
    boar = Animal.objects.get(name="boar")
    [shown] = [r for r in listing["results"] if r["name"] == "boar"]
    link = SampleLink.objects.get(kind="animal", record_id=boar.pk)
    assert shown == {
        "kind": "animal", "id": boar.pk, "name": "boar", "accession": boar.accession,
        "remote_status": "unchecked", "last_sent": shown["last_sent"], "remote_updated": None,
        "message": "",
    }  # fmt: skip
    assert shown["last_sent"].startswith(link.last_sent.isoformat()[:19])

    curated = api.get(f"/samples/{boar.accession}", token=token).json()
    curated["characteristics"]["Sex"] = [{"text": "female"}]  # someone curated it there
    assert api.put(boar.accession, curated, token=token).status_code == 200
    submission_sync_start(submission=ready, user=alice, account=WEBIN)
    assert run_queued(ready.pk).kind == TaskKind.SYNC
    straw = Sample.objects.get(name="straw-1")
    records_withdraw_start(submission=ready, user=alice, account=WEBIN, kind="sample",
                           ids=[straw.pk])  # fmt: skip
    assert run_queued(ready.pk).state == TaskState.SUCCEEDED

    listing = client.get(url(ready, "sync")).json()
    assert listing["counts"] == {"same": 2, "drift": 1, "lost": 0, "unchecked": 0, "withdrawn": 1}
    standing = {r["name"]: r["remote_status"] for r in listing["results"]}
    assert standing == {"boar": "drift", "piglet": "same", "sow": "same", "straw-1": "withdrawn"}
    drift = client.get(url(ready, "sync"), {"remote_status": "drift"}).json()
    assert drift["count"] == 1 and drift["results"][0]["remote_updated"] is not None
    assert drift["counts"] == listing["counts"]  # the counts are of all the records


def test_the_sync_listing_is_paginated_in_few_queries(alice, ready, django_assert_max_num_queries):
    client = client_for(alice)
    submitted(client, ready, webin_username=WEBIN)
    with django_assert_max_num_queries(8):
        first = client.get(url(ready, "sync"), {"page_size": 3}).json()
    assert (first["count"], len(first["results"])) == (4, 3) and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    wrong = client.get(url(ready, "sync"), {"remote_status": "gone"})
    assert wrong.status_code == 400 and list(wrong.json()) == ["remote_status"]


# --- Outsiders -------------------------------------------------------------------------------


def test_an_outsider_gets_404(outsider, alice, ready):
    submitted(client_for(alice), ready, webin_username=WEBIN)
    api = client_for(outsider)
    tasks = Task.objects.count()
    answer = submit(api, ready, webin_username=WEBIN, webin_password=WEBIN_PASSWORD)
    assert answer.status_code == 404
    assert api.get(url(ready, "preview")).status_code == 404
    assert api.get(url(ready, "sync")).status_code == 404
    assert not StoredToken.objects.filter(user=outsider).exists()  # Webin was not asked
    assert Task.objects.count() == tasks


def test_anonymous_callers_are_refused(ready):
    from rest_framework.test import APIClient

    anonymous = APIClient()
    assert submit(anonymous, ready, webin_username=WEBIN).status_code in (401, 403)
    assert anonymous.get(url(ready, "preview")).status_code in (401, 403)
    assert anonymous.get(url(ready, "sync")).status_code in (401, 403)
