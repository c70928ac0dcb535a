"""/api/v1/submissions/{id}/animals/ and /samples/: paginated, filtered, no N+1."""

import pytest
from rest_framework.test import APIClient

from accounts.tokens import token_create
from uid.models import Status
from uid.tests.factories import (
    AnimalFactory,
    BreedFactory,
    CountryFactory,
    DevelopmentalStageFactory,
    OrganismPartFactory,
    PublicationFactory,
    SampleFactory,
    SexFactory,
    SpeciesFactory,
    SubmissionFactory,
)


def client_for(user) -> APIClient:
    api = APIClient()
    _, key = token_create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def api(alice):
    return client_for(alice)


@pytest.fixture
def herd(alice):
    """A family of sheep with samples, in one submission of Alice's."""
    submission = SubmissionFactory(owner=alice, gene_bank_country=CountryFactory(label="Germany"))
    sheep = SpeciesFactory(label="Ovis aries", taxon_id=9940)
    breed = BreedFactory(
        supplied_breed="Merinolandschaf", species=sheep, country=submission.gene_bank_country
    )
    male, female = SexFactory(label="male"), SexFactory(label="female")
    common = dict(submission=submission, species=sheep, breed=breed)
    sire = AnimalFactory(name="sire", sex=male, alternative_id="DE-001", **common)
    dam = AnimalFactory(name="dam", sex=female, **common)
    child = AnimalFactory(
        name="lamb",
        sex=female,
        father=sire,
        mother=dam,
        birth_date="2020-03",
        birth_location="Hof Sonnenschein",
        birth_location_latitude=52.5,
        birth_location_longitude=13.4,
        birth_location_accuracy="unknown accuracy level",
        status=Status.NEED_REVISION,
        publication=PublicationFactory(doi="10.1000/sheep"),
        **common,
    )
    semen = OrganismPartFactory(label="semen")
    SampleFactory(
        submission=submission,
        animal=sire,
        name="straw-1",
        organism_part=semen,
        collection_date="2019-04-01",
        storage="frozen, liquid nitrogen",
        developmental_stage=DevelopmentalStageFactory(label="adult"),
        animal_age_at_collection=4,
        animal_age_at_collection_unit="years",
    )
    SampleFactory(submission=submission, animal=sire, name="straw-2", organism_part=semen)
    SampleFactory(
        submission=submission, animal=child, name="blood-1", status=Status.READY, accession=None
    )
    return submission


def animals_url(submission) -> str:
    return f"/api/v1/submissions/{submission.pk}/animals/"


def samples_url(submission) -> str:
    return f"/api/v1/submissions/{submission.pk}/samples/"


def test_it_lists_animals_with_parents_and_terms_by_name(api, herd):
    body = api.get(animals_url(herd)).json()

    assert body["count"] == 3 and body["next"] is None and body["previous"] is None
    assert [a["name"] for a in body["results"]] == ["dam", "lamb", "sire"]
    lamb = body["results"][1]
    assert lamb["father"] == "sire" and lamb["mother"] == "dam"
    assert lamb["breed"] == "Merinolandschaf" and lamb["species"] == "Ovis aries"
    assert lamb["sex"] == "female" and lamb["birth_date"] == "2020-03"
    assert lamb["birth_location"] == "Hof Sonnenschein"
    assert lamb["birth_location_latitude"] == 52.5 and lamb["birth_location_longitude"] == 13.4
    assert lamb["birth_location_accuracy"] == "unknown accuracy level"
    assert lamb["status"] == "need_revision" and lamb["status_label"] == "Need revision"
    assert lamb["publication"] == "10.1000/sheep" and lamb["accession"] is None
    assert body["results"][0]["father"] is None


def test_it_lists_samples_with_their_animal_by_name(api, herd):
    body = api.get(samples_url(herd)).json()

    assert [s["name"] for s in body["results"]] == ["blood-1", "straw-1", "straw-2"]
    straw = body["results"][1]
    assert straw["animal"] == "sire" and straw["organism_part"] == "semen"
    assert straw["collection_date"] == "2019-04-01"
    assert straw["developmental_stage"] == "adult" and straw["physiological_stage"] is None
    assert straw["storage"] == "frozen, liquid nitrogen"
    assert (
        straw["animal_age_at_collection"] == 4 and straw["animal_age_at_collection_unit"] == "years"
    )


def test_it_filters_by_status(api, herd):
    body = api.get(animals_url(herd), {"status": "need_revision"}).json()
    assert [a["name"] for a in body["results"]] == ["lamb"]
    body = api.get(samples_url(herd), {"status": "ready"}).json()
    assert [s["name"] for s in body["results"]] == ["blood-1"]


def test_it_refuses_an_unknown_status(api, herd):
    response = api.get(animals_url(herd), {"status": "lost"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_it_searches_names_and_alternative_ids(api, herd):
    assert [a["name"] for a in api.get(animals_url(herd), {"search": "AM"}).json()["results"]] == [
        "dam", "lamb",
    ]  # fmt: skip
    assert [
        a["name"] for a in api.get(animals_url(herd), {"search": "de-0"}).json()["results"]
    ] == ["sire"]
    assert api.get(samples_url(herd), {"search": "straw"}).json()["count"] == 2


def test_it_filters_samples_by_animal(api, herd):
    body = api.get(samples_url(herd), {"animal": "lamb"}).json()
    assert [s["name"] for s in body["results"]] == ["blood-1"]


def test_it_sorts(api, herd):
    body = api.get(animals_url(herd), {"ordering": "-name"}).json()
    assert [a["name"] for a in body["results"]] == ["sire", "lamb", "dam"]


def test_it_paginates(api, herd):
    page = api.get(animals_url(herd), {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2
    assert page["next"].endswith("/animals/?page=2&page_size=2")
    last = api.get(page["next"]).json()
    assert [a["name"] for a in last["results"]] == ["sire"] and last["previous"]


def test_it_shows_only_the_records_of_that_submission(api, alice, herd):
    AnimalFactory(submission=SubmissionFactory(owner=alice), name="elsewhere")
    names = [a["name"] for a in api.get(animals_url(herd)).json()["results"]]
    assert "elsewhere" not in names


def test_it_reads_many_animals_in_a_constant_number_of_queries(
    api, herd, django_assert_max_num_queries
):
    sire = herd.animals.get(name="sire")
    dam = herd.animals.get(name="dam")
    for n in range(30):
        AnimalFactory(submission=herd, name=f"kid-{n}", father=sire, mother=dam,
                      species=sire.species, breed=sire.breed)  # fmt: skip
    api.get(animals_url(herd))  # the token's first use of the minute notes it (one query)
    # token, submission, count, page, the submission's validation (none yet)
    with django_assert_max_num_queries(5):
        body = api.get(animals_url(herd)).json()
    assert body["count"] == 33


def test_it_reads_many_samples_in_a_constant_number_of_queries(
    api, herd, django_assert_max_num_queries
):
    sire = herd.animals.get(name="sire")
    part = OrganismPartFactory(label="blood")
    for n in range(30):
        SampleFactory(submission=herd, animal=sire, name=f"tube-{n}", organism_part=part)
    api.get(samples_url(herd))  # the token's first use of the minute notes it (one query)
    with django_assert_max_num_queries(5):
        body = api.get(samples_url(herd)).json()
    assert body["count"] == 33


@pytest.mark.parametrize("url", [animals_url, samples_url])
def test_an_outsider_gets_404(outsider, herd, url):
    assert client_for(outsider).get(url(herd)).status_code == 404


@pytest.mark.parametrize("url", [animals_url, samples_url])
def test_an_unknown_submission_gets_404(api, herd, url):
    herd.pk += 1000
    assert api.get(url(herd)).status_code == 404
