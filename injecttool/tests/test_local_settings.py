"""`make run`'s settings are safe by default: DEBUG off, a kept random key, deploy checks pass."""

import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from injecttool.tests.test_deploy import _manage

pytestmark = pytest.mark.attack

# What `check --deploy` may still say of a machine without TLS in front of it.
HTTPS_ONLY = {"security.W004", "security.W008", "security.W012", "security.W016"}


def _local_env(tmp_path, **extra) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "injecttool.settings.local",
        "INJECTTOOL_DATA": str(tmp_path),
        # Servers named, so the check starts no embedded ones; it connects to neither.
        "DATABASE_URL": "postgres://injecttool:secret@db.invalid:5432/injecttool",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        **extra,
    }


def _setting(tmp_path, expression: str, **extra) -> str:
    result = _manage(
        "shell", "-c", f"from django.conf import settings; print({expression})",
        env=_local_env(tmp_path, **extra),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_it_passes_the_deployment_checks_apart_from_https(tmp_path):
    result = _manage("check", "--deploy", env=_local_env(tmp_path))

    assert result.returncode == 0, result.stderr
    found = set(re.findall(r"\((security\.\w+)\)", result.stdout + result.stderr))
    assert found <= HTTPS_ONLY, result.stdout + result.stderr


def test_it_serves_without_debug_unless_asked(tmp_path):
    assert _setting(tmp_path, "settings.DEBUG") == "False"
    assert _setting(tmp_path, "settings.DEBUG", DJANGO_DEBUG="1") == "True"

    result = _manage("check", env=_local_env(tmp_path, DJANGO_DEBUG="yes please"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 0 or 1" in result.stderr


def test_it_keeps_one_random_secret_key_in_the_data_folder(tmp_path):
    first = _setting(tmp_path, "settings.SECRET_KEY")
    second = _setting(tmp_path, "settings.SECRET_KEY")

    assert first == second and len(first) >= 50 and "insecure" not in first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert _setting(tmp_path, "settings.SECRET_KEY", SECRET_KEY="x" * 60) == "x" * 60


def test_it_shows_a_plain_page_when_something_breaks():
    response = server_error(RequestFactory().get("/anything/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    for leak in ("Traceback", "DATABASES", "postgres", "redis", "SECRET"):
        assert leak not in page


@pytest.mark.django_db
def test_it_shows_a_plain_404_and_a_content_security_policy(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "URLconf" not in response.content.decode()
    policy = client.get("/").headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
        assert directive in policy
