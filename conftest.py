"""Fixtures shared by every app's tests."""

import uuid

import pytest


@pytest.fixture(scope="session", autouse=True)
def embedded_servers():
    """The throwaway data folder's PostgreSQL and Redis, started once for the session.

    The test settings made the folder; they stop the servers and remove it at exit.
    """
    from injecttool import embedded

    embedded.ensure_started()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-1")


@pytest.fixture
def outsider(django_user_model):
    """Should have no access to Alice's stuff."""
    return django_user_model.objects.create_user(
        "mallory", "mallory@example.org", "mallory-password-1"
    )


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache, so rate-limit counts do not leak between tests.

    A key prefix of its own rather than FLUSHDB: the same Redis holds the Celery broker and
    the channel layer, which a flush would wipe from under any process using them.
    """
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    }


pytest_plugins = ["injecttool.testing.stack", "injecttool.testing.browser"]
