"""The batch pages: tick records in a table (or take all that match), choose a field and
its value, or see what a delete takes with it, and confirm."""

import pytest
from django.urls import reverse

from uid.models import Animal, Sample, TaskKind
from uid.services.tasks import task_queue
from uid.tests.test_batch import ids, pigs_imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def pigs(alice):
    return pigs_imported(alice)


def batch_url(submission, kind="samples") -> str:
    return reverse(f"uid:submission_{kind}_batch", args=[submission.pk])


def test_the_table_ticks_belong_to_the_batch_form(client, alice, pigs):
    client.force_login(alice)
    page = client.get(reverse("uid:submission_samples", args=[pigs.pk])).content.decode()
    assert 'id="batch-form"' in page
    assert page.count('name="ids"') == 3 and 'form="batch-form"' in page
    assert "all 3 samples" in page


def test_it_sets_a_field_in_three_steps(client, alice, pigs):
    client.force_login(alice)
    chosen = {"action": "set", "ids": ids(Sample, "straw-1", "straw-2")}

    page = client.post(batch_url(pigs), chosen).content.decode()
    assert "Change 2 samples" in page and "Sample storage" in page

    page = client.post(batch_url(pigs), chosen | {"field": "storage"}).content.decode()
    assert 'name="value"' in page and "frozen, liquid nitrogen" in page

    value = "frozen, -80 degrees Celsius freezer"
    response = client.post(
        batch_url(pigs), chosen | {"field": "storage", "value": value, "apply": "1"}, follow=True
    )
    assert "Set Sample storage on 2 samples." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("uid:submission_samples", args=[pigs.pk])
    assert Sample.objects.get(name="straw-2").storage == "frozen, -80 degrees Celsius freezer"


def test_a_refused_value_is_shown_on_its_input(client, alice, pigs):
    client.force_login(alice)
    data = {"action": "set", "scope": "all", "query": "", "field": "birth_date",
            "value": "2020-02-30", "apply": "1"}  # fmt: skip
    page = client.post(batch_url(pigs, "animals"), data).content.decode()
    assert "&#x27;2020-02-30&#x27; is not a date" in page
    assert not Animal.objects.exclude(birth_date="").exists()


def test_all_that_match_takes_the_tables_filters(client, alice, pigs):
    client.force_login(alice)
    data = {"action": "set", "scope": "all", "query": "search=straw", "field": "description",
            "value": "semen straw", "apply": "1"}  # fmt: skip
    response = client.post(batch_url(pigs), data)
    assert response.url == reverse("uid:submission_samples", args=[pigs.pk]) + "?search=straw"
    described = dict(Sample.objects.values_list("name", "description"))
    assert described == {"straw-1": "semen straw", "straw-2": "semen straw", "hair-1": ""}


def test_the_delete_page_counts_what_goes_with_the_animals(client, alice, pigs):
    client.force_login(alice)
    chosen = {"action": "delete", "ids": ids(Animal, "boar")}

    page = client.post(batch_url(pigs, "animals"), chosen).content.decode()
    consequences = page.split('data-testid="consequences"')[1].split("</ul>")[0]
    assert "1 animal will be deleted" in consequences
    assert "2 samples of these animals will be deleted with them" in consequences
    assert "1 other animal will lose its father or mother" in consequences
    assert "Delete 1 animal and 2 samples" in page
    assert Animal.objects.filter(name="boar").exists()  # nothing yet

    response = client.post(batch_url(pigs, "animals"), chosen | {"apply": "1"}, follow=True)
    assert "Deleted 1 animal and their 2 samples." in response.content.decode()
    assert not Animal.objects.filter(name="boar").exists()


def test_the_delete_page_says_why_records_in_biosamples_stay(client, alice, pigs):
    Animal.objects.filter(name="sow").update(accession="SAMEA7")
    client.force_login(alice)
    page = client.post(batch_url(pigs, "animals"), {"action": "delete", "ids": ids(Animal, "sow")})
    text = page.content.decode()
    assert "1 of the chosen is kept: 1 has a BioSamples accession" in text
    assert "Nothing of what you chose can be deleted" in text and "batch-apply" not in text


def test_nothing_ticked_sends_the_curator_back_with_a_message(client, alice, pigs):
    client.force_login(alice)
    response = client.post(batch_url(pigs), {"action": "delete", "query": "status=loaded"},
                           follow=True)  # fmt: skip
    assert "Tick the samples to change first" in response.content.decode()
    assert Sample.objects.count() == 3


def test_it_is_refused_while_a_task_works(client, alice, pigs):
    task_queue(submission=pigs, kind=TaskKind.VALIDATE, user=alice)
    client.force_login(alice)
    table = client.get(reverse("uid:submission_samples", args=[pigs.pk])).content.decode()
    assert 'data-testid="batch-busy"' in table and 'data-testid="batch-delete"' not in table
    data = {"action": "delete", "scope": "all", "query": "", "apply": "1"}
    response = client.post(batch_url(pigs), data, follow=True)
    assert "is working on this submission" in response.content.decode()
    assert Sample.objects.count() == 3


def test_an_outsider_gets_404(client, outsider, pigs):
    client.force_login(outsider)
    for kind in ("animals", "samples"):
        data = {"action": "delete", "scope": "all", "query": "", "apply": "1"}
        assert client.post(batch_url(pigs, kind), data).status_code == 404
    assert Sample.objects.count() == 3


def test_it_answers_only_post(client, alice, pigs):
    client.force_login(alice)
    assert client.get(batch_url(pigs)).status_code == 405
