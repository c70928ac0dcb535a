"""Admin log-in goes through the site's rate-limited log-in: no unthrottled password guessing."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.attack]


@pytest.fixture
def staff(confirmed, django_user_model):
    user = django_user_model.objects.get(username="jdoe")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def admin_login(client, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": "jdoe", "password": password, "next": "/admin/"},
        follow=True,
    )


def site_login(client, password: str, next_url: str = "/admin/"):
    return client.post(
        reverse("account_login") + f"?next={next_url}", {"login": "jdoe", "password": password}
    )


def test_it_sends_the_admin_login_to_the_site_login(client, staff):
    response = client.get(reverse("admin:login") + "?next=/admin/uid/breed/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2Fuid%2Fbreed%2F" in response["Location"]


def test_it_takes_no_password_at_the_admin_login(client, staff):
    # The admin's own form knew no limit: 40 wrong passwords, then the right one worked.
    for _ in range(40):
        admin_login(client, "wrong-password")

    admin_login(client, PASSWORD)

    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,5/5m/key"})
def test_it_locks_staff_out_after_too_many_wrong_passwords(client, staff):
    for _ in range(5):
        assert b"not correct" in site_login(client, "wrong-password").content

    response = site_login(client, PASSWORD)

    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_it_lets_staff_into_admin_after_the_site_login(client, staff):
    response = site_login(client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
