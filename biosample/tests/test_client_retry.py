"""BioSamplesClient retries what is transient, with backoff and jitter, honouring Retry-After."""

import pytest

from biosample.client import BioSamplesClient, BioSamplesError, WebinCredentials
from biosample.emulator import Emulator
from injecttool.testing.live import free_port

from .conftest import SAMPLES, WEBIN, WEBIN_PASSWORD
from .documents import sample_document


def _posts(emulator) -> list:
    return [
        status
        for method, path, status in emulator.requests
        if method == "POST" and "samples" in path
    ]


def test_it_retries_500s_of_a_get_with_growing_waits(client, emulator, sleeps):
    accession = client.sample_create(sample_document())["accession"]
    emulator.faults.script(500, 502, 504, method="GET")

    assert client.sample_get(accession)["accession"] == accession

    assert sleeps == [0.5, 1.0, 2.0]  # backoff 0.5 doubling; jitter at its top here


def test_it_jitters_between_half_and_all_of_the_backoff(emulator, sleeps):
    rolls = iter([0.0, 0.5])
    client = BioSamplesClient(
        biosamples_url=emulator.biosamples_url, sleep=sleeps, jitter=lambda: next(rolls)
    )
    emulator.faults.script(500, 500, method="GET")

    client.sample_get("SAMEA1")

    assert sleeps == [0.25, 0.75]


def test_it_retries_500s_of_a_put(client, emulator):
    sample = client.sample_create(sample_document())
    emulator.faults.script(500, 500, method="PUT", path=SAMPLES)

    updated = client.sample_update({**sample_document(), "accession": sample["accession"]})

    assert updated["accession"] == sample["accession"]
    assert [s for m, p, s in emulator.requests if m == "PUT"] == [500, 500, 200]


def test_it_honours_retry_after_of_a_429_even_for_a_post(client, emulator, sleeps):
    emulator.faults.script("429:3", method="POST", path=SAMPLES)

    sample = client.sample_create(sample_document())

    assert sample["accession"] == "SAMEA1"
    assert sleeps == [3.0]
    assert _posts(emulator) == [429, 201]


def test_it_waits_its_backoff_when_that_is_longer_than_retry_after(client, emulator, sleeps):
    emulator.faults.script("429:0", "429:0", "429:0", method="GET")

    client.sample_get("SAMEA1")

    assert sleeps == [0.5, 1.0, 2.0]


def test_it_retries_a_503_post(client, emulator):
    emulator.faults.script(503, method="POST", path=SAMPLES)

    assert client.sample_create(sample_document())["accession"] == "SAMEA1"
    assert emulator.store.sample_count() == 1


def test_it_raises_a_transient_error_for_a_500_post_without_posting_again(client, emulator):
    emulator.faults.script(500, method="POST", path=SAMPLES)

    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(sample_document())

    assert not raised.value.permanent and raised.value.status == 500
    assert _posts(emulator) == [500]


def test_it_gives_up_after_its_attempts_with_a_transient_error(client, emulator, sleeps):
    emulator.faults.script(*[503] * 5, method="GET")

    with pytest.raises(BioSamplesError) as raised:
        client.sample_get("SAMEA1")

    assert raised.value.status == 503 and not raised.value.permanent
    assert len(sleeps) == 4


def test_it_hands_back_a_retry_after_too_long_to_wait(client, emulator, sleeps):
    emulator.faults.script("429:3600", method="GET")

    with pytest.raises(BioSamplesError) as raised:
        client.sample_get("SAMEA1")

    assert raised.value.retry_after == 3600 and not raised.value.permanent
    assert sleeps == []


def test_it_retries_a_read_that_timed_out(emulator, sleeps):
    client = BioSamplesClient(
        biosamples_url=emulator.biosamples_url, sleep=sleeps, timeout=(2, 0.3)
    )
    emulator.faults.script("slow:1", method="GET")

    assert client.sample_get("SAMEA1") is None
    assert len(sleeps) == 1


def test_it_raises_a_transient_error_when_a_post_times_out(emulator, sleeps):
    client = BioSamplesClient(
        credentials=WebinCredentials(WEBIN, WEBIN_PASSWORD),
        biosamples_url=emulator.biosamples_url,
        webin_auth_url=emulator.webin_auth_url,
        sleep=sleeps,
        timeout=(2, 0.3),
    )
    emulator.faults.script("slow:1", method="POST", path=SAMPLES)

    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(sample_document("slow one"))

    assert not raised.value.permanent and raised.value.status is None
    assert "may have been handled" in raised.value.message
    # The server went on and stored it: the name finds it, so the caller does not post again.
    client.timeout = (2, 10)
    found = _eventually(lambda: client.samples_find_by_name("slow one"))
    assert [sample["accession"] for sample in found] == ["SAMEA1"]


def _eventually(find, tries: int = 50):
    import time

    for _ in range(tries):
        found = find()
        if found:
            return found
        time.sleep(0.05)
    return find()


def test_it_retries_a_post_when_nothing_listens_yet(tmp_path, sleeps):
    """Connection refused: the request never left, so even a POST is tried again."""
    port = free_port()
    started = []

    def sleep_then_start(seconds):
        sleeps.append(seconds)
        if not started:
            started.append(Emulator(port=port, accounts={WEBIN: WEBIN_PASSWORD}).start())

    client = BioSamplesClient(
        credentials=WebinCredentials(WEBIN, WEBIN_PASSWORD),
        biosamples_url=f"http://127.0.0.1:{port}/biosamples",
        webin_auth_url=f"http://127.0.0.1:{port}/ena/submit/webin/auth",
        sleep=sleep_then_start,
    )
    try:
        assert client.sample_create(sample_document())["accession"] == "SAMEA1"
        assert len(sleeps) == 1
    finally:
        for emulator in started:
            emulator.stop()
