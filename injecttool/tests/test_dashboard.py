"""The dashboard: the user's own submissions, animals and samples counted by status."""

import re

import pytest
from django.urls import reverse

from uid.models import Status
from uid.tests.factories import AnimalFactory, SampleFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def counts_on(page: str) -> dict[tuple[str, str], int]:
    rows = re.findall(r'data-kind="(\w+)" data-status="(\w+)" data-count="(\d+)"', page)
    return {(kind, status): int(count) for kind, status, count in rows}


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('dashboard')}"


def test_it_explains_the_empty_state_to_a_new_user(client, alice):
    client.force_login(alice)

    page = client.get(reverse("dashboard")).content.decode()

    assert 'data-testid="dashboard-empty"' in page
    assert "You have no submissions yet." in page
    assert set(counts_on(page).values()) == {0}
    # Every status of submissions; of records, all but "No records" (a record never is).
    assert len(counts_on(page)) == 3 * len(Status.choices) - 2


def test_it_counts_only_the_users_own_records(client, alice, outsider):
    mine = SubmissionFactory(owner=alice, status=Status.READY)
    SubmissionFactory(owner=alice, status=Status.LOADED)
    animal = AnimalFactory(submission=mine, status=Status.READY)
    AnimalFactory(submission=mine, status=Status.NEED_REVISION)
    SampleFactory(submission=mine, animal=animal, status=Status.COMPLETED)
    theirs = SubmissionFactory(owner=outsider, status=Status.READY)
    AnimalFactory.create_batch(3, submission=theirs, status=Status.READY)
    SampleFactory.create_batch(2, submission=theirs, status=Status.COMPLETED)
    client.force_login(alice)

    page = client.get(reverse("dashboard")).content.decode()

    nonzero = {key: n for key, n in counts_on(page).items() if n}
    assert nonzero == {
        ("submissions", "ready"): 1,
        ("submissions", "loaded"): 1,
        ("animals", "ready"): 1,
        ("animals", "need_revision"): 1,
        ("samples", "completed"): 1,
    }
    assert 'data-testid="dashboard-empty"' not in page
    assert re.search(r'data-testid="total-animals">2<', page)


def test_it_counts_with_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    submission = SubmissionFactory(owner=alice)
    AnimalFactory.create_batch(5, submission=submission)
    client.force_login(alice)

    # session, user, three counts by status, and the charts' species and breeds
    with django_assert_max_num_queries(8):
        client.get(reverse("dashboard"))


def test_its_charts_count_the_owners_animals_by_status_species_and_breed(client, alice, outsider):
    from uid.models import Breed
    from uid.tests.factories import BreedFactory, SpeciesFactory

    mine = SubmissionFactory(owner=alice)
    first = AnimalFactory(submission=mine)
    AnimalFactory.create_batch(2, submission=mine, breed=first.breed, species=first.species,
                               status=Status.READY)  # fmt: skip
    sheep = SpeciesFactory(label="Ovis aries")
    AnimalFactory(submission=mine, species=sheep, breed=BreedFactory(species=sheep))
    AnimalFactory(submission=SubmissionFactory(owner=outsider), species=sheep)  # not hers
    client.force_login(alice)

    charts = client.get(reverse("dashboard")).context["charts"]

    assert charts["status"]["labels"] == ["Loaded", "Ready"]
    assert charts["status"]["animals"] == [2, 2]
    assert charts["species"] == {"labels": [first.species.label, "Ovis aries"], "counts": [3, 1]}
    assert charts["breed"]["counts"] == [3, 1]
    assert charts["breed"]["labels"][0] == Breed.objects.get(pk=first.breed_id).supplied_breed
