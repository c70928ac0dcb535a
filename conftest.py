"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-1")


@pytest.fixture
def outsider(django_user_model):
    """Should have no access to Alice's stuff."""
    return django_user_model.objects.create_user(
        "mallory", "mallory@example.org", "mallory-password-1"
    )


pytest_plugins = ["injecttool.testing.stack", "injecttool.testing.browser"]
