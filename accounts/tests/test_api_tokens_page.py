"""The profile lists the curator's API tokens; each can be revoked there, by its owner only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import token_create

pytestmark = [pytest.mark.django_db, pytest.mark.attack]


def _works(key: str) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/submissions/").status_code == 200


def test_the_profile_lists_tokens_and_revokes_one(client, alice):
    laptop, laptop_key = token_create(user=alice, name="CLI on laptop")
    _, server_key = token_create(user=alice, name="nightly export")
    client.force_login(alice)

    page = client.get(reverse("profile")).content.decode()
    assert "CLI on laptop" in page and "nightly export" in page
    assert f"{laptop.prefix}…" in page and laptop_key not in page  # never the key itself

    response = client.post(reverse("api_token_revoke", args=[laptop.pk]), follow=True)

    assert "The token is revoked" in response.content.decode()
    assert not _works(laptop_key) and _works(server_key)
    assert "CLI on laptop" not in client.get(reverse("profile")).content.decode()


def test_an_outsider_cannot_revoke_someone_elses_token(client, alice, outsider):
    token, key = token_create(user=alice)
    client.force_login(outsider)

    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists() and _works(key)


def test_a_new_password_empties_the_list(client, alice):
    token_create(user=alice, name="CLI on laptop")
    alice.set_password("another-password-5")
    alice.save()
    client.force_login(alice)

    page = client.get(reverse("profile")).content.decode()

    assert "CLI on laptop" not in page and 'data-testid="api-tokens-none"' in page
