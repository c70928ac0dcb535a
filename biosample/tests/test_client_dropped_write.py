"""A POST stored but never answered: a transient error, then the name finds the sample."""

import pytest

from biosample.client import BioSamplesClient, BioSamplesError, WebinCredentials

from .conftest import OTHER_PASSWORD, OTHER_WEBIN, SAMPLES
from .documents import sample_document


def test_it_raises_a_transient_error_and_the_name_then_finds_the_stored_sample(client, emulator):
    emulator.faults.script("drop-after-write", method="POST", path=SAMPLES)

    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(sample_document("IMAGEA000000042"))

    assert not raised.value.permanent and raised.value.status is None
    assert "may have been handled" in raised.value.message
    assert emulator.store.sample_count() == 1  # stored once, not posted again

    found = client.samples_find_by_name("IMAGEA000000042")

    assert [sample["accession"] for sample in found] == ["SAMEA1"]
    assert client.samples_find_by_name("IMAGEA000000043") == []


def test_it_finds_by_name_only_in_its_own_webin_account(client, emulator):
    other = BioSamplesClient(
        credentials=WebinCredentials(OTHER_WEBIN, OTHER_PASSWORD),
        biosamples_url=emulator.biosamples_url,
        webin_auth_url=emulator.webin_auth_url,
    )
    other.sample_create(sample_document("IMAGEA000000042"))  # public, but not ours

    assert client.samples_find_by_name("IMAGEA000000042") == []

    mine = client.sample_create(sample_document("IMAGEA000000042"))
    assert client.samples_find_by_name("IMAGEA000000042") == [client.sample_get(mine["accession"])]


def test_it_finds_its_own_private_sample_by_name(client):
    client.sample_create(sample_document("IMAGES7", release="2999-01-01T00:00:00Z"))

    assert [s["name"] for s in client.samples_find_by_name("IMAGES7")] == ["IMAGES7"]


def test_it_retries_a_put_whose_connection_dropped_after_the_write(client, emulator):
    sample = client.sample_create(sample_document())
    emulator.faults.script("drop-after-write", method="PUT", path=SAMPLES)

    updated = client.sample_update(
        {**sample_document(release="2021-01-01T00:00:00Z"), "accession": sample["accession"]}
    )

    assert updated["release"] == "2021-01-01T00:00:00Z"
    assert emulator.store.sample_count() == 1
