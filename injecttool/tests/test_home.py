"""The home page: what InjectTool does, for visitors; the dashboard for users."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_welcomes_anonymous_visitors(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your genebank records in BioSamples" in page
    assert f'href="{reverse("account_signup")}"' in page
    assert f'href="{reverse("account_login")}"' in page
    assert "/static/bootstrap/css/bootstrap.min.css" in page
    assert "cdn" not in page.lower()


def test_it_sends_users_to_their_dashboard(client, alice):
    client.force_login(alice)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
