"""BioSamplesClient searches: filters, and HAL paging followed to the end."""

from biosample.client import BioSamplesClient, filter_attribute, filter_name

from .documents import sample_document


def test_it_pages_through_many_samples(client, emulator):
    names = [f"IMAGEA{n:09d}" for n in range(450)]
    for name in names:
        client.sample_create(sample_document(name))

    found = list(client.samples_search(attributes={"project": "IMAGE"}, size=100))

    assert [sample["name"] for sample in found] == names
    pages = [p for m, p, s in emulator.requests if m == "GET" and p.endswith("/samples")]
    # Four full pages, a part, and the empty page Solr's last cursor leads to.
    assert len(pages) == 6


def test_it_follows_to_an_empty_last_page(client, emulator):
    for n in range(4):
        client.sample_create(sample_document(f"s{n}"))

    found = list(client.samples_search(size=2))

    assert [sample["name"] for sample in found] == ["s0", "s1", "s2", "s3"]


def test_it_searches_by_name_and_attribute(client):
    client.sample_create(sample_document("pig"))
    cow = sample_document("cow")
    cow["characteristics"]["organism"] = [{"text": "Bos taurus"}]
    client.sample_create(cow)

    assert [s["name"] for s in client.samples_search(name="cow")] == ["cow"]
    assert [s["name"] for s in client.samples_search(attributes={"organism": "Sus scrofa"})] == [
        "pig"
    ]
    assert [s["name"] for s in client.samples_search(attributes={"organism": None})] == [
        "pig",
        "cow",
    ]


def test_it_escapes_colons_in_filters():
    assert filter_name("bank:7") == "name:bank\\:7"
    assert filter_attribute("project") == "attr:project"
    assert filter_attribute("Gene bank name", "IT:1") == "attr:Gene bank name:IT\\:1"


def test_it_lists_accessions_page_by_page(client, emulator):
    for n in range(7):
        client.sample_create(sample_document(f"s{n}"))

    anonymous = BioSamplesClient(biosamples_url=emulator.biosamples_url)
    accessions = list(anonymous.accessions_list(filters=["attr:project:IMAGE"], size=3))

    assert accessions == [f"SAMEA{n}" for n in range(1, 8)]
