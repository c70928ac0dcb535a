"""GET /biosamples/samples/{accession}: privacy and incoming relationships."""

from .conftest import OTHER_WEBIN
from .documents import FUTURE, family_posted, sample_document

PRIVATE = (
    "This sample is private and not available for browsing. If you think this is an error "
    "and/or you should have access please contact the BioSamples Helpdesk at "
    "biosamples@ebi.ac.uk"
)


def test_it_answers_404_with_an_empty_body_for_an_unknown_accession(api):
    answer = api.get("/samples/SAMEA424242")

    assert answer.status_code == 404 and answer.content == b""


def test_it_shows_a_public_sample_to_anyone(api, token, other_token):
    accession = api.post(sample_document(), token=token).json()["accession"]

    for viewer in (None, token, other_token, "broken"):
        answer = api.get(f"/samples/{accession}", token=viewer)
        assert answer.status_code == 200 and answer.json()["status"] == "PUBLIC"


def test_it_shows_a_private_sample_to_its_owner_only(api, token, other_token, emulator):
    accession = api.post(sample_document(release=FUTURE), token=token).json()["accession"]

    own = api.get(f"/samples/{accession}", token=token)
    assert own.status_code == 200 and own.json()["status"] == "PRIVATE"
    for viewer in (None, other_token, emulator.token_issue(OTHER_WEBIN, lifetime=-1)):
        answer = api.get(f"/samples/{accession}", token=viewer)

        assert answer.status_code == 403
        assert answer.json()["message"] == PRIVATE
        assert answer.json()["error"] == "Forbidden"


def test_it_treats_the_owners_expired_token_as_no_token(api, token, emulator):
    accession = api.post(sample_document(release=FUTURE), token=token).json()["accession"]
    expired = emulator.token_issue("Webin-40001", lifetime=-1)

    assert api.get(f"/samples/{accession}", token=expired).status_code == 403


def test_it_publishes_a_sample_when_its_release_passes(api, token, emulator):
    release = "2030-01-01T00:00:00Z"
    accession = api.post(sample_document(release=release), token=token).json()["accession"]
    assert api.get(f"/samples/{accession}").status_code == 403

    emulator.clock_advance(emulator_seconds_until(emulator, release) + 1)

    answer = api.get(f"/samples/{accession}")
    assert answer.status_code == 200 and answer.json()["status"] == "PUBLIC"


def emulator_seconds_until(emulator, instant: str) -> float:
    from biosample.emulator.checks import instant_parse

    return instant_parse(instant) - emulator.now()


def test_it_adds_incoming_relationships_after_the_samples_own(api, token):
    """As the recorded SAMEA6376992: its own, then other samples' towards it, by source."""
    posted = family_posted(api, token)
    animal, parent_a, parent_b = posted["animal"], posted["parent a"], posted["parent b"]
    early, specimen = posted["early"], posted["specimen"]

    relationships = api.get(f"/samples/{animal}").json()["relationships"]

    assert relationships == [
        {"source": animal, "type": "child of", "target": parent_a},
        {"source": animal, "type": "child of", "target": parent_b},
        {"source": early, "type": "child of", "target": animal},
        {"source": specimen, "type": "derived from", "target": animal},
    ]
    # Incoming relationships are shown, not stored: the animal's PUT does not carry them.
    assert api.get(f"/samples/{parent_a}").json()["relationships"] == [
        {"source": animal, "type": "child of", "target": parent_a}
    ]
