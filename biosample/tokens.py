"""Webin tokens kept for curators: a password is exchanged for a token once, at submit
time, and never stored or logged; the token is kept encrypted (with a key derived from
SECRET_KEY) until it expires, so that a submission can run, and resume, without asking
again."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils import timezone

from biosample.models import StoredToken

# A token this close to its expiry is not handed out: a submission needs it for a while.
MARGIN = dt.timedelta(minutes=5)


def _fernet() -> Fernet:
    key = hashlib.sha256(b"injecttool webin tokens:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def token_obtain(*, user, username: str, password: str, client=None):
    """Exchange a Webin password for a token, keep the token for ``user``, return it.
    BioSamplesError(permanent) when Webin refuses the username or password."""
    from biosample.client import BioSamplesClient

    own = client is None
    client = client or BioSamplesClient()
    try:
        token = client.token_get(username=username, password=password)
    finally:
        if own:
            client.close()
    token_store(user=user, account=username, value=token.value, expires_at=token.expires_at)
    return token


def token_store(*, user, account: str, value: str, expires_at: float) -> None:
    StoredToken.objects.update_or_create(
        user=user, webin_account=account,
        defaults={"encrypted": _fernet().encrypt(value.encode()),
                  "expires_at": dt.datetime.fromtimestamp(expires_at, tz=dt.UTC)},
    )  # fmt: skip


def token_for(*, user, account: str) -> str | None:
    """The user's kept token for ``account`` while it is valid for a while yet, else None
    (an expired one is forgotten)."""
    stored = StoredToken.objects.filter(user=user, webin_account=account).first()
    if stored is None:
        return None
    if stored.expires_at - MARGIN <= timezone.now():
        stored.delete()
        return None
    try:
        return _fernet().decrypt(bytes(stored.encrypted)).decode()
    except InvalidToken:  # the site's key changed: the token cannot be read any more
        stored.delete()
        return None


def token_valid_until(*, user, account: str) -> dt.datetime | None:
    """Until when the user's kept token for ``account`` serves (None: there is none)."""
    stored = StoredToken.objects.filter(user=user, webin_account=account).first()
    if stored is None or stored.expires_at - MARGIN <= timezone.now():
        return None
    return stored.expires_at - MARGIN
