"""BioSamplesClient errors: one type, the server's message kept, 4xx never retried."""

import pytest

from biosample.client import BioSamplesClient, BioSamplesError, WebinCredentials

from .conftest import OTHER_PASSWORD, OTHER_WEBIN
from .documents import FUTURE, sample_document


def test_it_keeps_the_servers_message_and_does_not_retry_a_400(client, emulator, sleeps):
    document = sample_document()
    document["characteristics"]["organism"] = [{"text": "Sus imaginarius"}]

    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(document)

    error = raised.value
    assert error.permanent and error.status == 400
    assert error.message == (
        "Validation of taxonomy failed against the ENA taxonomy service. "
        "The Organism attribute is either invalid or not submittable"
    )
    assert sleeps == []
    assert [s for m, p, s in emulator.requests if m == "POST" and "samples" in p] == [400]


def test_it_keeps_the_checklist_errors(client):
    document = sample_document()
    del document["characteristics"]["organism"]

    with pytest.raises(BioSamplesError) as raised:
        client.sample_create(document)

    assert raised.value.errors == [
        {"dataPath": ".characteristics", "errors": ["should have required property 'organism'"]}
    ]
    assert raised.value.message == ".characteristics: should have required property 'organism'"
    assert raised.value.permanent


def test_it_says_only_the_original_submitter_may_update(client, emulator):
    accession = client.sample_create(sample_document())["accession"]
    other = BioSamplesClient(
        credentials=WebinCredentials(OTHER_WEBIN, OTHER_PASSWORD),
        biosamples_url=emulator.biosamples_url,
        webin_auth_url=emulator.webin_auth_url,
    )

    with pytest.raises(BioSamplesError) as raised:
        other.sample_update({**sample_document(), "accession": accession})

    assert raised.value.status == 403 and raised.value.permanent
    assert raised.value.message.startswith("This sample is permitted to be updated only by")
    assert not raised.value.token_expired


def test_it_answers_none_for_an_unknown_accession(client):
    assert client.sample_get("SAMEA404") is None


def test_it_raises_for_another_accounts_private_sample(client, emulator):
    accession = client.sample_create(sample_document(release=FUTURE))["accession"]
    anonymous = BioSamplesClient(biosamples_url=emulator.biosamples_url)

    assert client.sample_get(accession)["status"] == "PRIVATE"
    with pytest.raises(BioSamplesError) as raised:
        anonymous.sample_get(accession)

    assert raised.value.status == 403 and raised.value.permanent
    assert raised.value.message.startswith("This sample is private")


def test_it_wants_an_accession_to_update(client):
    with pytest.raises(BioSamplesError, match="accession"):
        client.sample_update(sample_document())
