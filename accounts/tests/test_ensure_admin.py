"""`manage.py ensure_admin`, which `make run` calls: an admin account when there is none."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def ensure_admin() -> str:
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    return out.getvalue()


def logs_in_to_admin(client, username: str, password: str) -> bool:
    client.post(reverse("account_login"), {"login": username, "password": password})
    return client.get(reverse("admin:index")).status_code == 200


def test_it_makes_admin_with_a_random_password_printed_once(client, monkeypatch):
    for name in ("USERNAME", "PASSWORD", "EMAIL"):
        monkeypatch.delenv(f"DJANGO_SUPERUSER_{name}", raising=False)

    printed = ensure_admin()

    found = re.search(r"Created admin account 'admin' with password: (\S+)", printed)
    assert found and len(found.group(1)) >= 16
    assert "printed this once only" in printed
    assert logs_in_to_admin(client, "admin", found.group(1))
    again = ensure_admin()
    assert again.strip() == "An admin account exists already."
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_it_takes_the_account_from_the_environment_and_never_prints_the_password(
    client, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "curator-in-chief")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Chosen-by-the-operator-1")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "chief@genebank.example.org")

    printed = ensure_admin()

    assert "Created admin account 'curator-in-chief'" in printed
    assert "Chosen-by-the-operator-1" not in printed
    admin = get_user_model().objects.get(username="curator-in-chief")
    assert admin.is_superuser and admin.is_staff and admin.email == "chief@genebank.example.org"
    assert logs_in_to_admin(client, "chief@genebank.example.org", "Chosen-by-the-operator-1")


def test_it_leaves_an_existing_superuser_alone(monkeypatch):
    get_user_model().objects.create_superuser("root", "root@example.org", "Existing-pass-1")
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "another")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Another-pass-1")

    assert ensure_admin().strip() == "An admin account exists already."
    assert not get_user_model().objects.filter(username="another").exists()
