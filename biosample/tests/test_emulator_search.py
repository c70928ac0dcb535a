"""GET /biosamples/samples: name:, attr: and acc: filters, cursor and page paging."""

from urllib.parse import parse_qs, urlsplit

from .documents import FUTURE, sample_document

PAGINATION = (
    "BioSamples pagination using 'page' and 'size' parameters are limited due to performance "
    "reasons. (max page = 500 and max page size = 200). Please use 'cursor' and 'size' for "
    "pagination and crawling. You can find more information about using cursor in our "
    "documentation"
)


def _names(page):
    return [sample["name"] for sample in page.get("_embedded", {}).get("samples", [])]


def _post_many(api, token, count, **changes):
    return [
        api.post(sample_document(f"IMAGEA{n:09d}", **changes), token=token).json()["accession"]
        for n in range(1, count + 1)
    ]


def test_it_finds_samples_by_name(api, token):
    _post_many(api, token, 3)

    page = api.get("/samples", params={"filter": "name:IMAGEA000000002"}).json()

    assert _names(page) == ["IMAGEA000000002"]
    assert page["_embedded"]["samples"][0]["_links"]["self"]["href"].endswith("/SAMEA2")


def test_it_finds_a_name_with_an_escaped_colon(api, token):
    api.post(sample_document("genebank:7"), token=token)

    page = api.get("/samples", params={"filter": "name:genebank\\:7"}).json()

    assert _names(page) == ["genebank:7"]


def test_it_finds_samples_by_attribute_and_value(api, token):
    api.post(sample_document("pig"), token=token)
    cow = sample_document("cow")
    cow["characteristics"]["organism"] = [{"text": "Bos taurus"}]
    cow["characteristics"]["project"] = [{"text": "other"}]
    api.post(cow, token=token)

    def names(*filters):
        return _names(api.get("/samples", params={"filter": list(filters)}).json())

    assert names("attr:project:IMAGE") == ["pig"]
    assert names("attr:organism:Bos taurus") == ["cow"]
    assert names("attr:project") == ["pig", "cow"]
    assert names("attr:project:IMAGE", "attr:organism:Bos taurus") == []
    assert names("acc:SAMEA[2-9]") == ["cow"]


def test_it_pages_with_cursors_until_an_empty_page_without_next(api, token):
    _post_many(api, token, 5)

    seen, url, pages = [], "/samples?size=2", []
    while url:
        page = api.get(url).json()
        pages.append(page)
        seen += _names(page)
        url = page["_links"].get("next", {}).get("href")

    assert seen == [f"IMAGEA{n:09d}" for n in range(1, 6)]
    assert [len(_names(page)) for page in pages] == [2, 2, 1, 0]
    # Like Solr: the last page with samples still links on; the empty one does not, and
    # has no _embedded at all.
    assert "_embedded" not in pages[-1] and "next" not in pages[-1]["_links"]
    first = pages[0]["_links"]
    assert set(first) == {"self", "next", "cursor", "sample"}
    assert parse_qs(urlsplit(first["self"]["href"]).query)["cursor"] == ["*"]
    assert first["sample"] == {
        "href": f"{api.emulator.biosamples_url}/samples/{{accession}}",
        "templated": True,
    }
    assert "cursor" not in pages[1]["_links"]


def test_it_keeps_the_filters_in_its_links(api, token):
    _post_many(api, token, 3)

    page = api.get("/samples", params={"filter": "attr:project:IMAGE", "size": 1}).json()

    query = parse_qs(urlsplit(page["_links"]["next"]["href"]).query)
    assert query["filter"] == ["attr:project:IMAGE"] and query["size"] == ["1"]


def test_it_shows_private_samples_only_to_their_owner(api, token, other_token):
    api.post(sample_document("public"), token=token)
    api.post(sample_document("private", release=FUTURE), token=token)

    assert _names(api.get("/samples", token=token).json()) == ["public", "private"]
    assert _names(api.get("/samples", token=other_token).json()) == ["public"]
    assert _names(api.get("/samples").json()) == ["public"]


def test_it_pages_with_page_numbers_and_a_page_object(api, token):
    _post_many(api, token, 5)

    page = api.get("/samples", params={"page": 1, "size": 2}).json()

    assert _names(page) == ["IMAGEA000000003", "IMAGEA000000004"]
    assert page["page"] == {"size": 2, "totalElements": 5, "totalPages": 3, "number": 1}
    assert list(page["_links"]) == ["first", "self", "previous", "next", "last", "sample"]


def test_it_refuses_pages_above_500_and_sizes_above_200(api):
    for params in ({"page": 501}, {"size": 201}, {"cursor": "*", "size": 201}):
        answer = api.get("/samples", params=params)

        assert answer.status_code == 400
        assert answer.json()["message"] == PAGINATION


def test_it_keeps_new_samples_out_of_search_while_it_indexes(api, token, emulator):
    emulator.search_delay = 30
    accession = api.post(sample_document("fresh"), token=token).json()["accession"]

    assert _names(api.get("/samples", params={"filter": "name:fresh"}).json()) == []
    assert api.get(f"/samples/{accession}").status_code == 200

    emulator.clock_advance(31)
    assert _names(api.get("/samples", params={"filter": "name:fresh"}).json()) == ["fresh"]
