"""Request bodies are refused while they stream, before the application reads them.

Django's ASGI handler reads a whole request body (into a temporary file) before any view,
middleware or login check runs, so without this guard an anonymous client could make the
web server take in any amount of data. The guard sits in front of Django and decides
from the request line and headers alone how much body a request may bring:

- none on GET, HEAD and OPTIONS;
- ``REQUEST_MAX_BYTES_ANONYMOUS`` (64 KB: log-in, sign-up, token forms) from a client
  that is not logged in;
- ``UPLOAD_MAX_BYTES`` (plus room for the form around the file) on the upload routes, for
  a logged-in curator (session cookie or API token); an anonymous upload gets 401;
- ``DATA_UPLOAD_MAX_MEMORY_SIZE`` on every other route.

A declared Content-Length over the limit is answered at once; a chunked body is counted
as it arrives and cut off (413) the moment it passes the limit. Either way the server
never holds more than a chunk of it in memory.
"""

from __future__ import annotations

import json
from http.cookies import CookieError
from importlib import import_module
from types import SimpleNamespace

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import parse_cookie
from django.urls import Resolver404, resolve

# The routes that take a file: the web and API upload and reload, and admin's imports.
UPLOAD_VIEWS = frozenset(
    {
        "uid:submission_create",
        "uid:submission_reload",
        "api:submission-list",
        "api:submission-reload",
    }
)
NO_BODY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Multipart boundaries and the form's other fields, as nginx allows them (make stack and
# compose): a file just over UPLOAD_MAX_BYTES still reaches Django, which names the limit.
FORM_ROOM = 16 * 1024 * 1024


def _is_upload_route(path: str) -> bool:
    try:
        view_name = resolve(path).view_name
    except Resolver404:
        return False
    if view_name in UPLOAD_VIEWS:
        return True
    return view_name.startswith("admin:") and view_name.endswith(("_import", "_process_import"))


def _authenticated(headers: dict[bytes, bytes]) -> bool:
    """True when the request carries a live session of an active user or a valid API token."""
    from django.contrib.auth import get_user

    authorization = headers.get(b"authorization", b"").decode("latin-1").split()
    if len(authorization) == 2:
        return _token_user(*authorization) is not None
    try:
        cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
    except CookieError:
        return False
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    engine = import_module(settings.SESSION_ENGINE)
    # get_user() checks the session's password hash too: a session from before a
    # password change does not count.
    user = get_user(SimpleNamespace(session=engine.SessionStore(session_key)))
    return user.is_authenticated and user.is_active


def _token_user(keyword: str, key: str):
    """The user of an API token, through the API's own authentication classes."""
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.settings import api_settings

    for authentication_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if getattr(authentication_class, "keyword", None) != keyword:
            continue
        try:
            user, _ = authentication_class().authenticate_credentials(key)
        except AuthenticationFailed:
            return None
        return user if user.is_active else None
    return None


def body_limit(*, method: str, path: str, authenticated: bool) -> int:
    """The most bytes of body this request may bring."""
    if method in NO_BODY_METHODS:
        return 0
    if not authenticated:
        return settings.REQUEST_MAX_BYTES_ANONYMOUS
    if _is_upload_route(path):
        return settings.UPLOAD_MAX_BYTES + FORM_ROOM
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimit:
    """ASGI middleware: refuse an oversized or unwanted request body as it streams."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        if declared is None and not chunked or declared == b"0":
            await self.app(scope, receive, send)  # no body: nothing to guard
            return
        try:
            length = int(declared) if declared is not None else None
        except ValueError:
            await _refuse(send, scope, 400, "The Content-Length header is not a number.")
            return
        authenticated = await sync_to_async(_authenticated)(headers)
        method, path = scope["method"], scope["path"]
        limit = await sync_to_async(body_limit)(
            method=method, path=path, authenticated=authenticated
        )
        if not authenticated and await sync_to_async(_is_upload_route)(path):
            await _refuse(send, scope, 401, "Log in first: only a logged-in curator may upload.")
            return
        if length is not None and length > limit:
            await _refuse(send, scope, 413, _too_large(limit, method))
            return
        await self._guarded(scope, receive, send, limit)

    async def _guarded(self, scope, receive, send, limit: int) -> None:
        received = 0
        over = False
        started = False

        async def counting_receive():
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # The application sees the client go away and stops reading.
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def watching_send(message):
            nonlocal started
            if over:
                return  # the 413 below answers instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, watching_send)
        if over and not started:
            await _refuse(send, scope, 413, _too_large(limit, scope["method"]))


def _too_large(limit: int, method: str) -> str:
    if limit == 0:
        return f"A {method} request takes no body."
    if limit > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES  # the file's limit is what a curator knows
        return f"The file is larger than the limit of {limit // (1024 * 1024)} MB."
    if limit >= 1024 * 1024:
        return f"The request is larger than the limit of {limit // (1024 * 1024)} MB."
    return f"The request is larger than the limit of {limit // 1024} KB."


async def _refuse(send, scope, status: int, text: str) -> None:
    if scope["path"].startswith("/api/"):
        body, content_type = json.dumps({"detail": text}).encode(), b"application/json"
    else:
        body, content_type = text.encode(), b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
