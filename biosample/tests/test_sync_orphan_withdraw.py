"""Withdrawing an orphan from the BioSamples page: the sample becomes private in
BioSamples (release in 2100, as a record's withdrawal does); it stays an orphan, marked
withdrawn."""

import pytest
from django.test import Client
from django.urls import reverse

from biosample.models import Orphan
from biosample.services import WITHDRAWN_RELEASE
from injecttool.testing.tasks import run_queued
from uid.models import TaskState

pytestmark = pytest.mark.django_db


def test_a_withdrawn_orphan_is_private_in_biosamples_and_marked_withdrawn(
    alice, orphaned, api, token
):
    target, accessions = orphaned
    sow = Orphan.objects.get(owner=alice, name="sow")
    before = api.get(f"/samples/{sow.accession}", token=token).json()
    browser = Client()
    browser.force_login(alice)

    response = browser.post(
        reverse("biosample:orphans_withdraw", args=[target.pk]), {"orphans": [sow.pk]}
    )

    assert response.url == reverse("biosample:submission_sync", args=[target.pk])
    task = run_queued(target.pk)
    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message == (
        "Withdrew 1 sample of Webin-40001 from BioSamples: private there from now on."
    )
    assert api.get(f"/samples/{sow.accession}").status_code == 403  # private: owner only
    after = api.get(f"/samples/{sow.accession}", token=token).json()
    assert after["release"] == WITHDRAWN_RELEASE and after["status"] == "PRIVATE"
    assert after["characteristics"] == before["characteristics"]  # nothing else changed
    assert after["relationships"] == before["relationships"]
    sow.refresh_from_db()
    assert sow.withdrawn
    page = browser.get(response.url).content.decode()
    assert "withdrawn (private)" in page
    assert f'id="withdraw-{sow.pk}"' not in page  # not offered twice
    assert "Withdrew 1 sample of Webin-40001" in page
