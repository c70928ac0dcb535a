"""Writes of accounts: profiles and the acceptance of the terms of use."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from uid.models import Organisation, Role


def profile_get_or_create(*, user: AbstractUser) -> Profile:
    """The user's profile, made empty on first use."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *,
    user: AbstractUser,
    first_name: str,
    last_name: str,
    initials: str = "",
    affiliation: Organisation | None = None,
    role: Role | None = None,
    accept_terms: bool = False,
    webin_username: str | None = None,
) -> Profile:
    """Save the names on the user and the rest on the profile.

    ``accept_terms`` records when the terms were first accepted; a later call without it
    (the profile page) keeps that time.
    """
    user.first_name = first_name
    user.last_name = last_name
    # Only the two fields we change: the whole user (password, e-mail) is not ours to check.
    user.full_clean(
        exclude=[f.name for f in user._meta.fields if f.name not in {"first_name", "last_name"}]
    )
    user.save(update_fields=["first_name", "last_name"])
    profile = profile_get_or_create(user=user)
    profile.initials = initials
    profile.affiliation = affiliation
    profile.role = role
    if webin_username is not None:  # the sign-up form does not ask for it
        profile.webin_username = webin_username
    if accept_terms and profile.terms_accepted_at is None:
        profile.terms_accepted_at = timezone.now()
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def admin_ensure() -> tuple[str, str, bool] | None:
    """Create a superuser if none exists; return (username, password, generated) or None.

    Username and password come from DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD;
    without them the account is ``admin`` with a random password.
    """
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return None
    username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
    password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or ""
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    email = os.environ.get("DJANGO_SUPERUSER_EMAIL") or f"{username}@localhost"
    user = user_model.objects.create_superuser(username=username, email=email, password=password)
    # The admin logs in at once: their address needs no confirmation round trip.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    profile_get_or_create(user=user)
    return username, password, generated


def organisation_create(
    *,
    user: AbstractUser,
    name: str,
    address: str = "",
    country=None,
    role=None,
    uri: str = "",
) -> Organisation:
    """Add the curator's organisation to the shared list and make it their affiliation.

    A name already in the list (whatever its letters' case and spacing) is refused,
    naming the one there: one organisation, one row (staff merge any that slip through).
    """
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        raise ValidationError(
            {"name": f"“{existing.name}” is in the list already: choose it as your affiliation."}
        )
    organisation = Organisation(name=name, address=address, country=country, role=role, uri=uri)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        profile = profile_get_or_create(user=user)
        profile.affiliation = organisation
        profile.save(update_fields=["affiliation"])
    return organisation
