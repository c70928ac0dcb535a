"""Every URL of the project, with odd input, answers anything but a server error (500).

The URL patterns are walked from the resolver, so a route added later is covered too.
Each is asked with odd ids and words in its path, by an anonymous client, a curator and
staff, with GET, with POSTs of odd bodies, and (under /api/) PUT, PATCH and DELETE.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from uid.models import Country, Submission
from uid.services.dictionaries import dictionaries_seed
from uid.tests.factories import SuperUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.attack, pytest.mark.slow]

ODD_WORDS = ["x" * 300, "ünïcödé", "..", "%00", "-1"]
ODD_INTS = ["0", "2147483648", "99999999999999999999"]
# Values a regular-expression route accepts, where a word would not match it.
KNOWN = {"app_label": ["uid", "language", "accounts"], "model_name": ["breed"], "key": ["x"]}


def _routes(resolver: URLResolver, namespace: str = "") -> list[tuple[str, list[str], dict]]:
    """(view name, parameter names, their converters) of every named route."""
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for name, params, converters in _routes(entry, inner):
                outer = _params(entry)
                found.append((name, outer[0] + params, {**outer[1], **converters}))
        elif isinstance(entry, URLPattern) and entry.name:
            params, converters = _params(entry)
            found.append((f"{namespace}{entry.name}", params, converters))
    return found


def _params(entry) -> tuple[list[str], dict]:
    pattern = entry.pattern
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters), dict(pattern.converters)
    return list(pattern.regex.groupindex), {}


def _values(param: str, converter, ids: list[str]) -> list[str]:
    if param in KNOWN:
        return KNOWN[param]
    kind = type(converter).__name__ if converter else "StringConverter"
    if kind == "IntConverter":
        return [*ids, *ODD_INTS]
    return [*ids, *ODD_WORDS]


def _paths(ids: list[str]) -> list[str]:
    paths = set()
    for name, params, converters in _routes(get_resolver()):
        # One path per value of the parameter with the most values; shorter lists cycle.
        choices = {p: _values(p, converters.get(p), ids) for p in params}
        rounds = max((len(values) for values in choices.values()), default=1)
        candidates = [
            {p: values[i % len(values)] for p, values in choices.items()} for i in range(rounds)
        ]
        for kwargs in candidates:
            try:
                paths.add(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return sorted(paths)


def _bodies():
    yield {}, None
    yield b'{"title": ', "application/json"
    yield b"\xff\xfe\x00junk", "application/octet-stream"
    yield (
        {"title": "t" * 10_000, "file": SimpleUploadedFile("../../etc/passwd", b"\0\x01junk"),
         "gene_bank_country": "Nowhere", "datasource_type": "nonsense", "password": "x"},
        None,
    )  # fmt: skip


def _ask(client: Client, path: str, statuses: dict[int, int]) -> list[str]:
    failures = []

    def check(method: str, response, body="") -> None:
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            failures.append(f"{method} {path} {body!s:.40} -> {response.status_code}")

    check("GET", client.get(path))
    for body, content_type in _bodies():
        kwargs = {"content_type": content_type} if content_type else {}
        check("POST", client.post(path, body, **kwargs), body)
        if path.startswith("/api/"):
            data = body if content_type else b"{}"
            for method in ("put", "patch", "delete"):
                check(
                    method.upper(),
                    getattr(client, method)(path, data, content_type="application/json"),
                )
    return failures


def test_no_url_answers_a_server_error(alice, outsider, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    dictionaries_seed()
    germany = Country.objects.get(label="Germany")
    theirs = Submission.objects.create(
        owner=outsider, title="theirs", gene_bank_name="g", datasource_version="1",
        gene_bank_country=germany, datasource_type="cryoweb",
    )  # fmt: skip
    ours = Submission.objects.create(
        owner=alice, title="ours", gene_bank_name="g", datasource_version="1",
        gene_bank_country=germany, datasource_type="cryoweb",
    )  # fmt: skip
    paths = _paths([str(ours.pk), str(theirs.pk)])
    assert len(paths) > 100  # the walk found the project's routes

    failures = []
    statuses: dict[int, int] = {}
    for who, user in (("anonymous", None), ("curator", alice), ("staff", SuperUserFactory())):
        client = Client(raise_request_exception=False)
        for path in paths:
            if user is not None:
                client.force_login(user)  # a POST to log-out (or a password form) ends it
            failures += [f"{who}: {failure}" for failure in _ask(client, path, statuses)]
    # The walk reached the pages themselves, not only log-in redirects.
    assert statuses.get(200, 0) > 300, statuses

    assert failures == [], "\n".join(failures)
