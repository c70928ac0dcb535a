"""Every allauth page is drawn inside the site's layout with Bootstrap."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    ("account_login", "Log in"),
    ("account_signup", "Create your curator account"),
    ("account_email_verification_sent", "Confirm your e-mail address"),
    ("account_reset_password", "Password Reset"),
    ("account_reset_password_done", "Password Reset"),
    ("account_reset_password_from_key_done", "Change Password"),
]
USER_PAGES = [
    ("account_logout", "Log out"),
    ("account_change_password", "Change Password"),
    ("account_email", "Email Addresses"),
]


def assert_site_layout(page: str) -> None:
    assert "/static/bootstrap/css/bootstrap.min.css" in page
    assert 'class="navbar' in page
    assert "<footer" in page


def heading_of(page: str) -> str:
    match = re.search(r'<h1 class="h3 mb-3">(.*?)</h1>', page, re.S)
    assert match, page
    return match.group(1).strip()


@pytest.mark.parametrize(("name", "heading"), ANONYMOUS_PAGES)
def test_it_draws_entrance_pages_in_a_card(client, name, heading):
    response = client.get(reverse(name))

    assert response.status_code == 200
    page = response.content.decode()
    assert_site_layout(page)
    assert 'data-testid="entrance-card"' in page
    assert heading_of(page) == heading


@pytest.mark.parametrize(("name", "heading"), USER_PAGES)
def test_it_draws_account_pages_in_the_site_layout(client, alice, name, heading):
    client.force_login(alice)

    response = client.get(reverse(name))

    assert response.status_code == 200
    page = response.content.decode()
    assert_site_layout(page)
    assert heading_of(page) == heading


def test_it_shows_the_account_menu_on_settings_pages(client, alice):
    client.force_login(alice)

    page = client.get(reverse("account_change_password")).content.decode()

    assert 'data-testid="account-menu"' in page
    assert f'href="{reverse("profile")}"' in page


def test_it_explains_a_bad_confirmation_link(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))

    assert response.status_code == 200
    assert b"This confirmation link has expired or is not valid." in response.content
    assert b"alert alert-danger" in response.content


def test_it_lists_email_addresses_with_badges(client, confirmed):
    client.force_login(confirmed)

    page = client.get(reverse("account_email")).content.decode()

    assert "jane.doe@example.org" in page
    assert 'class="form-check-input' in page
    assert "text-bg-success" in page  # verified
