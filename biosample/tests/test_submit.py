"""Submitting a validated submission to BioSamples (the emulator, over real HTTP): every
record gets its accession at once, parents first; nothing is sent twice, not even after a
crash; changed records are updated; refusals and an expired token are said."""

import pytest

from biosample.models import LinkState, SampleLink
from biosample.services import submission_submit_start, submit_plan
from biosample.tests.conftest import WEBIN
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, Status, TaskState
from uid.services.records import record_update
from validation.tests.test_validate import validated

pytestmark = pytest.mark.django_db


def submitted(submission, user):
    submission_submit_start(submission=submission, user=user, account=WEBIN)
    task = run_queued(submission.pk)
    submission.refresh_from_db()
    return task


def remote(api, token, accession) -> dict:
    answer = api.get(f"/samples/{accession}", token=token)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_every_record_gets_its_accession_and_parents_are_linked(alice, ready, api, token):
    task = submitted(ready, alice)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message.startswith("Sent to BioSamples: 4 new in BioSamples, 0 updated")
    assert ready.status == Status.COMPLETED
    accession = dict(Animal.objects.values_list("name", "accession"))
    assert all(value and value.startswith("SAMEA") for value in accession.values())
    piglet = remote(api, token, accession["piglet"])
    targets = {(rel["type"], rel["target"]) for rel in piglet["relationships"]
               if rel["source"] == accession["piglet"]}  # fmt: skip
    assert targets == {("child of", accession["boar"]), ("child of", accession["sow"])}
    straw = Sample.objects.get(name="straw-1")
    assert straw.status == Status.COMPLETED
    stored = remote(api, token, straw.accession)
    assert {"source": straw.accession, "type": "derived from", "target": accession["boar"]} in (
        stored["relationships"]
    )
    assert stored["characteristics"]["Organism part"][0]["text"] == "hair"
    assert SampleLink.objects.filter(state=LinkState.CREATED).count() == 4


def test_a_second_submit_sends_nothing_unchanged(alice, ready, emulator):
    submitted(ready, alice)
    posts = sum(n for (method, *_), n in emulator.request_counts().items() if method == "POST")
    plan = submit_plan(submission=ready)
    assert (plan.new, plan.update, plan.unchanged) == (0, 0, 4)

    task = submitted(ready, alice)

    assert "0 new in BioSamples, 0 updated, 4 unchanged" in task.message
    assert (
        sum(n for (method, *_), n in emulator.request_counts().items() if method == "POST") == posts
    )


def test_a_changed_record_is_put_whole(alice, ready, api, token):
    submitted(ready, alice)
    boar = Animal.objects.get(name="boar")
    record_update(record=boar, user=alice, birth_date="2019-04")
    validated(ready, alice)
    plan = submit_plan(submission=ready)
    assert (plan.new, plan.update, plan.unchanged) == (0, 1, 3)
    assert {"field": "Birth date", "was": "", "now": "2019-04"} in plan.examples[0]["changes"]

    task = submitted(ready, alice)

    assert "0 new in BioSamples, 1 updated, 3 unchanged" in task.message
    boar.refresh_from_db()
    assert boar.status == Status.COMPLETED
    assert (
        remote(api, token, boar.accession)["characteristics"]["Birth date"][0]["text"] == "2019-04"
    )


def test_after_a_crash_it_finds_what_was_stored_instead_of_posting_again(alice, ready, api, token):
    from biosample.services import _outgoing, environment
    from validation.documents import submission_documents

    # A run died after BioSamples stored the boar: its link says it was being created.
    boar = next(b for b in submission_documents(submission=ready) if b.document["name"] == "boar")
    stored = api.post(_outgoing(boar.document, {}, None), token=token)
    assert stored.status_code == 201, stored.text
    SampleLink.objects.create(
        submission=ready, kind="animal", record_id=boar.pk, name="boar", webin_account=WEBIN,
        environment=environment(), state=LinkState.CREATING,
    )  # fmt: skip

    task = submitted(ready, alice)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert Animal.objects.get(name="boar").accession == stored.json()["accession"]
    found = api.get("/samples", token=token, params={"filter": "name:boar"}).json()
    assert len(found["_embedded"]["samples"]) == 1  # no second boar


def test_an_expired_token_stops_the_run_and_asks_to_sign_in_again(alice, ready, emulator):
    from biosample.tokens import token_store

    token_store(user=alice, account=WEBIN, value=emulator.token_issue(WEBIN, lifetime=600),
                expires_at=emulator.now() + 600)  # fmt: skip
    submission_submit_start(submission=ready, user=alice, account=WEBIN)
    emulator.clock_advance(3600)
    task = run_queued(ready.pk)
    assert task.state == TaskState.FAILED and task.retryable
    assert "The Webin token expired" in task.message and "Sign in to Webin again" in task.message


def test_it_is_refused_before_validation_and_without_a_token(alice, ready):
    from uid.services.tasks import SubmissionStateError

    ready.status = Status.LOADED
    with pytest.raises(SubmissionStateError, match="validate them first"):
        submission_submit_start(submission=ready, user=alice, account=WEBIN)
    ready.status = Status.READY
    with pytest.raises(SubmissionStateError, match="sign in to Webin first"):
        submission_submit_start(submission=ready, user=alice, account="Webin-99999")
