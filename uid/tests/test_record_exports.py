"""A submission's records as CSV and as a filled IMAGE template that imports again."""

import csv
import io

import pytest
from django.urls import reverse

from excel.tests.workbooks import pig, sample, simple_workbook
from injecttool.testing.tasks import import_loaded
from uid.exports import records_for_export
from uid.models import Animal, Sample, Submission

pytestmark = pytest.mark.django_db


def imported(owner, name: str, content: bytes, kind: str = "template") -> Submission:
    return import_loaded(owner, kind=kind, name=name, content=content).submission


@pytest.fixture
def pigs(alice):
    workbook = simple_workbook(
        [
            pig("boar", Sex="male", **{"Animal description": "@SUM(1)"}),
            pig("sow", Sex="female"),
            pig("piglet", Sex="female", **{"Father id in data source": "boar",
                                            "Mother id in data source": "sow"}),
        ],
        [sample("straw-1", "boar"), sample("straw-2", "piglet")],
    )  # fmt: skip
    return imported(alice, "pigs.xlsx", workbook)


def rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_holds_the_records_the_filter_selects_formula_safe(client, alice, pigs):
    client.force_login(alice)
    url = reverse("uid:submission_animals_csv", args=[pigs.pk])

    everything = rows(client.get(url))
    assert [r["name"] for r in everything] == ["boar", "piglet", "sow"]
    assert {"species", "breed", "sex", "father", "mother", "status", "accession"} <= set(
        everything[0]
    )
    piglet = everything[1]
    assert (piglet["father"], piglet["mother"], piglet["status"]) == ("boar", "sow", "Loaded")
    # A text that a spreadsheet would run is written as text.
    assert everything[0]["description"] == "'@SUM(1)"

    assert [r["name"] for r in rows(client.get(url, {"search": "pig"}))] == ["piglet"]
    samples = rows(client.get(reverse("uid:submission_samples_csv", args=[pigs.pk])))
    assert [(r["name"], r["animal"]) for r in samples] == [
        ("straw-1", "boar"),
        ("straw-2", "piglet"),
    ]


def test_the_template_export_imports_again_as_the_same_records(client, alice, pigs):
    client.force_login(alice)
    response = client.get(reverse("excel:submission_template", args=[pigs.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="submission-{pigs.pk}.xlsx"'

    again = imported(alice, "again.xlsx", response.content)

    def records(submission):
        return records_for_export(
            submission_id=submission.pk,
            animals=Animal.objects.filter(submission=submission),
            samples=Sample.objects.filter(submission=submission),
        )

    assert records(again) == records(pigs)
    assert len(records(again)[0]) == 3 and len(records(again)[1]) == 2


def test_a_filtered_template_takes_what_its_records_need(client, alice, pigs):
    client.force_login(alice)
    url = reverse("excel:submission_template", args=[pigs.pk])
    response = client.get(url, {"kind": "samples", "search": "straw-2"})

    # straw-2's animal is the piglet, whose parents come along: the file imports whole.
    again = imported(alice, "part.xlsx", response.content)
    assert sorted(Animal.objects.filter(submission=again).values_list("name", flat=True)) == [
        "boar", "piglet", "sow"
    ]  # fmt: skip
    assert list(Sample.objects.filter(submission=again).values_list("name", flat=True)) == [
        "straw-2"
    ]


@pytest.mark.attack
@pytest.mark.parametrize(
    "name",
    ["uid:submission_animals_csv", "uid:submission_samples_csv", "excel:submission_template"],
)
def test_an_outsider_gets_404_for_every_export(client, outsider, pigs, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[pigs.pk])).status_code == 404


def test_the_api_exports_csv_and_the_filled_template(alice, pigs):
    from uid.tests.test_api_submissions import client_for

    api = client_for(alice)
    url = f"/api/v1/submissions/{pigs.pk}/export/"

    animals = api.get(url, {"type": "csv", "search": "pig"})
    assert animals.status_code == 200
    assert [r["name"] for r in csv.DictReader(io.StringIO(animals.content.decode()))] == ["piglet"]
    samples = api.get(url, {"type": "csv", "kind": "samples"})
    assert (
        samples["Content-Disposition"] == f'attachment; filename="submission-{pigs.pk}-samples.csv"'
    )
    book = api.get(url, {"type": "xlsx"})
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert api.get(url, {"type": "pdf"}).status_code == 400


@pytest.mark.attack
def test_an_outsider_gets_404_from_the_api_export(outsider, pigs):
    from uid.tests.test_api_submissions import client_for

    url = f"/api/v1/submissions/{pigs.pk}/export/"
    assert client_for(outsider).get(url, {"type": "csv"}).status_code == 404
