"""A curator's species words and new breeds are theirs until staff approve them for all."""

import pytest
from django.urls import reverse

from language.services import species_word_create
from uid.models import Animal, Breed, Country, Species, Submission
from uid.records import AnimalRecord
from uid.services.dictionaries import dictionaries_seed
from uid.services.loader import UnknownSpeciesWords, records_load
from uid.tests.factories import SuperUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.attack]


@pytest.fixture
def seeded():
    dictionaries_seed()


def submission_of(user) -> Submission:
    return Submission.objects.create(
        owner=user, title="sheep", gene_bank_name="Cryobank", datasource_type="cryoweb",
        gene_bank_country=Country.objects.get(label="Germany"), datasource_version="1",
    )  # fmt: skip


def load(user, *, species="Sheep", breed="Ostfriesisches Milchschaf", n=2):
    records = [
        AnimalRecord(name=f"ewe-{i}", breed=breed, species=species, country="Germany",
                     sex="female")
        for i in range(n)
    ]  # fmt: skip
    submission = submission_of(user)
    records_load(submission=submission, records=records)
    return submission


def staff_action(client, model: str, action: str, pks: list[int]):
    client.force_login(SuperUserFactory())
    return client.post(
        reverse(f"admin:{model.replace('.', '_')}_changelist"),
        {"action": action, "_selected_action": pks},
        follow=True,
    )


@pytest.mark.usefixtures("seeded")
def test_a_curators_species_word_serves_them_alone_until_staff_approve_it(client, alice, outsider):
    sheep = Species.objects.get(taxon_id=9940)
    word = species_word_create(word="Schafi", language="de", species=sheep, user=alice)
    assert not word.approved

    with pytest.raises(UnknownSpeciesWords):  # Mallory's file is not read with Alice's word
        load(outsider, species="Schafi")
    load(alice, species="Schafi")  # Alice's own file is
    load(alice, species="schafi ")
    word.refresh_from_db()
    assert word.times_used == 2

    queue = staff_action(client, "language.speciesword", "approve", [word.pk])
    assert "1 word(s) approved for every curator." in queue.content.decode()

    submission = load(outsider, species="Schafi")
    assert Animal.objects.filter(submission=submission, species=sheep).count() == 2


@pytest.mark.usefixtures("seeded")
def test_the_admin_queue_shows_who_proposed_a_word_and_how_often_it_served(client, alice):
    sheep = Species.objects.get(taxon_id=9940)
    species_word_create(word="Schafi", language="de", species=sheep, user=alice)
    load(alice, species="Schafi")
    client.force_login(SuperUserFactory())

    page = client.get(reverse("admin:language_speciesword_changelist") + "?approved__exact=0")

    row = page.content.decode().split(">Schafi</a>")[1].split("</tr>")[0]
    assert "alice" in row and ">1<" in row


@pytest.mark.usefixtures("seeded")
def test_a_breed_an_import_brings_is_its_curators_until_confirmed(client, alice, outsider):
    load(alice, breed="Rhönschaf")
    alices = Breed.objects.get(supplied_breed="Rhönschaf")
    assert alices.proposed_by == alice

    load(outsider, breed="rhönschaf")  # Mallory's import does not link to Alice's breed
    mallorys = Breed.objects.exclude(pk=alices.pk).get(supplied_breed__iexact="rhönschaf")
    assert mallorys.proposed_by == outsider
    assert not Animal.objects.filter(breed=alices).exclude(owner=alice).exists()

    client.force_login(SuperUserFactory())
    listed = client.get(reverse("admin:uid_breed_changelist") + "?state=proposed").content
    assert b"Rh\xc3\xb6nschaf" in listed and b"alice" in listed and b"mallory" in listed

    answer = staff_action(client, "uid.breed", "confirm", [alices.pk, mallorys.pk]).content
    assert "1 breed(s) confirmed for every curator." in answer.decode()
    assert "has a shared row of that name already" in answer.decode()
    alices.refresh_from_db()
    assert alices.proposed_by is None

    carol = alice.__class__.objects.create_user("carol")
    load(carol, breed="RHÖNSCHAF")  # everyone's imports now use the confirmed breed
    assert Animal.objects.filter(owner=carol, breed=alices).count() == 2
    assert Breed.objects.filter(supplied_breed__iexact="rhönschaf").count() == 2


@pytest.mark.usefixtures("seeded")
def test_a_curator_is_offered_confirmed_breeds_and_their_own_proposals(alice, outsider):
    from uid.selectors import breeds_for_user

    load(alice, breed="Rhönschaf")
    load(outsider, breed="Coburger Fuchsschaf")

    offered = set(breeds_for_user(user=alice).values_list("supplied_breed", flat=True))

    assert "Rhönschaf" in offered and "Coburger Fuchsschaf" not in offered
