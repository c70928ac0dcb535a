"""The terms of use page, linked from the sign-up form."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_is_public(client):
    response = client.get(reverse("terms"))

    assert response.status_code == 200
    assert b"Terms of use" in response.content
    assert b"BioSamples" in response.content


def test_it_is_linked_from_signup(client):
    assert reverse("terms").encode() in client.get(reverse("account_signup")).content
