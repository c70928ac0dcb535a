"""Webin's half of the emulator: accounts and the JWTs its token endpoint hands out.

The tokens are HS256 JWTs made with the standard library. BioSamples reads the payload
and does not check the signature; the emulator does the same, so a token is accepted
when its payload names a ``principle`` and its ``exp`` is still ahead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_issue(*, principle: str, lifetime: float, secret: bytes, now: float | None = None) -> str:
    """A signed JWT for ``principle`` that expires ``lifetime`` seconds after ``now``."""
    issued = int(time.time() if now is None else now)
    header = {"alg": "HS256", "typ": "JWT"}
    payload = {"principle": principle, "role": [], "iat": issued, "exp": issued + int(lifetime)}
    signing_input = ".".join(
        _b64encode(json.dumps(part, separators=(",", ":")).encode()) for part in (header, payload)
    )
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64encode(signature)}"


def token_payload(token: str) -> dict[str, Any] | None:
    """The payload of a JWT, or None when it is not one (the signature is not checked)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(_b64decode(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def token_principle(token: str, *, now: float) -> str | None:
    """The Webin account a token speaks for; None when it is broken or expired.

    The real server treats a broken or expired token as no token at all.
    """
    payload = token_payload(token)
    if payload is None:
        return None
    principle, expires = payload.get("principle"), payload.get("exp")
    if not isinstance(principle, str) or not principle:
        return None
    if not isinstance(expires, int | float) or expires <= now:
        return None
    return principle


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, else None."""
    if not header or not header.strip().startswith("Bearer"):
        return None
    token = header.strip()[len("Bearer") :].strip()
    return token or None
