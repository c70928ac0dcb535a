"""Injected faults: 500s by script or by rate, 429 with Retry-After, slow answers, drops."""

import time

import pytest
import requests

from biosample.emulator import Fault

from .documents import sample_document


def test_it_answers_a_scripted_sequence_then_normally(api, token, emulator):
    emulator.faults.script(500, 502, "ok", 503)

    statuses = [api.get("/samples").status_code for _ in range(5)]

    assert statuses == [500, 502, 200, 503, 200]
    assert emulator.faults.injected == {"500": 1, "502": 1, "503": 1}


def test_it_answers_a_fault_with_a_spring_error_body(api):
    api.emulator.faults.script(500)

    body = api.get("/samples").json()

    assert body["status"] == 500 and body["error"] == "Internal Server Error"


def test_it_keeps_a_scripted_fault_for_its_method(api, token, emulator):
    emulator.faults.script(500, method="POST")

    assert api.get("/samples").status_code == 200
    assert api.post(sample_document(), token=token).status_code == 500
    assert api.post(sample_document(), token=token).status_code == 201
    assert emulator.store.sample_count() == 1  # the 500 came before the write


def test_it_fails_a_fraction_of_requests(api, emulator):
    emulator.faults.configure(error_rate=0.25, seed=12)

    statuses = [api.get("/accessions").status_code for _ in range(200)]

    assert 30 <= statuses.count(500) <= 70
    assert set(statuses) == {200, 500}


def test_it_throttles_with_retry_after(api, emulator):
    emulator.faults.script("429:7", 429)

    first, second = api.get("/samples"), api.get("/samples")

    assert first.status_code == 429 and first.headers["Retry-After"] == "7"
    assert second.status_code == 429 and second.headers["Retry-After"] == "1"


def test_it_answers_slowly(api, emulator):
    emulator.faults.script("slow:0.4")

    started = time.monotonic()
    assert api.get("/samples").status_code == 200
    assert time.monotonic() - started >= 0.4

    emulator.faults.configure(delay=0.2)
    started = time.monotonic()
    api.get("/samples")
    assert time.monotonic() - started >= 0.2


def test_it_drops_the_connection_after_storing_the_sample(api, token, emulator):
    emulator.faults.script("drop-after-write", method="POST")

    with pytest.raises(requests.ConnectionError):
        api.post(sample_document("lost answer"), token=token)

    stored = api.get("/samples/SAMEA1").json()
    assert stored["name"] == "lost answer"
    assert emulator.faults.injected["drop-after-write"] == 1


def test_it_drops_a_fraction_of_writes_after_storing_them(api, token, emulator):
    emulator.faults.configure(drop_after_write_rate=0.5, seed=3)
    dropped = 0
    for n in range(20):
        try:
            api.post(sample_document(f"s{n}"), token=token)
        except requests.ConnectionError:
            dropped += 1

    assert 3 <= dropped <= 17
    assert emulator.store.sample_count() == 20


def test_it_drops_the_connection_before_doing_anything(api, token, emulator):
    emulator.faults.script("drop")

    with pytest.raises(requests.ConnectionError):
        api.post(sample_document(), token=token)

    assert emulator.store.sample_count() == 0


def test_it_refuses_an_unknown_fault():
    with pytest.raises(ValueError, match="not a fault"):
        Fault.parse("explode")


def test_it_is_controlled_over_http_below_its_secret_path(api, emulator):
    control = emulator.control_url

    settings = requests.post(
        f"{control}/faults",
        json={"delay": 0.01, "script": [503], "script_method": "GET"},
        timeout=10,
    ).json()

    assert settings["delay"] == 0.01 and settings["scripted"] == 1
    assert api.get("/samples").status_code == 503
    assert requests.delete(f"{control}/faults", timeout=10).json()["delay"] == 0
    stats = requests.get(f"{control}/stats", timeout=10).json()
    assert stats["samples"] == 0 and stats["faults"]["injected"] == {"503": 1}
    guessed = f"{emulator.url}/_emulator/not-the-secret/faults"
    assert requests.post(guessed, json={"error_rate": 1}, timeout=10).status_code == 404
    assert api.get("/samples").status_code == 200
