"""The sign-up page (allauth's view with our extra fields)."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_it_shows_every_field_with_its_label(client, organisation, role):
    page = client.get(reverse("account_signup")).content.decode()
    for label in (
        "Username",
        "Email",
        "Password",
        "Password (again)",
        "First name",
        "Last name",
        "Initials",
        "Affiliation",
        "Role",
        "I accept the terms of use",
    ):
        assert f">{label}</label>" in page, label
    assert "Roslin Institute" in page
    assert "submitter" in page
    assert f'href="{reverse("terms")}"' in page
    assert "/static/bootstrap/css/bootstrap.min.css" in page


def test_it_creates_the_user_with_profile_and_terms(client, signup_data, organisation, role):
    response = client.post(reverse("account_signup"), signup_data)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = EmailAddress.objects.get(email="jane.doe@example.org").user
    assert (user.username, user.first_name, user.last_name) == ("jdoe", "Jane", "Doe")
    profile = user.profile
    assert (profile.initials, profile.affiliation, profile.role) == ("J. A.", organisation, role)
    assert timezone.now() - profile.terms_accepted_at < datetime.timedelta(minutes=1)


def test_it_sends_a_confirmation_mail(client, signup_data):
    client.post(reverse("account_signup"), signup_data)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jane.doe@example.org"]
    assert "/accounts/confirm-email/" in message.body
    assert not EmailAddress.objects.get(email="jane.doe@example.org").verified


def test_it_shows_the_confirmation_sent_page(client, signup_data):
    response = client.post(reverse("account_signup"), signup_data, follow=True)

    assert b"Confirm your e-mail address" in response.content
    assert not response.wsgi_request.user.is_authenticated


def test_it_accepts_no_affiliation_and_no_role(client, signup_data):
    signup_data.update(affiliation="", role="")

    response = client.post(reverse("account_signup"), signup_data)

    assert response.status_code == 302
    profile = EmailAddress.objects.get(email="jane.doe@example.org").user.profile
    assert profile.affiliation is None and profile.role is None


def test_it_refuses_without_the_terms(client, signup_data, django_user_model):
    del signup_data["accept_terms"]

    response = client.post(reverse("account_signup"), signup_data)

    assert response.status_code == 200
    assert b"You can only sign up if you accept the terms of use." in response.content
    assert b"invalid-feedback" in response.content
    assert not django_user_model.objects.filter(username="jdoe").exists()
    assert mail.outbox == []


def test_it_shows_the_error_of_a_mistyped_password(client, signup_data, django_user_model):
    signup_data["password2"] = "something-else-entirely"

    response = client.post(reverse("account_signup"), signup_data)

    assert response.status_code == 200
    assert b"You must type the same password each time." in response.content
    assert not django_user_model.objects.filter(username="jdoe").exists()
