"""PUT /biosamples/samples/{accession}: a full replace by the original submitter only."""

from .documents import sample_document

NOT_THE_SUBMITTER = (
    "This sample is permitted to be updated only by the original submitter. "
    "Please contact the BioSamples Helpdesk at biosamples@ebi.ac.uk for more information"
)


def _stored(api, token, name="IMAGEA1", **changes):
    return api.post(sample_document(name, **changes), token=token).json()


def test_it_replaces_the_whole_sample(api, token, emulator):
    before = _stored(api, token)
    emulator.clock_advance(60)
    document = sample_document("IMAGEA1", accession=before["accession"])
    del document["characteristics"]["Supplied breed"]
    document["characteristics"]["sex"] = [{"text": "male"}]

    answer = api.put(before["accession"], document, token=token)

    assert answer.status_code == 200
    after = answer.json()
    assert "Supplied breed" not in after["characteristics"]
    assert after["characteristics"]["sex"] == [{"text": "male"}]
    assert after["characteristics"]["SRA accession"] == [{"text": before["sraAccession"]}]
    assert after["sraAccession"] == before["sraAccession"]
    assert after["create"] == before["create"] and after["submitted"] == before["submitted"]
    assert after["update"] > before["update"]
    assert (
        api.get(f"/samples/{before['accession']}").json()["characteristics"]
        == after["characteristics"]
    )


def test_it_makes_a_sample_private_with_a_release_in_the_future(api, token):
    before = _stored(api, token)

    after = api.put(
        before["accession"],
        sample_document(accession=before["accession"], release="2999-01-01T00:00:00Z"),
        token=token,
    ).json()

    assert after["status"] == "PRIVATE"
    assert api.get(f"/samples/{before['accession']}").status_code == 403


def test_it_answers_401_unauthorized_submitter_without_a_valid_token(api, token, emulator):
    accession = _stored(api, token)["accession"]
    expired = emulator.token_issue("Webin-40001", lifetime=-1)

    for attempt in (None, expired):
        answer = api.put(accession, sample_document(accession=accession), token=attempt)

        assert answer.status_code == 401
        assert answer.json()["message"] == "Unauthorized submitter"


def test_it_wants_the_urls_accession_in_the_body(api, token):
    accession = _stored(api, token)["accession"]

    for document in (sample_document(), sample_document(accession="SAMEA999")):
        answer = api.put(accession, document, token=token)

        assert answer.status_code == 400
        assert answer.json()["message"] == "Sample accession must match URL accession"


def test_it_refuses_an_accession_it_does_not_hold(api, token):
    answer = api.put("SAMEA999", sample_document(accession="SAMEA999"), token=token)

    assert answer.status_code == 400
    assert answer.json()["message"] == "Sample accession does not exist"


def test_it_lets_only_the_original_submitter_update(api, token, other_token):
    accession = _stored(api, token)["accession"]

    answer = api.put(
        accession, sample_document("taken over", accession=accession), token=other_token
    )

    assert answer.status_code == 403
    assert answer.json()["message"] == NOT_THE_SUBMITTER
    assert api.get(f"/samples/{accession}").json()["name"] == "IMAGEA1"


def test_it_checks_ownership_before_the_document(api, token, other_token):
    accession = _stored(api, token)["accession"]
    document = sample_document(accession=accession)
    del document["characteristics"]["organism"]

    assert api.put(accession, document, token=other_token).status_code == 403


def test_it_runs_the_checks_of_a_post_after(api, token):
    accession = _stored(api, token)["accession"]
    no_organism = sample_document(accession=accession)
    del no_organism["characteristics"]["organism"]
    no_release = sample_document(accession=accession)
    del no_release["release"]

    assert api.put(accession, no_organism, token=token).json() == [
        {"dataPath": ".characteristics", "errors": ["should have required property 'organism'"]}
    ]
    assert api.put(accession, no_release, token=token).json()["message"] == (
        "Must provide release date in format YYYY-MM-DDTHH:MM:SS"
    )


def test_it_refuses_a_changed_sra_accession(api, token):
    accession = _stored(api, token)["accession"]

    answer = api.put(
        accession, sample_document(accession=accession, sraAccession="ERS77"), token=token
    )

    assert answer.status_code == 400
    assert answer.json()["message"].startswith("SRA accession cannot be changed")
