"""The profile page: names, initials, affiliation and role; e-mail and terms shown."""

import pytest
from django.urls import reverse

from accounts import services
from uid.models import Organisation, Role

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_shows_email_terms_and_account_links(client, confirmed):
    client.force_login(confirmed)

    page = client.get(reverse("profile")).content.decode()

    assert "jane.doe@example.org" in page
    accepted = confirmed.profile.terms_accepted_at
    assert f"accepted on {accepted:%-d %B %Y, %H:%M} UTC" in page
    assert f'href="{reverse("account_change_password")}"' in page
    assert f'href="{reverse("account_email")}"' in page
    assert 'value="Jane"' in page and 'value="J. A."' in page


def test_it_says_when_terms_were_never_accepted(client, alice):
    client.force_login(alice)

    assert b"not accepted" in client.get(reverse("profile")).content


def test_it_saves_the_profile(client, alice, organisation, role):
    client.force_login(alice)
    other_role = Role.objects.create(label="curator", term="EFO_0000001")

    response = client.post(
        reverse("profile"),
        {
            "first_name": "Alice",
            "last_name": "Liddell",
            "initials": "A. P.",
            "affiliation": organisation.pk,
            "role": other_role.pk,
        },
        follow=True,
    )

    assert b"Your profile was saved." in response.content
    alice.refresh_from_db()
    assert (alice.first_name, alice.last_name) == ("Alice", "Liddell")
    profile = alice.profile
    assert (profile.initials, profile.affiliation, profile.role) == (
        "A. P.",
        organisation,
        other_role,
    )


def test_it_keeps_when_the_terms_were_accepted(client, confirmed):
    accepted = confirmed.profile.terms_accepted_at
    client.force_login(confirmed)

    client.post(reverse("profile"), {"first_name": "Janet", "last_name": "Doe"})

    confirmed.profile.refresh_from_db()
    assert confirmed.profile.terms_accepted_at == accepted
    assert confirmed.profile.affiliation is None


def test_it_shows_errors_and_saves_nothing(client, alice):
    services.profile_update(user=alice, first_name="Alice", last_name="Liddell")
    client.force_login(alice)

    response = client.post(reverse("profile"), {"first_name": "", "last_name": "Smith"})

    assert response.status_code == 200
    assert b"invalid-feedback" in response.content
    assert b"This field is required." in response.content
    alice.refresh_from_db()
    assert alice.last_name == "Liddell"


def test_it_offers_only_dictionary_organisations(client, alice, organisation):
    client.force_login(alice)

    response = client.post(
        reverse("profile"),
        {"first_name": "A", "last_name": "L", "affiliation": Organisation.objects.count() + 99},
    )

    assert response.status_code == 200
    assert b"Select a valid choice." in response.content
