"""Logging in (by username or e-mail, confirmed addresses only) and out."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.tests.conftest import PASSWORD, confirmation_url

pytestmark = pytest.mark.django_db


def login(client, login: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_it_shows_labels_and_the_reset_link(client):
    page = client.get(reverse("account_login")).content.decode()

    assert ">Username or e-mail</label>" in page
    assert ">Password</label>" in page
    assert f'href="{reverse("account_reset_password")}"' in page


def test_it_keeps_an_unconfirmed_user_out(client, signed_up):
    response = login(client, "jdoe")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))


def test_it_logs_in_by_username_once_confirmed(client, confirmed):
    response = login(client, "jdoe")

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(confirmed.pk)


def test_it_logs_in_by_email_once_confirmed(client, confirmed):
    response = login(client, "Jane.Doe@example.org")

    assert response["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(confirmed.pk)


def test_it_shows_an_error_for_a_wrong_password(client, confirmed):
    response = login(client, "jdoe", "not-the-password")

    assert response.status_code == 200
    assert b'data-testid="form-errors"' in response.content
    assert b"The username and/or password you specified are not correct." in response.content
    assert "_auth_user_id" not in client.session


def test_it_confirms_with_the_link_from_the_mail(client, signed_up):
    url = confirmation_url(signed_up)
    page = client.get(url)
    assert b"jane.doe@example.org" in page.content
    assert not EmailAddress.objects.get(email="jane.doe@example.org").verified

    response = client.post(url)

    assert response["Location"] == reverse("account_login")
    assert EmailAddress.objects.get(email="jane.doe@example.org").verified


def test_it_logs_out(client, confirmed):
    login(client, "jdoe")

    response = client.post(reverse("account_logout"))

    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    assert b"Your genebank records in BioSamples" in client.get(reverse("home")).content
