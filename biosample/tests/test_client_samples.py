"""BioSamplesClient writes and reads samples over one pooled session."""

from .documents import sample_document


def test_it_gets_back_what_it_sent(client):
    document = sample_document(
        relationships=[{"type": "child of", "target": "SAMEA9"}],
        externalReferences=[{"url": "https://example.org/animal/7"}],
    )

    created = client.sample_create(document)
    fetched = client.sample_get(created["accession"])

    assert fetched == created
    characteristics = dict(fetched["characteristics"])
    assert characteristics.pop("SRA accession") == [{"text": fetched["sraAccession"]}]
    assert characteristics == document["characteristics"]
    assert fetched["release"] == document["release"]
    assert fetched["externalReferences"] == document["externalReferences"]
    assert fetched["relationships"] == [
        {"source": created["accession"], "type": "child of", "target": "SAMEA9"}
    ]


def test_it_updates_a_sample_whole(client):
    created = client.sample_create(sample_document())
    document = {**sample_document(), "accession": created["accession"]}
    del document["characteristics"]["Supplied breed"]

    updated = client.sample_update(document)

    assert "Supplied breed" not in updated["characteristics"]
    assert client.sample_get(created["accession"]) == updated


def test_it_keeps_one_connection_for_many_calls(client, emulator):
    for n in range(20):
        client.sample_get(client.sample_create(sample_document(f"s{n}"))["accession"])

    # The token endpoint and the samples share the pool: one connection for all 41 calls.
    assert emulator.connections_accepted == 1
