"""The submit page: what a submit would do, signing in to Webin once (the password is not
kept), one click; the submission's page offers it once the records are validated."""

import pytest
from django.urls import reverse

from biosample.models import StoredToken
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Status, TaskKind, TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """A browser's client (this folder's ``client`` is a BioSamples one)."""
    from django.test import Client

    return Client()


def url(submission) -> str:
    return reverse("biosample:submission_submit", args=[submission.pk])


def test_the_submission_page_offers_it_once_validated(client, alice, ready):
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[ready.pk])).content.decode()
    assert 'data-testid="action-submit"' in page and url(ready) in page


def test_it_shows_what_would_go_out(client, alice, ready):
    client.force_login(alice)
    page = client.get(url(ready)).content.decode()
    plan = page.split('data-testid="plan"')[1].split("</div>")[0]
    assert "4 records get an accession" in plan and "0 not sent again" in plan
    assert "Submit 4 records to BioSamples" in page
    assert (
        "&quot;Data source ID&quot;: [\n      {\n        &quot;text&quot;: &quot;boar&quot;" in page
    )


def test_it_signs_in_once_and_submits(client, alice, ready):
    client.force_login(alice)
    data = {"webin_username": WEBIN, "webin_password": WEBIN_PASSWORD, "release_date": ""}
    response = client.post(url(ready), data, follow=True)
    assert "The submission to BioSamples has started" in response.content.decode()
    stored = StoredToken.objects.get(user=alice, webin_account=WEBIN)
    assert WEBIN_PASSWORD.encode() not in bytes(stored.encrypted)

    task = run_queued(ready.pk)

    assert task.kind == TaskKind.SUBMIT and task.state == TaskState.SUCCEEDED, task.message
    assert not Animal.objects.filter(accession__isnull=True).exists()
    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED
    page = client.get(url(ready)).content.decode()
    assert 'data-testid="nothing-to-send"' in page


def test_a_wrong_password_is_said_on_its_field(client, alice, ready):
    StoredToken.objects.all().delete()  # not signed in yet
    client.force_login(alice)
    data = {"webin_username": WEBIN, "webin_password": "not it"}
    page = client.post(url(ready), data).content.decode()
    assert f"Webin refused the username or password of {WEBIN}" in page
    assert not StoredToken.objects.exists()


def test_a_kept_token_spares_the_password(client, alice, ready):
    from biosample.tokens import token_obtain

    token_obtain(user=alice, username=WEBIN, password=WEBIN_PASSWORD)
    alice.profile.webin_username = WEBIN
    alice.profile.save()
    client.force_login(alice)
    page = client.get(url(ready)).content.decode()
    assert 'data-testid="token-until"' in page
    response = client.post(url(ready), {"webin_username": WEBIN}, follow=True)
    assert "The submission to BioSamples has started" in response.content.decode()


def test_an_outsider_gets_404(client, outsider, ready):
    client.force_login(outsider)
    assert client.get(url(ready)).status_code == 404
    assert client.post(url(ready), {"webin_username": WEBIN}).status_code == 404
