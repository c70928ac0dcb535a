"""POST /api/v1/auth/token/: a token for a confirmed user, by user name or e-mail."""

import uuid

import pytest
from allauth.account.models import EmailAddress
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from uid.api import TokenThrottle

URL = "/api/v1/auth/token/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def confirmed_alice(alice):
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=True)
    return alice


def test_it_gives_a_token_for_the_user_name(api, confirmed_alice):
    response = api.post(URL, {"username": "alice", "password": "alice-password-1"}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] == confirmed_alice.auth_token.key


def test_it_accepts_the_email_address_as_user_name(api, confirmed_alice):
    response = api.post(
        URL, {"username": "alice@example.org", "password": "alice-password-1"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == confirmed_alice.auth_token.key


def test_it_gives_the_same_token_twice(api, confirmed_alice):
    data = {"username": "alice", "password": "alice-password-1"}
    first = api.post(URL, data, format="json").json()["token"]
    assert api.post(URL, data, format="json").json()["token"] == first


def test_it_refuses_a_wrong_password(api, confirmed_alice):
    response = api.post(URL, {"username": "alice", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]


def test_it_refuses_a_user_whose_email_is_not_confirmed(api, alice):
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=False)
    response = api.post(URL, {"username": "alice", "password": "alice-password-1"}, format="json")
    assert response.status_code == 400
    assert "not confirmed" in response.json()["non_field_errors"][0]
    assert not Token.objects.filter(user=alice).exists()


def test_it_refuses_an_inactive_user(api, confirmed_alice):
    confirmed_alice.is_active = False
    confirmed_alice.save()
    response = api.post(URL, {"username": "alice", "password": "alice-password-1"}, format="json")
    assert response.status_code == 400


def test_the_token_authenticates_api_requests(api, confirmed_alice):
    token = api.post(URL, {"username": "alice", "password": "alice-password-1"}).json()["token"]
    assert api.get("/api/v1/submissions/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/submissions/").status_code == 200


def test_it_slows_down_password_guessing(api, confirmed_alice, monkeypatch):
    monkeypatch.setattr(TokenThrottle, "rate", "3/minute")
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"  # a client no other test uses
    codes = [
        api.post(
            URL,
            {"username": "alice", "password": f"guess-{n}"},
            format="json",
            REMOTE_ADDR=address,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",  # a made-up header changes nothing
        ).status_code
        for n in range(4)
    ]
    assert codes == [400, 400, 400, 429]
