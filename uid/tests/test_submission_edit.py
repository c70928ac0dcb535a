"""The owner changes what describes a submission; its data source type stays its file's."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tokens import token_create
from uid.models import Country, Submission
from uid.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(alice):
    return SubmissionFactory(owner=alice, title="Sheep 2023", datasource_type="cryoweb")


def test_the_owner_edits_the_details_on_the_page(client, alice, submission):
    italy = Country.objects.create(label="Italy", term="NCIT_C16761")
    client.force_login(alice)
    url = reverse("uid:submission_edit", args=[submission.pk])
    assert 'value="Sheep 2023"' in client.get(url).content.decode()

    response = client.post(url, {
        "title": "Sheep 2024", "description": "spring straws", "gene_bank_name": "CryoBank",
        "gene_bank_country": italy.pk, "release_date": "2027-01-31",
    }, follow=True)  # fmt: skip

    assert "The submission&#x27;s details are saved." in response.content.decode()
    submission.refresh_from_db()
    assert (submission.title, submission.gene_bank_country, submission.release_date) == (
        "Sheep 2024", italy, datetime.date(2027, 1, 31),
    )  # fmt: skip
    assert submission.datasource_type == "cryoweb"


def test_an_outsider_gets_404(client, outsider, submission):
    client.force_login(outsider)
    url = reverse("uid:submission_edit", args=[submission.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "mine now"}).status_code == 404
    submission.refresh_from_db()
    assert submission.title == "Sheep 2023"


def test_the_api_patches_the_details_and_refuses_the_data_source_type(alice, outsider, submission):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=alice)[1]}")
    url = f"/api/v1/submissions/{submission.pk}/"

    answer = api.patch(url, {"title": "Sheep 2024", "release_date": "2027-01-31"}, format="json")

    assert answer.status_code == 200, answer.content
    assert (answer.json()["title"], answer.json()["release_date"]) == ("Sheep 2024", "2027-01-31")
    refused = api.patch(url, {"datasource_type": "template"}, format="json")
    assert refused.status_code == 400 and "datasource_type" in refused.json()
    assert Submission.objects.get(pk=submission.pk).datasource_type == "cryoweb"

    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=outsider)[1]}")
    assert api.patch(url, {"title": "mine now"}, format="json").status_code == 404
