"""Paging through a Webin account's samples, as the sync does to find orphans: the
server's ``webinId:`` filter with cursor paging (the emulator answers as the server does)."""

from biosample.client import BioSamplesClient, filter_account

from .conftest import OTHER_WEBIN, WEBIN
from .documents import FUTURE, sample_document


def _names(page):
    return [sample["name"] for sample in page.get("_embedded", {}).get("samples", [])]


def test_the_webin_filter_gives_the_accounts_samples_private_ones_to_their_owner_only(
    api, token, other_token
):
    api.post(sample_document("ours-public"), token=token)
    api.post(sample_document("ours-private", release=FUTURE), token=token)
    api.post(sample_document("theirs-public"), token=other_token)

    mine = api.get("/samples", token=token, params={"filter": f"webinId:{WEBIN}"}).json()
    seen_by_them = api.get(
        "/samples", token=other_token, params={"filter": f"webinId:{WEBIN}"}
    ).json()

    assert _names(mine) == ["ours-public", "ours-private"]
    assert _names(seen_by_them) == ["ours-public"]
    assert all(s["webinSubmissionAccountId"] == WEBIN for s in mine["_embedded"]["samples"])


def test_the_client_pages_through_every_sample_of_the_account(emulator, api, token, other_token):
    for n in range(5):
        api.post(sample_document(f"ours-{n}", release=FUTURE), token=token)
    api.post(sample_document("theirs"), token=other_token)

    with BioSamplesClient(token=token, biosamples_url=emulator.biosamples_url) as client:
        found = [sample["name"] for sample in client.samples_of_account(WEBIN, size=2)]

    assert found == [f"ours-{n}" for n in range(5)]
    searches = emulator.request_counts()[("GET", "/biosamples/samples", 200)]
    assert searches == 4  # three pages of two, the last one empty, as Solr's cursor does
    assert filter_account(OTHER_WEBIN) == "webinId:Webin-40002"
