"""Webin tokens kept for curators: a password is exchanged for a token once, at submit
time, and never stored or logged; the token is kept encrypted (with a key derived from
SECRET_KEY) until it expires, so that a submission can run, and resume, without asking
again."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils import timezone

from biosample.models import StoredToken

logger = logging.getLogger(__name__)

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


def broker_account() -> str:
    """The instance-wide Webin broker account the admin enabled, or "" (none)."""
    if settings.WEBIN_BROKER_USERNAME and settings.WEBIN_BROKER_PASSWORD:
        return settings.WEBIN_BROKER_USERNAME
    return ""


def token_for(*, user, account: str) -> str | None:
    """The user's kept token for ``account`` while it is valid for a while yet, else None
    (an expired one is forgotten). For the broker account a new token is fetched with its
    configured password when none serves (None when Webin refuses it: logged, without
    the password, for the admin)."""
    stored = StoredToken.objects.filter(user=user, webin_account=account).first()
    if stored is not None and stored.expires_at - MARGIN <= timezone.now():
        stored.delete()
        stored = None
    if stored is not None:
        try:
            return _fernet().decrypt(bytes(stored.encrypted)).decode()
        except InvalidToken:  # the site's key changed: the token cannot be read any more
            stored.delete()
    if account and account == broker_account():
        return _broker_token(user)
    return None


def _broker_token(user) -> str | None:
    from biosample.client import BioSamplesError

    try:
        token = token_obtain(
            user=user, username=settings.WEBIN_BROKER_USERNAME,
            password=settings.WEBIN_BROKER_PASSWORD,
        )  # fmt: skip
    except BioSamplesError as exc:
        logger.warning("Webin refused a token for the broker account %s: %s",
                       settings.WEBIN_BROKER_USERNAME, exc.message)  # fmt: skip
        return None
    return token.value


def token_valid_until(*, user, account: str) -> dt.datetime | None:
    """Until when the user's kept token for ``account`` serves (None: there is none)."""
    stored = StoredToken.objects.filter(user=user, webin_account=account).first()
    if stored is None or stored.expires_at - MARGIN <= timezone.now():
        return None
    return stored.expires_at - MARGIN
