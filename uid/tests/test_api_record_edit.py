"""GET and PATCH one record through the API, with the record page's rules."""

import pytest

from excel.tests.workbooks import pig, sample, simple_workbook
from injecttool.testing.tasks import import_loaded
from uid.models import Animal, Sample, Status, TaskKind
from uid.services.tasks import task_queue
from uid.tests.test_api_submissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pigs(alice):
    workbook = simple_workbook(
        [pig("boar", Sex="male"), pig("sow", Sex="female"), pig("piglet", Sex="female")],
        [sample("straw-1", "boar")],
    )
    return import_loaded(alice, kind="template", name="pigs.xlsx", content=workbook).submission


def test_the_owner_reads_and_changes_an_animal(alice, pigs):
    api = client_for(alice)
    piglet = Animal.objects.get(name="piglet")
    url = f"/api/v1/animals/{piglet.pk}/"
    assert api.get(url).json()["name"] == "piglet"

    response = api.patch(
        url, {"father": "boar", "mother": "sow", "birth_date": "2021-03", "sex": "MALE"},
        format="json",
    )  # fmt: skip

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["birth_date"], body["sex"]) == ("2021-03", "male")
    piglet.refresh_from_db()
    assert (piglet.father.name, piglet.mother.name) == ("boar", "sow")
    assert piglet.edited_at is not None


def test_bad_input_gets_400_with_errors_per_field(alice, pigs):
    api = client_for(alice)
    piglet = Animal.objects.get(name="piglet")
    response = api.patch(
        f"/api/v1/animals/{piglet.pk}/",
        {"birth_date": "17/01/1992", "birth_location_latitude": 91, "colour": "pink"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"colour": ["not a field that can be changed here"]}

    response = api.patch(
        f"/api/v1/animals/{piglet.pk}/",
        {"birth_date": "17/01/1992", "birth_location_latitude": 91},
        format="json",
    )
    errors = response.json()
    assert response.status_code == 400
    assert errors["birth_date"] == ["'17/01/1992' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"]
    assert "90" in errors["birth_location_latitude"][0]
    piglet.refresh_from_db()
    assert piglet.birth_date != "17/01/1992"


def test_a_sample_takes_dictionary_words_and_a_ready_one_needs_revision(alice, pigs):
    straw = Sample.objects.get(name="straw-1")
    Sample.objects.filter(pk=straw.pk).update(status=Status.READY)
    response = client_for(alice).patch(
        f"/api/v1/samples/{straw.pk}/",
        {"organism_part": "Semen", "storage": "frozen, liquid nitrogen"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "need_revision"
    assert response.json()["storage"] == "frozen, liquid nitrogen"


def test_no_change_while_a_task_works(alice, pigs):
    task_queue(submission=pigs, kind=TaskKind.VALIDATE, user=alice)
    sow = Animal.objects.get(name="sow")
    response = client_for(alice).patch(
        f"/api/v1/animals/{sow.pk}/", {"description": "x"}, format="json"
    )
    assert response.status_code == 409


@pytest.mark.attack
def test_an_outsider_gets_404(outsider, pigs):
    api = client_for(outsider)
    sow = Animal.objects.get(name="sow")
    straw = Sample.objects.get(name="straw-1")
    for url in (f"/api/v1/animals/{sow.pk}/", f"/api/v1/samples/{straw.pk}/"):
        assert api.get(url).status_code == 404
        assert api.patch(url, {"description": "x"}, format="json").status_code == 404
    sow.refresh_from_db()
    assert sow.description != "x"
