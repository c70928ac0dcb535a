"""The emulator's samples next to samples recorded from BioSamples (../shared/fixtures)."""

import json

import pytest

from injecttool.testing.shared import shared_fixture

from .documents import family_posted, sample_document

# Kept by the server but not sent by us (AAP's domain is gone), or only in the emulator.
SERVER_ONLY = {"domain", "accession", "update", "create", "releaseDate", "updateDate", "_links"}


def _recorded(accession: str) -> dict:
    return json.loads(shared_fixture(f"biosamples/{accession}.json").read_text())


@pytest.mark.parametrize("accession", ["SAMEA6376980", "SAMEA6376982", "SAMEA6376679"])
def test_it_answers_a_recorded_sample_as_the_archive_did(api, token, accession):
    recorded = _recorded(accession)
    document = {
        key: recorded[key] for key in ("name", "release", "characteristics") if key in recorded
    }

    answer = api.post(document, token=token).json()

    assert answer["name"] == recorded["name"] and answer["release"] == recorded["release"]
    assert answer["taxId"] == recorded["taxId"]
    characteristics = dict(answer["characteristics"])
    assert characteristics.pop("SRA accession") == [{"text": answer["sraAccession"]}]
    assert characteristics == recorded["characteristics"]
    assert list(characteristics) == list(recorded["characteristics"])  # the server's order
    assert answer["releaseDate"] == recorded["releaseDate"]
    assert answer["submittedVia"] == recorded["submittedVia"]
    # Keys come in the recorded order (those both have).
    shared = [key for key in recorded if key in answer]
    assert [key for key in answer if key in recorded] == shared
    assert set(recorded["_links"]) - {"curationDomain"} == set(answer["_links"])


def test_it_orders_relationships_as_the_recorded_sample_does(api, token):
    """SAMEA6376992: its own two 'child of' first, then incoming ones by source."""
    recorded = _recorded("SAMEA6376992")["relationships"]
    mine = "SAMEA6376992"
    assert [r["source"] == mine for r in recorded] == [True, True, False, False]
    assert recorded[2]["source"] < mine  # an incoming source that sorts before it, after it

    posted = family_posted(api, token)
    animal, early, later = posted["animal"], posted["early"], posted["specimen"]

    answered = api.get(f"/samples/{animal}").json()["relationships"]

    assert [(r["source"], r["type"]) for r in answered] == [
        (animal, "child of"),
        (animal, "child of"),
        (early, "child of"),
        (later, "derived from"),
    ]


def test_it_accepts_and_refuses_as_the_recorded_checklist_does(api, token):
    """BSDC00001 (biosamples-minimal-BSDC00001.json) and the emulator agree."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_fixture("biosamples/biosamples-minimal-BSDC00001.json").read_text())
    organism = sample_document()["characteristics"]["organism"]
    cases = {
        "organism": {"organism": organism},
        "Organism": {"Organism": organism},
        "species": {"species": organism},
        "Species": {"Species": organism},
        "none": {"material": [{"text": "organism"}]},
        "empty text": {"organism": [{"text": ""}]},
        "no text": {"organism": [{"ontologyTerms": ["http://x"]}]},
        "lower-case only": {"ORGANISM": organism},
    }
    for case, characteristics in cases.items():
        document = sample_document(case, characteristics=characteristics)
        valid = jsonschema.Draft7Validator(schema).is_valid(document)

        answer = api.post(document, token=token)

        refused_by_checklist = answer.status_code == 400 and isinstance(answer.json(), list)
        assert refused_by_checklist is not valid, case
