"""API tokens: issue, check, list and revoke them (services and selectors of ApiToken)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from accounts.models import ApiToken

# A token's last use is written at most this often (not on every request).
_LAST_USED_EVERY = timedelta(minutes=1)


class TokenProblem(Exception):
    """Why a token does not authenticate, in words for the client."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user: AbstractUser) -> str:
    """Changes whenever the user's password does (and never shows the password hash)."""
    return hashlib.sha256(f"api-token:{user.password}".encode()).hexdigest()


def token_create(*, user: AbstractUser, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token for ``user``; return it and its key (shown once, never stored)."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=_hash(key),
        prefix=key[:8],
        password_fingerprint=password_fingerprint(user),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    return token, key


def token_check(*, key: str) -> ApiToken:
    """The live token of ``key``; raises TokenProblem saying why it is not one."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    again = "Log in again (injecttool login URL) for a new token."
    if token is None:
        raise TokenProblem(f"Invalid token: it does not exist or was revoked. {again}")
    if token.expires_at <= timezone.now():
        raise TokenProblem(f"Your token has expired. {again}")
    if token.password_fingerprint != password_fingerprint(token.user):
        raise TokenProblem(f"Your token was revoked by a change of password. {again}")
    if not token.user.is_active:
        raise TokenProblem("This account is disabled.")
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def tokens_for_user(*, user: AbstractUser) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    fingerprint = password_fingerprint(user)
    return [
        token
        for token in ApiToken.objects.filter(user=user, expires_at__gt=timezone.now())
        if token.password_fingerprint == fingerprint
    ]


def token_revoke(*, user: AbstractUser, pk: int) -> bool:
    """Revoke one of ``user``'s tokens; False when they have no such token."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def tokens_revoke_all(*, user: AbstractUser) -> int:
    """Revoke every token of ``user`` (their password changed, or they asked)."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted
