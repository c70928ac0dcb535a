"""BioSamplesClient and Webin tokens: got, refreshed before expiry, never logged."""

import logging

import pytest

from biosample.client import BioSamplesClient, BioSamplesError, WebinCredentials

from .conftest import SAMPLES, WEBIN, WEBIN_PASSWORD
from .documents import sample_document

TOKEN_PATH = "/ena/submit/webin/auth/token"


class Clock:
    """A clock a test moves on."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _token_requests(emulator) -> int:
    return sum(1 for method, path, _ in emulator.requests if path == TOKEN_PATH)


def _client(emulator, **kwargs) -> BioSamplesClient:
    return BioSamplesClient(
        biosamples_url=emulator.biosamples_url,
        webin_auth_url=emulator.webin_auth_url,
        sleep=lambda seconds: None,
        **kwargs,
    )


def test_it_gets_a_token_on_first_use_and_keeps_it(client, emulator):
    client.sample_create(sample_document("one"))
    client.sample_create(sample_document("two"))

    assert _token_requests(emulator) == 1
    assert client.token.principle == WEBIN
    assert client.token.expires_at > emulator.now() + 3 * 3600 - 60


def test_it_refreshes_the_token_before_it_expires(emulator):
    clock = Clock(emulator.now())
    client = _client(emulator, credentials=WebinCredentials(WEBIN, WEBIN_PASSWORD), clock=clock)
    client.sample_create(sample_document("one"))
    first = client.token

    clock.now += 3 * 3600 - 200  # within the refresh margin (300 s) of expiry
    emulator.clock_advance(3 * 3600 - 200)
    client.sample_create(sample_document("two"))

    assert _token_requests(emulator) == 2
    assert client.token.expires_at == first.expires_at + 3 * 3600 - 200


def test_it_gets_a_new_token_once_when_the_server_refuses_its_own(client, emulator):
    client.sample_create(sample_document("one"))
    emulator.clock_advance(3 * 3600 + 1)  # the server's clock says the token expired

    sample = client.sample_create(sample_document("two"))

    assert sample["accession"] == "SAMEA2"
    assert _token_requests(emulator) == 2
    assert emulator.store.sample_count() == 2


def test_it_says_a_given_token_expired_rather_than_sending_it(emulator):
    clock = Clock(emulator.now())
    client = _client(emulator, token=emulator.token_issue(WEBIN, lifetime=600), clock=clock)
    client.sample_create(sample_document("one"))

    clock.now += 600
    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(sample_document("two"))

    assert raised.value.token_expired and raised.value.permanent
    assert emulator.store.sample_count() == 1


def test_it_says_a_given_token_was_refused(emulator):
    client = _client(emulator, token=emulator.token_issue(WEBIN, lifetime=600))
    emulator.clock_advance(601)

    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(sample_document())

    assert raised.value.token_expired and raised.value.status == 403
    assert raised.value.message == "Access Denied"


def test_it_refuses_a_wrong_password_for_good(emulator):
    client = _client(emulator, credentials=WebinCredentials(WEBIN, "wrong-password"))

    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(sample_document())

    assert raised.value.permanent and raised.value.status == 401
    assert "wrong-password" not in str(raised.value)
    assert _token_requests(emulator) == 1


def test_it_never_logs_the_token_or_the_password(client, emulator, caplog):
    caplog.set_level(logging.DEBUG)
    emulator.faults.script(500, method="GET")
    emulator.faults.script("429:0", method="POST", path=SAMPLES)

    sample = client.sample_create(sample_document())
    client.sample_get(sample["accession"])
    emulator.clock_advance(4 * 3600)
    client.sample_update({**sample_document(), "accession": sample["accession"]})

    logged = caplog.text + repr(client.token) + repr(client._credentials)
    assert "trying again" in caplog.text
    assert client.token.value not in logged
    assert WEBIN_PASSWORD not in logged
    assert "Bearer" not in logged
