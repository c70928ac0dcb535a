"""/api/v1/auth/token/: tokens for confirmed users that expire, and end on revocation or a
new password; the token endpoint shares the web log-in's per-account lockout."""

import uuid
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from uid.api import TokenThrottle

pytestmark = pytest.mark.attack

URL = "/api/v1/auth/token/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def confirmed_alice(alice):
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=True)
    return alice


def _token(api, login="alice", **extra) -> str:
    data = {"username": login, "password": "alice-password-1", **extra}
    response = api.post(URL, data, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _works(token: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/submissions/")


def test_it_gives_a_token_for_the_user_name_with_its_expiry(api, confirmed_alice):
    response = api.post(URL, {"username": "alice", "password": "alice-password-1"}, format="json")
    assert response.status_code == 200
    expires = timezone.datetime.fromisoformat(response.json()["expires_at"])
    assert timedelta(days=29) < expires - timezone.now() <= timedelta(days=30)
    assert _works(response.json()["token"]).status_code == 200
    # Only a hash is kept: the key itself is nowhere in the database.
    assert not ApiToken.objects.filter(key_hash=response.json()["token"]).exists()


def test_it_accepts_the_email_address_as_user_name(api, confirmed_alice):
    assert _works(_token(api, "alice@example.org")).status_code == 200


def test_it_gives_a_token_per_log_in(api, confirmed_alice):
    first, second = _token(api, name="laptop"), _token(api, name="server")
    assert first != second
    assert _works(first).status_code == _works(second).status_code == 200


def test_it_refuses_a_wrong_password(api, confirmed_alice):
    response = api.post(URL, {"username": "alice", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]


def test_it_refuses_a_user_whose_email_is_not_confirmed(api, alice):
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=False)
    response = api.post(URL, {"username": "alice", "password": "alice-password-1"}, format="json")
    assert response.status_code == 400
    assert "not confirmed" in response.json()["non_field_errors"][0]
    assert not ApiToken.objects.filter(user=alice).exists()


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


# --- expiry, revocation, password change, lockout -----------------------------------------


@override_settings(API_TOKEN_LIFETIME_DAYS=1)
def test_a_token_expires_after_its_lifetime(api, confirmed_alice):
    token = _token(api)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = _works(token)

    assert response.status_code == 401
    assert "Your token has expired" in response.json()["detail"]
    assert "injecttool login" in response.json()["detail"]


def test_delete_revokes_the_token_it_is_sent_with(api, confirmed_alice):
    token, other = _token(api), _token(api)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.delete(URL).status_code == 204

    assert _works(token).status_code == 401
    assert _works(other).status_code == 200  # the user's other tokens go on
    assert APIClient().delete(URL).status_code == 401


def test_a_password_change_revokes_every_token(api, confirmed_alice):
    token = _token(api)
    confirmed_alice.set_password("a-new-password-77")
    confirmed_alice.save()

    response = _works(token)

    assert response.status_code == 401
    assert "revoked by a change of password" in response.json()["detail"]


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "100/m/ip,5/5m/key"})
def test_failed_web_log_ins_lock_the_token_endpoint_too(client, api, confirmed_alice):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "alice", "password": "wrong"})

    response = api.post(URL, {"username": "alice", "password": "alice-password-1"}, format="json")

    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.json()["detail"]


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "100/m/ip,5/5m/key"})
def test_failed_token_requests_lock_the_web_log_in_too(client, api, confirmed_alice):
    for n in range(5):
        api.post(URL, {"username": "alice", "password": f"wrong-{n}"}, format="json")

    page = client.post(reverse("account_login"), {"login": "alice", "password": "alice-password-1"})

    assert b"Too many failed login attempts" in page.content
    assert "_auth_user_id" not in client.session
