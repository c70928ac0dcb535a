"""Changing a password (logged in) and resetting a forgotten one (by e-mail)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-long-passphrase-7"


def can_login(client, password: str) -> bool:
    client.logout()
    client.post(reverse("account_login"), {"login": "jdoe", "password": password})
    return "_auth_user_id" in client.session


def test_it_changes_the_password(client, confirmed):
    client.force_login(confirmed)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert can_login(client, NEW_PASSWORD)
    assert not can_login(client, PASSWORD)


def test_it_shows_the_error_of_a_wrong_old_password(client, confirmed):
    client.force_login(confirmed)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert b"Please type your current password." in response.content
    assert b"is-invalid" in response.content


def test_it_resets_a_forgotten_password(client, confirmed):
    mail.outbox.clear()

    response = client.post(reverse("account_reset_password"), {"email": "jane.doe@example.org"})

    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    # allauth moves the key from the URL into the session and redirects to a key-less form.
    form_url = client.get(link.group(1))["Location"]
    page = client.get(form_url)
    assert b">Password</label>" in page.content or b"New Password" in page.content

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert can_login(client, NEW_PASSWORD)
