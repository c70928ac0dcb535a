"""accounts.services.profile_update()."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services

pytestmark = pytest.mark.django_db


def test_it_saves_names_on_the_user_and_the_rest_on_the_profile(alice, organisation, role):
    profile = services.profile_update(
        user=alice,
        first_name="Alice",
        last_name="Liddell",
        initials="A.",
        affiliation=organisation,
        role=role,
    )

    alice.refresh_from_db()
    assert (alice.first_name, alice.last_name) == ("Alice", "Liddell")
    assert (profile.initials, profile.affiliation, profile.role) == ("A.", organisation, role)
    assert profile.terms_accepted_at is None


def test_it_records_the_first_acceptance_of_the_terms(alice):
    first = services.profile_update(
        user=alice, first_name="A", last_name="L", accept_terms=True
    ).terms_accepted_at

    again = services.profile_update(user=alice, first_name="A", last_name="L", accept_terms=True)

    assert first is not None
    assert again.terms_accepted_at == first


def test_it_refuses_initials_too_long(alice):
    with pytest.raises(ValidationError):
        services.profile_update(user=alice, first_name="A", last_name="L", initials="X" * 17)

    alice.refresh_from_db()
    assert alice.first_name == ""
