"""One record's page: what it holds and its import notes, and an edit form with the
import's own rules; a ready record needs revision once changed; not while a task works."""

import pytest
from django.urls import reverse

from excel.tests.workbooks import pig, sample, simple_workbook
from uid.models import Animal, Sample, Status, TaskKind
from uid.services.tasks import task_queue
from uid.tests.test_record_exports import imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def pigs(alice):
    workbook = simple_workbook(
        [pig("boar", Sex="M"), pig("sow", Sex="female"), pig("piglet", Sex="female")],
        [sample("straw-1", "boar", **{"Sample storage": "frozen"})],
    )
    return imported(alice, "pigs.xlsx", workbook)


def url(record, kind="animal") -> str:
    return reverse(f"uid:submission_{kind}", args=[record.submission_id, record.pk])


def form_of(client, record, kind="animal") -> dict:
    """The edit form's data as the page fills it."""
    form = client.get(url(record, kind)).context["form"]
    return {name: ("" if value is None else getattr(value, "pk", value))
            for name, value in ((f.name, f.value()) for f in form)}  # fmt: skip


def test_the_page_shows_what_the_import_noted(client, alice, pigs):
    client.force_login(alice)
    page = client.get(url(Animal.objects.get(name="boar"))).content.decode()
    assert 'data-testid="import-notes"' in page
    assert "the file said “M”, stored as “male”" in page
    page = client.get(url(Sample.objects.get(name="straw-1"), "sample")).content.decode()
    assert "“frozen” is kept as the file gives it" in page
    # The value kept as given stays selectable until the curator picks an IMAGE one.
    assert "frozen (not an IMAGE value)" in page


def test_the_owner_changes_an_animal_and_it_is_marked_edited(client, alice, pigs):
    client.force_login(alice)
    piglet = Animal.objects.get(name="piglet")
    data = form_of(client, piglet) | {"father": "boar", "mother": "sow", "birth_date": "2021-03"}

    response = client.post(url(piglet), data, follow=True)

    assert "“piglet” is saved." in response.content.decode()
    piglet.refresh_from_db()
    assert (piglet.father.name, piglet.mother.name, piglet.birth_date) == ("boar", "sow", "2021-03")
    assert piglet.edited_at is not None


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("birth_date", "17/01/1992", "is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"),
        ("birth_date", "2021-02-30", "is not a date"),
        ("birth_location_latitude", "91", "less than or equal to 90"),
        ("father", "nobody", "no animal &#x27;nobody&#x27; in this submission"),
        ("father", "piglet", "not its own parent"),
    ],
)
def test_it_refuses_what_the_import_refuses(client, alice, pigs, field, value, error):
    client.force_login(alice)
    piglet = Animal.objects.get(name="piglet")
    response = client.post(url(piglet), form_of(client, piglet) | {field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    piglet.refresh_from_db()
    assert piglet.edited_at is None


def test_a_sample_needs_a_unit_for_its_age_and_takes_an_image_storage(client, alice, pigs):
    client.force_login(alice)
    straw = Sample.objects.get(name="straw-1")
    data = form_of(client, straw, "sample") | {"animal_age_at_collection": "3"}
    assert "say the unit of this number" in client.post(url(straw, "sample"), data).content.decode()

    data |= {"animal_age_at_collection_unit": "years", "storage": "frozen, liquid nitrogen"}
    client.post(url(straw, "sample"), data)
    straw.refresh_from_db()
    assert (straw.animal_age_at_collection, straw.storage) == (3.0, "frozen, liquid nitrogen")


def test_a_ready_record_needs_revision_once_changed(client, alice, pigs):
    client.force_login(alice)
    sow = Animal.objects.get(name="sow")
    Animal.objects.filter(pk=sow.pk).update(status=Status.READY)

    response = client.post(
        url(sow), form_of(client, sow) | {"description": "from farm 7"}, follow=True
    )

    assert "It was ready; it now needs revision (validate it again)." in response.content.decode()
    sow.refresh_from_db()
    assert sow.status == Status.NEED_REVISION
    pigs.refresh_from_db()
    assert pigs.status == Status.NEED_REVISION


def test_no_change_while_a_task_works_on_the_submission(client, alice, pigs):
    client.force_login(alice)
    sow = Animal.objects.get(name="sow")
    data = form_of(client, sow) | {"description": "late"}
    task_queue(submission=pigs, kind=TaskKind.VALIDATE, user=alice)

    page = client.get(url(sow)).content.decode()
    assert 'data-testid="record-busy"' in page and "<fieldset disabled>" in page
    response = client.post(url(sow), data, follow=True)
    assert "a task (validation) is working on this submission" in response.content.decode()
    sow.refresh_from_db()
    assert sow.description == ""


@pytest.mark.attack
def test_an_outsider_gets_404(client, outsider, pigs):
    client.force_login(outsider)
    sow = Animal.objects.get(name="sow")
    assert client.get(url(sow)).status_code == 404
    assert client.post(url(sow), {"description": "x"}).status_code == 404
    straw = Sample.objects.get(name="straw-1")
    assert client.get(url(straw, "sample")).status_code == 404
