"""allauth's rate limits (ACCOUNT_RATE_LIMITS) on log-in and sign-up, counted in Redis."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, password: str):
    return client.post(reverse("account_login"), {"login": "jdoe", "password": password})


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip,3/5m/key"})
def test_it_stops_failed_logins_after_too_many(client, confirmed):
    for _ in range(3):
        response = login(client, "wrong-password")
        assert b"not correct" in response.content

    response = login(client, "wrong-password")
    assert b"Too many failed login attempts. Try again later." in response.content

    # Even the right password is refused until the limit expires.
    response = login(client, PASSWORD)
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip,3/5m/key"})
def test_it_does_not_count_logins_that_succeed(client, confirmed):
    for _ in range(4):
        response = login(client, PASSWORD)
        assert response.status_code == 302
        client.logout()


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_it_answers_too_many_requests_to_the_login_page(client, confirmed):
    login(client, "wrong-password")
    login(client, "wrong-password")

    response = login(client, PASSWORD)

    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert b"/static/bootstrap/css/bootstrap.min.css" in response.content


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"})
def test_it_limits_signups(client, signup_data, django_user_model):
    assert client.post(reverse("account_signup"), signup_data).status_code == 302

    signup_data.update(username="jdoe2", email="other@example.org")
    response = client.post(reverse("account_signup"), signup_data)

    assert response.status_code == 429
    assert not django_user_model.objects.filter(username="jdoe2").exists()


def test_it_starts_each_test_with_no_attempts_counted(client, confirmed, settings):
    """Rate-limit counts live in the cache; each test gets an empty one (see conftest)."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1/m/ip"}

    assert b"not correct" in login(client, "wrong-password").content
