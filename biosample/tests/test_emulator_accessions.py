"""GET /biosamples/accessions: page paging, compared with the recorded answers."""

import json

from injecttool.testing.shared import shared_fixture

from .documents import FUTURE, sample_document

RECORDED_BASE = "https://wwwdev.ebi.ac.uk/biosamples"


def _recorded(name: str) -> dict:
    return json.loads(shared_fixture(f"biosamples/{name}").read_text())


def test_it_pages_accessions_as_the_recorded_answers_do(api, token, emulator):
    """Six IMAGE samples in pages of three: page_0.json and page_1.json, our accessions."""
    recorded = [_recorded("page_0.json"), _recorded("page_1.json")]
    ours = [
        api.post(sample_document(f"IMAGE{n}"), token=token).json()["accession"] for n in range(6)
    ]
    api.post(
        sample_document("not IMAGE", characteristics={"organism": [{"text": "Sus scrofa"}]}),
        token=token,
    )
    recorded_accessions = [a for page in recorded for a in page["_embedded"]["accessions"]]
    base = emulator.biosamples_url

    for number, expected in enumerate(recorded):
        answer = api.get(
            "/accessions", params={"filter": "attr:project:IMAGE", "page": number, "size": 3}
        )

        text = json.dumps(expected)
        for theirs, mine in zip(recorded_accessions, ours, strict=True):
            text = text.replace(theirs, mine)
        assert answer.json() == json.loads(text.replace(RECORDED_BASE, base))
        assert list(answer.json()["_links"]) == list(expected["_links"])


def test_it_lists_private_accessions_to_their_owner_only(api, token, other_token):
    api.post(sample_document("public"), token=token)
    api.post(sample_document("private", release=FUTURE), token=token)

    def accessions(viewer):
        return api.get("/accessions", token=viewer).json()["_embedded"]["accessions"]

    assert accessions(token) == ["SAMEA1", "SAMEA2"]
    assert accessions(other_token) == ["SAMEA1"]
    assert accessions(None) == ["SAMEA1"]


def test_it_answers_an_empty_page_without_embedded(api):
    answer = api.get("/accessions").json()

    assert "_embedded" not in answer
    assert answer["page"] == {"size": 100, "totalElements": 0, "totalPages": 0, "number": 0}
