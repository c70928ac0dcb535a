"""The look-up behind parent and animal fields: the submission's animals by name or
alternative id, the owner's animals in BioSamples by accession; never another owner's."""

import pytest
from django.urls import reverse

from excel.tests.workbooks import pig, simple_workbook
from uid.models import Animal
from uid.tests.test_batch import pigs_imported
from uid.tests.test_record_exports import imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def pigs(alice):
    return pigs_imported(alice)


def lookup(client, submission, **params):
    url = reverse("uid:submission_animal_lookup", args=[submission.pk])
    return client.get(url, params)


def test_it_finds_the_submissions_animals_by_name_with_the_asked_sex_first(client, alice, pigs):
    client.force_login(alice)
    found = lookup(client, pigs, q="o", sex="female").json()["results"]
    assert [item["value"] for item in found] == ["sow", "boar"]
    assert found[0]["text"] == "sow (alt-sow) · female · Bunte Bentheimer"


def test_it_finds_the_owners_animals_in_biosamples_by_accession(client, alice, pigs):
    other = imported(alice, "older.xlsx", simple_workbook([pig("old boar")], []))
    Animal.objects.filter(submission=other).update(accession="SAMEA555")
    client.force_login(alice)
    found = lookup(client, pigs, q="SAMEA5").json()["results"]
    assert found == [{"value": "SAMEA555", "text": found[0]["text"]}]
    assert "old boar" in found[0]["text"]


def test_it_never_offers_another_owners_animals(client, alice, outsider, pigs):
    theirs = imported(outsider, "theirs.xlsx", simple_workbook([pig("their boar")], []))
    Animal.objects.filter(submission=theirs).update(accession="SAMEA999")
    client.force_login(alice)
    assert lookup(client, pigs, q="SAMEA9").json()["results"] == []
    assert lookup(client, pigs, q="their").json()["results"] == []


def test_an_outsider_gets_404(client, outsider, pigs):
    client.force_login(outsider)
    assert lookup(client, pigs, q="b").status_code == 404


def test_the_record_form_asks_it(client, alice, pigs):
    client.force_login(alice)
    piglet = Animal.objects.get(name="piglet")
    page = client.get(reverse("uid:submission_animal", args=[pigs.pk, piglet.pk])).content.decode()
    assert f'data-lookup="/submissions/{pigs.pk}/animals/lookup/"' in page
    assert "data-searchable" in page and "tom-select.complete.min.js" in page
