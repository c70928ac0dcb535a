"""Fixtures of the accounts tests: dictionary rows, a fresh cache, sign-up and confirmation."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from uid.models import Organisation, Role

PASSWORD = "Genebank-curator-2024"


@pytest.fixture
def organisation(db) -> Organisation:
    return Organisation.objects.create(name="Roslin Institute", address="Easter Bush, UK")


@pytest.fixture
def role(db) -> Role:
    return Role.objects.create(label="submitter", term="EFO_0001741")


@pytest.fixture
def signup_data(organisation, role) -> dict:
    """A complete sign-up form, every field filled."""
    return {
        "username": "jdoe",
        "email": "jane.doe@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Jane",
        "last_name": "Doe",
        "initials": "J. A.",
        "affiliation": organisation.pk,
        "role": role.pk,
        "accept_terms": "on",
    }


def confirmation_url(message) -> str:
    """The path of the confirmation link in an e-mail."""
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def signed_up(client, signup_data):
    """Jane has signed up and not confirmed her address yet: returns the confirmation mail."""
    response = client.post(reverse("account_signup"), signup_data)
    assert response.status_code == 302, response.content.decode()
    assert len(mail.outbox) == 1
    return mail.outbox[0]


@pytest.fixture
def confirmed(client, signed_up, django_user_model):
    """Jane has signed up and confirmed her address; she is not logged in."""
    response = client.post(confirmation_url(signed_up))
    assert response.status_code == 302
    client.logout()
    return django_user_model.objects.get(username="jdoe")
