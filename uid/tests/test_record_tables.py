"""A submission's records in tables: search, filter, sort, page; the API's filters alike."""

import pytest
from django.urls import reverse

from uid.tests.factories import (
    AnimalFactory,
    BreedFactory,
    SampleFactory,
    SexFactory,
    SpeciesFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def herd(alice):
    """Six animals of two species and both sexes, one with an accession; two samples."""
    submission = SubmissionFactory(owner=alice, title="herd")
    goat = AnimalFactory(submission=submission, name="goat-1", alternative_id="FR-77")
    sheep_species = SpeciesFactory(label="Ovis aries")
    male = SexFactory(label="male", term="PATO_0000384")
    sheep_breed = BreedFactory(species=sheep_species, supplied_breed="Lacaune")
    for n in range(2, 6):
        AnimalFactory(
            submission=submission, name=f"sheep-{n}", species=sheep_species,
            breed=sheep_breed, sex=male if n % 2 else goat.sex,
        )  # fmt: skip
    AnimalFactory(submission=submission, name="goat-9", accession="SAMEA900")
    SampleFactory(submission=submission, animal=goat, name="straw-1")
    SampleFactory(submission=submission, animal=goat, name="straw-2")
    return submission, goat, sheep_species, male


def names(page: str) -> list[str]:
    body = page.split('data-testid="records"')[1]
    cells = body.split('<td class="text-break">')[1:]
    # Each name links to its record's page.
    return [cell.split("</a>")[0].rsplit(">", 1)[-1] for cell in cells]


def get(client, submission, kind="animals", **query) -> str:
    url = reverse(f"uid:submission_{kind}", args=[submission.pk])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_owner_sees_the_animals_and_searches_them(client, alice, herd):
    submission, goat, _, _ = herd
    client.force_login(alice)

    assert len(names(get(client, submission))) == 6
    assert names(get(client, submission, search="fr-77")) == ["goat-1"]  # alternative id
    page = get(client, submission, search="sheep")
    assert names(page) == ["sheep-2", "sheep-3", "sheep-4", "sheep-5"]
    assert "4 records match" in page


def test_it_filters_by_species_sex_status_and_accession(client, alice, herd):
    submission, goat, sheep, male = herd
    client.force_login(alice)

    assert names(get(client, submission, species=sheep.label.upper())) == [
        "sheep-2", "sheep-3", "sheep-4", "sheep-5"
    ]  # fmt: skip
    assert names(get(client, submission, species=sheep.label, sex=male.label)) == [
        "sheep-3", "sheep-5"
    ]  # fmt: skip
    assert names(get(client, submission, has_accession="true")) == ["goat-9"]
    assert len(names(get(client, submission, has_accession="false"))) == 5
    assert names(get(client, submission, status="ready")) == []
    # The filters offer the values the submission has.
    page = get(client, submission)
    assert f"<option>{sheep.label}</option>" in page and f"<option>{male.label}</option>" in page


def test_it_sorts_on_a_column_and_pages(client, alice, herd):
    submission, *_ = herd
    client.force_login(alice)

    assert names(get(client, submission, sort="-name"))[0] == "sheep-5"
    page = get(client, submission, per_page=25)
    assert "page 1 of 1" in page
    # A size that is not offered falls back to the first.
    assert "6 records" in get(client, submission, per_page=7)


def test_every_page_holds_the_right_records_in_order_filtered_or_not(client, alice):
    submission = SubmissionFactory(owner=alice)
    first = AnimalFactory(submission=submission, name="a-00")
    for n in range(1, 60):
        AnimalFactory(submission=submission, breed=first.breed, sex=first.sex,
                      name=f"a-{n:02d}", alternative_id="DE" if n % 2 else "FR")  # fmt: skip
    client.force_login(alice)

    last = get(client, submission, page=3)
    assert "60 records · page 3 of 3" in last
    assert names(last) == [f"a-{n:02d}" for n in range(50, 60)]
    backwards = get(client, submission, page=2, sort="-name")
    assert names(backwards) == [f"a-{n:02d}" for n in range(34, 9, -1)]
    # A filter counts what it finds (one pass with the page) and pages through it.
    found = get(client, submission, search="FR", page=2)
    assert "29 records match · page 2 of 2" in found
    assert names(found) == [f"a-{n:02d}" for n in range(52, 60, 2)]
    assert "0 records match" in get(client, submission, search="nowhere")
    # Past the last page: the last one.
    assert names(get(client, submission, search="FR", page=9)) == names(found)


def test_a_sort_with_ties_pages_every_record_once_from_either_end(client, alice):
    from uid.models import Animal

    # Pages past the middle are read from the end: with many equal values (two sexes for
    # 70 animals) the pages still meet, each record on exactly one page.
    submission = SubmissionFactory(owner=alice)
    first = AnimalFactory(submission=submission, name="a-00")
    male = SexFactory(label="male", term="PATO_0000384")
    for n in range(1, 70):
        AnimalFactory(submission=submission, breed=first.breed, name=f"a-{n:02d}",
                      sex=male if n % 3 else first.sex)  # fmt: skip
    client.force_login(alice)

    for sort in ("sex", "-sex"):
        pages = [names(get(client, submission, sort=sort, page=n)) for n in (1, 2, 3)]
        seen = [name for page in pages for name in page]
        assert sorted(seen) == [f"a-{n:02d}" for n in range(70)], sort
        sexes = dict(Animal.objects.filter(submission=submission).values_list("name", "sex__label"))
        labels = [sexes[name] for name in seen]
        assert labels == sorted(labels, reverse=sort.startswith("-")), sort


def test_the_counts_follow_every_insert_and_delete(alice, herd):
    from uid.models import Animal, RecordCount, Sample
    from uid.selectors import submission_record_counts

    submission, goat, *_ = herd
    assert submission_record_counts(submission=submission) == {"animals": 6, "samples": 2}
    straw = Sample.objects.get(name="straw-2")
    Sample.objects.bulk_create(
        [Sample(submission=submission, owner=alice, animal=goat, name=f"bulk-{n}",
                organism_part=straw.organism_part) for n in range(5)]
    )  # fmt: skip
    Sample.objects.filter(name="straw-1").delete()
    assert submission_record_counts(submission=submission) == {"animals": 6, "samples": 6}
    Animal.objects.filter(submission=submission, name__startswith="sheep").delete()
    assert submission_record_counts(submission=submission) == {"animals": 2, "samples": 6}
    other = SubmissionFactory(owner=alice)
    assert submission_record_counts(submission=other) == {"animals": 0, "samples": 0}
    Sample.objects.filter(submission=submission).delete()
    Animal.objects.filter(submission=submission, accession__isnull=True).delete()
    assert submission_record_counts(submission=submission) == {"animals": 1, "samples": 0}
    assert RecordCount.objects.get(submission=submission).animals == 1


def test_the_samples_table_filters_by_organism_part(client, alice, herd):
    submission, *_ = herd
    client.force_login(alice)
    page = get(client, submission, kind="samples")
    assert names(page) == ["straw-1", "straw-2"]
    part = page.split('data-testid="filter-organism_part"')[1].split("<option>")[1].split("<")[0]
    assert names(get(client, submission, kind="samples", organism_part=part)) == [
        "straw-1", "straw-2"
    ]  # fmt: skip
    assert names(get(client, submission, kind="samples", organism_part="liver-x")) == []


def test_a_page_takes_as_many_queries_for_500_rows_as_for_25(
    client, alice, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submission = SubmissionFactory(owner=alice)
    animal = AnimalFactory(submission=submission)
    AnimalFactory.create_batch(40, submission=submission, breed=animal.breed)
    client.force_login(alice)
    url = reverse("uid:submission_animals", args=[submission.pk])
    counts = []
    for size in (25, 500):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"per_page": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.attack
@pytest.mark.parametrize("kind", ["animals", "samples"])
def test_an_outsider_gets_404(client, outsider, herd, kind):
    submission, *_ = herd
    client.force_login(outsider)
    url = reverse(f"uid:submission_{kind}", args=[submission.pk])
    assert client.get(url).status_code == 404


def test_the_api_takes_the_same_filters(alice, herd):
    from uid.tests.test_api_submissions import client_for

    submission, goat, sheep, male = herd
    api = client_for(alice)
    url = f"/api/v1/submissions/{submission.pk}/animals/"

    def found(**query) -> list[str]:
        response = api.get(url, query)
        assert response.status_code == 200, response.content
        return [r["name"] for r in response.json()["results"]]

    assert found(species=sheep.label, sex=male.label) == ["sheep-3", "sheep-5"]
    assert found(has_accession="true") == ["goat-9"]
    assert found(ordering="-name")[0] == "sheep-5"
    assert found(search="FR-77") == ["goat-1"]
    assert found(breed=goat.breed.supplied_breed.lower())[:1] == ["goat-1"]
