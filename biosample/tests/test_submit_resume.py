"""A submit the Webin token's expiry stops part-way: the pages say so and offer to sign
in again; going on sends only what is not in BioSamples yet."""

import pytest
from django.test import Client
from django.urls import reverse

from biosample.models import StoredToken
from biosample.services import submission_submit_start
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, Status, TaskState

pytestmark = pytest.mark.django_db


def test_an_expired_sign_in_pauses_the_submit_and_signing_in_again_goes_on(alice, ready, emulator):
    # Webin stops taking the token at the third record (the first generation is in).
    emulator.faults.script("ok", "ok", 401, method="POST", path="/biosamples/samples")
    submission_submit_start(submission=ready, user=alice, account=WEBIN)
    task = run_queued(ready.pk)

    assert task.state == TaskState.FAILED and task.retryable, task.message
    assert task.message.startswith("The Webin token expired after")
    in_biosamples = set(Animal.objects.exclude(accession=None).values_list("name", flat=True))
    assert in_biosamples == {"boar", "sow"}

    browser = Client()
    browser.force_login(alice)
    detail = browser.get(reverse("uid:submission_detail", args=[ready.pk])).content.decode()
    assert "Sign in to Webin again and go on…" in detail
    StoredToken.objects.all().delete()  # the expired token is forgotten
    url = reverse("biosample:submission_submit", args=[ready.pk])
    page = browser.get(url).content.decode()
    assert 'data-testid="stopped"' in page
    assert "Go on: submit the remaining 2 records" in page

    data = {"webin_username": WEBIN, "webin_password": WEBIN_PASSWORD}
    assert browser.post(url, data).status_code == 302
    task = run_queued(ready.pk)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message.startswith(
        "Sent to BioSamples: 2 new in BioSamples, 0 updated, 2 unchanged"
    )
    assert not Animal.objects.filter(accession=None).exists()
    assert Sample.objects.get(name="straw-1").status == Status.COMPLETED
    posts = [n for (method, path, *_), n in emulator.request_counts().items()
             if method == "POST" and "samples" in path]  # fmt: skip
    assert sum(posts) == 5  # 2 + the refused one + 2: nothing twice
    # Gone on: the pages no longer speak of a stop.
    assert 'data-testid="stopped"' not in browser.get(url).content.decode()
