"""The BioSamples JSON API and Webin tokens, as ../shared/specs/biosamples.md describes them.

One :class:`BioSamplesClient` per run: one requests session (its connections pooled),
Webin tokens got and refreshed before they expire, transient failures retried with
backoff and jitter, and every failure raised as one :class:`BioSamplesError` whose
``permanent`` flag says whether trying again could help.

A POST mints an accession each time it is stored, so a POST is retried only when the
server surely did not store it (no connection made, 429, 503). After a timeout, a
dropped connection or a 500 the client raises a transient error instead: the caller
looks the name up (:meth:`BioSamplesClient.samples_find_by_name`) before posting again.

Tokens and passwords are never logged, nor put in an error's message.
"""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter

logger = logging.getLogger(__name__)

HAL_JSON = "application/hal+json"
# Statuses worth another try; 429 and 503 also mean the request was not handled.
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
NOT_HANDLED_STATUSES = frozenset({429, 503})
# Never send a token that expires this close (seconds): it could lapse on its way.
EXPIRY_SKEW = 30.0


class BioSamplesError(Exception):
    """A BioSamples or Webin call that failed.

    ``message`` is the server's (the ``message`` of a Spring error body, the checklist
    errors joined, or the body's text); ``status`` the HTTP status (None when no answer
    came); ``permanent`` says that sending the same again would fail again; ``errors``
    keeps the checklist validator's list; ``token_expired`` says the Webin token expired
    or was refused and a new one (a new password) is needed; ``retry_after`` is the wait
    the server asked for, when it did.
    """

    def __init__(
        self,
        message: str,
        status: int | None = None,
        permanent: bool = False,
        *,
        errors: list[dict[str, Any]] | None = None,
        token_expired: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.permanent = permanent
        self.errors = errors or []
        self.token_expired = token_expired
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.message} (HTTP {self.status})" if self.status else self.message


@dataclass(frozen=True)
class WebinCredentials:
    """A Webin account, kept in memory only, for a client that refreshes its own tokens."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class WebinToken:
    """A Webin JWT with what its payload says: who it speaks for and when it expires."""

    value: str = field(repr=False)
    principle: str
    expires_at: float

    @classmethod
    def from_jwt(cls, value: str) -> WebinToken:
        """Read the payload of a Webin JWT (the signature is Webin's business, not ours)."""
        try:
            payload_part = value.split(".")[1]
            payload = json.loads(
                base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4))
            )
            return cls(
                value=value, principle=str(payload["principle"]), expires_at=float(payload["exp"])
            )
        except (IndexError, KeyError, TypeError, ValueError) as error:
            raise BioSamplesError(
                "Webin gave something that is not a token", permanent=True
            ) from error

    def expires_within(self, seconds: float, *, now: float) -> bool:
        """Whether the token is expired, or will be ``seconds`` from ``now``."""
        return self.expires_at - now <= seconds


def filter_name(name: str) -> str:
    """The ``filter=`` value finding samples named ``name`` (colons escaped, as the server
    splits filters on them)."""
    return "name:" + name.replace(":", "\\:")


def filter_account(account: str) -> str:
    """The ``filter=`` value finding the samples a Webin account submitted (the server's
    ``webinId:`` filter)."""
    return "webinId:" + account.replace(":", "\\:")


def filter_attribute(attribute: str, value: str | None = None) -> str:
    """The ``filter=`` value finding samples with a characteristic (of that value)."""
    text = "attr:" + attribute.replace(":", "\\:")
    return text if value is None else text + ":" + value.replace(":", "\\:")


class BioSamplesClient:
    """BioSamples samples and Webin tokens over one pooled session.

    Give it ``credentials`` (it then gets and refreshes tokens itself) or a ``token``
    (it then uses that one, and raises ``BioSamplesError(token_expired=True)`` once it
    expires), or neither for anonymous reads. URLs default to the settings
    BIOSAMPLES_URL and WEBIN_AUTH_URL. ``timeout`` is (connect, read) in seconds.
    ``sleep``, ``clock`` and ``jitter`` are there for tests.
    """

    def __init__(
        self,
        *,
        credentials: WebinCredentials | None = None,
        token: str | None = None,
        biosamples_url: str | None = None,
        webin_auth_url: str | None = None,
        timeout: tuple[float, float] = (5.0, 60.0),
        max_attempts: int = 5,
        backoff: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        refresh_margin: float = 300.0,
        pool_size: int = 10,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.biosamples_url = (biosamples_url or settings.BIOSAMPLES_URL).rstrip("/")
        self.webin_auth_url = (webin_auth_url or settings.WEBIN_AUTH_URL).rstrip("/")
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.refresh_margin = refresh_margin
        self._credentials = credentials
        self._token = WebinToken.from_jwt(token) if token else None
        self._token_lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self.session = requests.Session()
        # No retries below us: a POST replayed by urllib3 could mint a second accession.
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Accept": HAL_JSON})

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def __enter__(self) -> BioSamplesClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- Webin --------------------------------------------------------------------------

    @property
    def token(self) -> WebinToken | None:
        """The token in use, if any."""
        return self._token

    def token_get(self, *, username: str, password: str) -> WebinToken:
        """A new Webin token for an account (the password is sent once and not kept)."""
        response = self._send(
            "POST",
            f"{self.webin_auth_url}/token",
            json={"authRealms": ["ENA"], "username": username, "password": password},
            authenticated=False,
            retry_unsafe=True,  # asking for a token twice does no harm
            accept="text/plain",
        )
        if response.status_code in (401, 403):
            raise BioSamplesError(
                f"Webin refused the username or password of {username}",
                response.status_code,
                permanent=True,
            )
        if response.status_code != 200:
            raise _error_from(response)
        token = WebinToken.from_jwt(response.text.strip())
        logger.info("Got a Webin token for %s until %s", token.principle, _when(token.expires_at))
        return token

    def token_refresh(self) -> WebinToken:
        """Get a new token with the client's credentials and use it from now on."""
        if self._credentials is None:
            raise BioSamplesError(
                "The Webin token expired; a new one is needed", permanent=True, token_expired=True
            )
        self._token = self.token_get(
            username=self._credentials.username, password=self._credentials.password
        )
        return self._token

    def _valid_token(self) -> WebinToken | None:
        """The token to send: refreshed first when near expiry (None when anonymous)."""
        with self._token_lock:
            now = self._clock()
            token = self._token
            if self._credentials is not None:
                if token is None or token.expires_within(self.refresh_margin, now=now):
                    token = self.token_refresh()
            elif token is not None and token.expires_within(EXPIRY_SKEW, now=now):
                raise BioSamplesError(
                    "The Webin token expired; a new one is needed",
                    permanent=True,
                    token_expired=True,
                )
            return token

    # --- samples ------------------------------------------------------------------------

    def sample_create(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """POST a new sample; return the stored sample, with its accession.

        Retried only when it was surely not stored; otherwise a transient error, after
        which the caller looks the name up before posting again.
        """
        return self._json_call("POST", f"{self.biosamples_url}/samples", document, {201})

    def sample_update(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """PUT a whole sample (its ``accession`` says which); return the stored sample."""
        accession = document.get("accession")
        if not accession:
            raise BioSamplesError("An update needs the sample's accession", permanent=True)
        url = f"{self.biosamples_url}/samples/{quote(str(accession), safe='')}"
        return self._json_call("PUT", url, document, {200})

    def sample_get(self, accession: str) -> dict[str, Any] | None:
        """The sample of an accession (with incoming relationships), None when unknown.

        A private sample of another account is a permanent 403 error.
        """
        url = f"{self.biosamples_url}/samples/{quote(accession, safe='')}"
        response = self._request("GET", url)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _error_from(response)
        return response.json()

    def samples_search(
        self,
        *,
        name: str | None = None,
        attributes: Mapping[str, str | None] | None = None,
        filters: Sequence[str] = (),
        text: str | None = None,
        size: int = 200,
    ) -> Iterator[dict[str, Any]]:
        """Every sample matching the filters, page after page (cursor paging, HAL).

        ``name`` and ``attributes`` ({name: value, or None for any value}) become
        ``name:`` and ``attr:`` filters; ``filters`` are passed as they are. Private
        samples come only when they are the token's own.
        """
        wanted = list(filters)
        if name is not None:
            wanted.append(filter_name(name))
        for attribute, value in (attributes or {}).items():
            wanted.append(filter_attribute(attribute, value))
        parameters: list[tuple[str, str]] = [("filter", item) for item in wanted]
        if text:
            parameters.append(("text", text))
        parameters += [("cursor", "*"), ("size", str(size))]
        yield from self._pages(f"{self.biosamples_url}/samples", parameters, "samples")

    def samples_find_by_name(self, name: str) -> list[dict[str, Any]]:
        """The samples of the token's Webin account named ``name`` (the idempotency check:
        did an earlier POST of this record get stored after all?)."""
        owner = None
        token = self._valid_token()
        if token is not None:
            owner = token.principle
        return [
            sample
            for sample in self.samples_search(name=name)
            if sample.get("name") == name
            and (owner is None or sample.get("webinSubmissionAccountId") == owner)
        ]

    def samples_of_account(self, account: str, *, size: int = 200) -> Iterator[dict[str, Any]]:
        """Every sample of the Webin ``account``, page after page (cursor paging): its
        private ones too when the token is the account's."""
        for sample in self.samples_search(filters=[filter_account(account)], size=size):
            if sample.get("webinSubmissionAccountId") == account:
                yield sample

    def accessions_list(
        self, *, filters: Sequence[str] = (), text: str | None = None, size: int = 100
    ) -> Iterator[str]:
        """Every accession matching the filters, page after page (``/accessions``)."""
        parameters: list[tuple[str, str]] = [("filter", item) for item in filters]
        if text:
            parameters.append(("text", text))
        parameters += [("page", "0"), ("size", str(size))]
        yield from self._pages(f"{self.biosamples_url}/accessions", parameters, "accessions")

    def _pages(self, url: str, parameters: list[tuple[str, str]] | None, key: str) -> Iterator[Any]:
        """The items of a HAL collection, following ``_links.next`` to its end."""
        seen = set()
        while url:
            response = self._request("GET", url, params=parameters)
            if response.status_code != 200:
                raise _error_from(response)
            page = response.json()
            items = page.get("_embedded", {}).get(key, [])
            yield from items
            seen.add(response.url)
            url = page.get("_links", {}).get("next", {}).get("href")
            parameters = None  # the next link carries its own query
            if not items or url in seen:
                break

    def _json_call(
        self, method: str, url: str, document: Mapping[str, Any], expected: set[int]
    ) -> dict[str, Any]:
        response = self._request(method, url, json=dict(document))
        if response.status_code not in expected:
            raise _error_from(response)
        return response.json()

    # --- HTTP ---------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None = None,
        json: Any = None,
    ) -> requests.Response:
        """One call with the token: refreshed once and tried again if it was refused."""
        response = self._send(method, url, params=params, json=json, authenticated=True)
        if _auth_refused(response):
            if self._credentials is None:
                if self._token is None:
                    return response  # anonymous: the caller reads the refusal
                raise BioSamplesError(
                    _message(response) or "The Webin token was refused",
                    response.status_code,
                    permanent=True,
                    token_expired=True,
                )
            with self._token_lock:
                self.token_refresh()
            response = self._send(method, url, params=params, json=json, authenticated=True)
        return response

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None = None,
        json: Any = None,
        authenticated: bool,
        retry_unsafe: bool | None = None,
        accept: str | None = None,
    ) -> requests.Response:
        """Send, retrying what is transient; return the last answer (whatever its status).

        Requests that are not idempotent (POST) are retried only when the server surely
        did not handle them, unless ``retry_unsafe``.
        """
        idempotent = method in ("GET", "PUT", "DELETE") if retry_unsafe is None else retry_unsafe
        attempt = 0
        while True:
            attempt += 1
            headers = {}
            if accept:
                headers["Accept"] = accept
            if authenticated:
                token = self._valid_token()
                if token is not None:
                    headers["Authorization"] = f"Bearer {token.value}"
            try:
                response = self.session.request(
                    method, url, params=params, json=json, headers=headers, timeout=self.timeout
                )
            except requests.exceptions.ConnectionError as error:
                handled = not _surely_not_sent(error)
                if attempt >= self.max_attempts or (handled and not idempotent):
                    raise BioSamplesError(
                        f"No answer from {_where(url)}: {type(error).__name__}"
                        + (" (the request may have been handled)" if handled else ""),
                        permanent=False,
                    ) from error
                self._wait(attempt, None, method, url, type(error).__name__)
                continue
            except (requests.exceptions.Timeout, requests.exceptions.ChunkedEncodingError) as error:
                if attempt >= self.max_attempts or not idempotent:
                    raise BioSamplesError(
                        f"No answer from {_where(url)} in time: {type(error).__name__}"
                        " (the request may have been handled)",
                        permanent=False,
                    ) from error
                self._wait(attempt, None, method, url, type(error).__name__)
                continue
            status = response.status_code
            if status not in TRANSIENT_STATUSES:
                return response
            retry_after = _retry_after(response, now=self._clock())
            if not idempotent and status not in NOT_HANDLED_STATUSES:
                raise _error_from(response)
            if attempt >= self.max_attempts:
                raise _error_from(response)
            if retry_after is not None and retry_after > self.retry_after_max:
                raise _error_from(response)
            self._wait(attempt, retry_after, method, url, str(status))

    def _wait(
        self, attempt: int, retry_after: float | None, method: str, url: str, why: str
    ) -> None:
        """Exponential backoff with jitter; never less than the server's Retry-After."""
        ceiling = min(self.backoff_max, self.backoff * 2 ** (attempt - 1))
        delay = ceiling / 2 + self._jitter() * ceiling / 2
        if retry_after is not None:
            delay = max(delay, retry_after)
        logger.warning(
            "BioSamples %s %s: %s, trying again in %.2f s (attempt %d of %d)",
            method, _where(url), why, delay, attempt + 1, self.max_attempts,
        )  # fmt: skip
        self._sleep(delay)


def _surely_not_sent(error: requests.exceptions.ConnectionError) -> bool:
    """Whether a connection error happened before the request could reach the server
    (refused, unresolvable, connect timeout) rather than while it was answered."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    text = repr(error)
    return any(
        marker in text
        for marker in ("NewConnectionError", "NameResolutionError", "Connection refused")
    )


def _auth_refused(response: requests.Response) -> bool:
    """Whether the answer says the token was missing or not accepted (Spring Security's
    "Access Denied", or the 401 of a PUT without a submitter)."""
    if response.status_code == 401:
        return True
    return response.status_code == 403 and _message(response) == "Access Denied"


def _retry_after(response: requests.Response, *, now: float) -> float | None:
    """Seconds from the Retry-After header (a number or an HTTP date), if any."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def _message(response: requests.Response) -> str:
    """The server's message: Spring's ``message``, the checklist errors, or the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:2000]
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    if isinstance(body, list):
        return "; ".join(
            f"{item.get('dataPath') or '(sample)'}: {', '.join(item.get('errors', []))}"
            if isinstance(item, dict)
            else str(item)
            for item in body
        )
    return response.text.strip()[:2000]


def _error_from(response: requests.Response) -> BioSamplesError:
    """A BioSamplesError for an answer that is not the one hoped for."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    return BioSamplesError(
        _message(response) or response.reason or f"HTTP {status}",
        status,
        permanent=status not in TRANSIENT_STATUSES,
        errors=body if isinstance(body, list) else None,
        retry_after=_retry_after(response, now=time.time()),
    )


def _where(url: str) -> str:
    """A URL without its query, for messages and logs."""
    return url.split("?", 1)[0]


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))
