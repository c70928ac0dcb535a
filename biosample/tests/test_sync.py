"""Keeping records and their BioSamples copies in step: a comparison says, per record,
as sent, changed there (drift) or missing (lost); hourly by beat, or at once from the page."""

import pytest
from django.test import Client
from django.urls import reverse

from biosample.models import RemoteStatus, SampleLink
from biosample.sync import submissions_sync_due
from injecttool.testing.tasks import run_queued
from uid.models import Animal, TaskKind, TaskState

pytestmark = pytest.mark.django_db


def test_a_comparison_finds_drift_and_lost_records(alice, in_biosamples, api, token):
    boar = Animal.objects.get(name="boar")
    curated = api.get(f"/samples/{boar.accession}", token=token).json()
    curated["characteristics"]["Sex"] = [{"text": "female"}]  # someone curated it there
    assert api.put(boar.accession, curated, token=token).status_code == 200
    SampleLink.objects.filter(record_id=Animal.objects.get(name="sow").pk, kind="animal").update(
        accession="SAMEA999999999"
    )  # not in BioSamples

    browser = Client()
    browser.force_login(alice)
    browser.post(reverse("biosample:submission_sync", args=[in_biosamples.pk]))
    task = run_queued(in_biosamples.pk)

    assert task.kind == TaskKind.SYNC and task.state == TaskState.SUCCEEDED, task.message
    assert task.message == (
        "Compared 4 records with BioSamples: 2 as sent, 1 changed there, 1 missing or not yours."
        # The sow's sample, which its link no longer names:
        " Orphans: 1 sample of Webin-40001 that no InjectTool record links to."
    )
    status = dict(SampleLink.objects.filter(kind="animal").values_list("name", "remote_status"))
    assert status == {"boar": RemoteStatus.DRIFT, "sow": RemoteStatus.LOST,
                      "piglet": RemoteStatus.SAME}  # fmt: skip


def test_beat_queues_a_comparison_where_the_owners_token_serves(alice, in_biosamples):
    assert submissions_sync_due() == 1
    assert run_queued(in_biosamples.pk).kind == TaskKind.SYNC
