"""BioSamples makes a new sample findable by name only after a while. A record whose POST
got no answer is looked for again once that while has passed, before it is posted again:
a sample stored but not yet indexed never gets a second accession."""

import time

import pytest
from django.utils import timezone

from biosample.models import LinkState, SampleLink
from biosample.services import _outgoing, environment
from biosample.tests.conftest import WEBIN
from biosample.tests.test_submit import submitted
from uid.models import Animal, TaskState
from validation.documents import submission_documents

pytestmark = pytest.mark.django_db


def test_a_sample_stored_but_not_yet_indexed_is_waited_for_not_posted_again(
    alice, ready, api, token, emulator, settings
):
    emulator.search_delay = 3.0  # seconds before a new sample shows in searches
    settings.BIOSAMPLES_INDEX_WAIT = 4.0
    # The answer to the boar's POST was lost a moment ago: BioSamples has it, unindexed.
    boar = next(b for b in submission_documents(submission=ready) if b.document["name"] == "boar")
    document = _outgoing(boar.document, {}, None)
    stored = api.post(document, token=token)
    assert stored.status_code == 201, stored.text
    SampleLink.objects.create(
        submission=ready, kind="animal", record_id=boar.pk, name="boar", webin_account=WEBIN,
        environment=environment(), state=LinkState.CREATING, attempted_at=timezone.now(),
        payload=document,
    )  # fmt: skip
    assert (
        not api.get("/samples", token=token, params={"filter": "name:boar"})
        .json()
        .get("_embedded", {})
        .get("samples")
    )  # not findable yet

    started = time.monotonic()
    task = submitted(ready, alice)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert Animal.objects.get(name="boar").accession == stored.json()["accession"]
    found = api.get("/samples", token=token, params={"filter": "name:boar"}).json()
    assert len(found["_embedded"]["samples"]) == 1  # no second boar
    assert time.monotonic() - started >= 3.0  # it waited for the index
