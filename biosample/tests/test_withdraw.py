"""Withdrawing records from BioSamples: a delete of records in BioSamples offers it; each
sample becomes private there, the record stays here, marked withdrawn."""

import pytest
from django.test import Client
from django.urls import reverse

from biosample.models import LinkState, SampleLink
from biosample.services import WITHDRAWN_RELEASE
from injecttool.testing.tasks import run_queued
from uid.models import Sample, TaskState

pytestmark = pytest.mark.django_db


def test_deleting_records_in_biosamples_offers_their_withdrawal(alice, in_biosamples, api):
    browser = Client()
    browser.force_login(alice)
    straw = Sample.objects.get(name="straw-1")
    url = reverse("uid:submission_samples_batch", args=[in_biosamples.pk])
    page = browser.post(url, {"action": "delete", "ids": [straw.pk]}).content.decode()
    assert (
        'data-testid="withdraw-offer"' in page
        and "Nothing of what you chose can be deleted" in page
    )

    withdraw = reverse("biosample:submission_withdraw", args=[in_biosamples.pk])
    response = browser.post(withdraw, {"kind": "samples", "ids": [straw.pk]}, follow=True)
    assert "The withdrawal from BioSamples has started" in response.content.decode()
    task = run_queued(in_biosamples.pk)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message.startswith("Withdrew 1 record from BioSamples")
    link = SampleLink.objects.get(kind="sample", record_id=straw.pk)
    assert link.state == LinkState.WITHDRAWN and link.payload["release"] == WITHDRAWN_RELEASE
    assert Sample.objects.filter(pk=straw.pk).exists()
    # Private now: nobody but its Webin account sees it.
    assert api.get(f"/samples/{straw.accession}").status_code in (403, 404)
    record = reverse("uid:submission_sample", args=[in_biosamples.pk, straw.pk])
    assert 'data-testid="withdrawn"' in browser.get(record).content.decode()


def test_a_record_in_biosamples_cannot_be_deleted_even_by_the_database(in_biosamples):
    from django.db import IntegrityError, transaction

    straw = Sample.objects.get(name="straw-1")
    with (
        pytest.raises(IntegrityError, match="it is withdrawn, never deleted"),
        transaction.atomic(),
    ):
        Sample.objects.filter(pk=straw.pk).delete()
    assert Sample.objects.filter(pk=straw.pk).exists()


def test_an_outsider_gets_404(outsider, in_biosamples):
    browser = Client()
    browser.force_login(outsider)
    straw = Sample.objects.get(name="straw-1")
    withdraw = reverse("biosample:submission_withdraw", args=[in_biosamples.pk])
    assert browser.post(withdraw, {"kind": "samples", "ids": [straw.pk]}).status_code == 404
