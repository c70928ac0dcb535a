"""The instance-wide Webin broker account an admin enables: a curator without a Webin
account of their own submits under it with a tick, the server signs in with the
configured password (never shown, never logged), and records are linked to it."""

import logging

import pytest
from django.urls import reverse
from django.utils.html import escape

from biosample.forms import BROKER_REFUSED
from biosample.models import SampleLink, StoredToken
from biosample.tests.conftest import OTHER_PASSWORD, OTHER_WEBIN
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Status, TaskKind, TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    from django.test import Client

    return Client()


@pytest.fixture
def broker(settings):
    settings.WEBIN_BROKER_USERNAME = OTHER_WEBIN
    settings.WEBIN_BROKER_PASSWORD = OTHER_PASSWORD
    return OTHER_WEBIN


def url(submission) -> str:
    return reverse("biosample:submission_submit", args=[submission.pk])


def test_without_a_broker_account_the_page_does_not_offer_one(client, alice, ready):
    client.force_login(alice)
    assert 'data-testid="use-broker"' not in client.get(url(ready)).content.decode()


def test_a_curator_submits_under_the_broker_account(client, alice, ready, broker, caplog):
    StoredToken.objects.all().delete()  # Alice has no Webin sign-in of her own
    client.force_login(alice)
    page = client.get(url(ready)).content.decode()
    assert f"shared Webin account ({OTHER_WEBIN})" in page
    assert OTHER_PASSWORD not in page

    caplog.set_level(logging.DEBUG)
    response = client.post(url(ready), {"use_broker": "on", "release_date": ""}, follow=True)
    assert "The submission to BioSamples has started" in response.content.decode()
    task = run_queued(ready.pk)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert not Animal.objects.filter(accession__isnull=True).exists()
    assert set(SampleLink.objects.values_list("webin_account", flat=True)) == {OTHER_WEBIN}
    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
    assert OTHER_PASSWORD not in caplog.text
    stored = StoredToken.objects.get(user=alice, webin_account=OTHER_WEBIN)
    assert OTHER_PASSWORD.encode() not in bytes(stored.encrypted)


def test_a_refused_broker_password_is_said_and_logged_without_it(
    client, alice, ready, broker, settings, caplog
):
    settings.WEBIN_BROKER_PASSWORD = "a-wrong-broker-password"
    StoredToken.objects.all().delete()
    client.force_login(alice)
    caplog.set_level(logging.DEBUG)

    page = client.post(url(ready), {"use_broker": "on"}).content.decode()

    assert escape(BROKER_REFUSED) in page
    assert "a-wrong-broker-password" not in caplog.text
    assert f"Webin refused a token for the broker account {OTHER_WEBIN}" in caplog.text
    assert not ready.tasks.filter(kind=TaskKind.SUBMIT).exists()


def test_the_api_submits_under_the_broker_account(alice, ready, broker):
    from uid.tests.test_api_submissions import client_for

    StoredToken.objects.all().delete()
    api = client_for(alice)
    url = reverse("api:submission-submit", args=[ready.pk])

    answer = api.post(url, {"use_broker": True}, format="json")

    assert answer.status_code == 202, answer.content
    task = run_queued(ready.pk)
    assert task.state == TaskState.SUCCEEDED, task.message
    assert set(SampleLink.objects.values_list("webin_account", flat=True)) == {OTHER_WEBIN}


def test_the_api_says_when_no_broker_account_is_enabled(alice, ready):
    from uid.tests.test_api_submissions import client_for

    url = reverse("api:submission-submit", args=[ready.pk])
    answer = client_for(alice).post(url, {"use_broker": True}, format="json")

    assert answer.status_code == 400
    assert answer.json()["use_broker"] == ["No Webin broker account is enabled on this instance."]


def test_orphans_of_the_broker_account_are_for_admins_only(alice, ready, broker, api, emulator):
    from biosample.models import Orphan
    from biosample.sync import pull_start, submission_sync_start
    from biosample.tests.documents import sample_document
    from uid.services.tasks import SubmissionStateError

    # A sample of the shared account that no record links to: another genebank's, say.
    stray = api.post(sample_document("someone-elses"), token=emulator.token_issue(broker))
    assert stray.status_code == 201, stray.text
    submission_sync_start(submission=ready, user=alice, account=broker)
    task = run_queued(ready.pk)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert "Orphans" not in task.message and not Orphan.objects.exists()
    with pytest.raises(SubmissionStateError, match="pulled by an administrator"):
        pull_start(submission=ready, user=alice, account=broker,
                   accessions=[stray.json()["accession"]])  # fmt: skip

    alice.is_staff = True
    alice.save()
    submission_sync_start(submission=ready, user=alice, account=broker)
    task = run_queued(ready.pk)
    assert "Orphans: 1 sample of Webin-40002" in task.message
    assert Orphan.objects.get().accession == stray.json()["accession"]
