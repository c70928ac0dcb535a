"""Django admin of the term table: staff search, edit, import and export terms."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from uid.tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory
from validation.models import OntologyTerm
from validation.services import terms_seed

pytestmark = pytest.mark.django_db


def _url(view: str, *args) -> str:
    return reverse(f"admin:validation_ontologyterm_{view}", args=args)


@pytest.fixture
def keeper(client):
    """Staff with the permissions to keep the term table."""
    user = StaffUserFactory(username="keeper")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_ontologyterm", "change_ontologyterm", "view_ontologyterm"]
        )
    )
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return user


def _format_choice(page, name: str) -> str:
    choices = page.context["form"].fields["format"].choices
    return {label.upper(): value for value, label in choices}[name]


def test_it_finds_a_term_by_a_synonym(client, keeper):
    terms_seed()

    page = client.get(_url("changelist"), {"q": "hair"})

    assert page.status_code == 200
    assert [term.id for term in page.context["cl"].result_list] == ["UBERON_0001037"]


def test_it_lets_staff_add_a_term(client, keeper):
    response = client.post(
        _url("add"),
        {
            "id": "LBO_0000999",
            "iri": "http://purl.obolibrary.org/obo/LBO_0000999",
            "label": "Cinta Senese",
            "synonyms": '["Cinta"]',
            "ancestors": '["LBO_0000003", "LBO_0000000"]',
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    term = OntologyTerm.objects.get(id="LBO_0000999")
    assert (term.synonyms, term.ancestors) == (["Cinta"], ["LBO_0000003", "LBO_0000000"])


def test_it_refuses_ancestors_that_are_not_term_ids(client, keeper):
    response = client.post(
        _url("add"),
        {
            "id": "LBO_0000999",
            "iri": "http://purl.obolibrary.org/obo/LBO_0000999",
            "label": "Cinta Senese",
            "synonyms": "[]",
            "ancestors": '["pig breed"]',
        },
    )

    assert response.status_code == 200
    assert "Ancestors are a JSON list of term ids" in response.content.decode()
    assert not OntologyTerm.objects.exists()


def test_it_exports_terms_with_their_lists_as_json(client, keeper):
    terms_seed()
    page = client.get(_url("export"))
    form = page.context["form"]
    data = {"format": _format_choice(page, "CSV"), "resource": "0"}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )

    exported = client.post(_url("export"), data)

    assert exported.status_code == 200
    rows = {
        row["id"]: row for row in csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    }
    assert rows["UBERON_0001037"]["label"] == "strand of hair"
    assert json.loads(rows["UBERON_0001037"]["synonyms"]) == ["hair"]
    assert "UBERON_0001062" in json.loads(rows["UBERON_0001037"]["ancestors"])


def test_it_imports_terms_from_a_csv_file(client, keeper):
    upload = io.BytesIO(
        b"id,iri,label,synonyms,ancestors,obsolete\n"
        b"LBO_0000999,http://purl.obolibrary.org/obo/LBO_0000999,Cinta Senese,,"
        b'"[""LBO_0000003""]",0\n'
    )
    upload.name = "terms.csv"
    page = client.get(_url("import"))

    preview = client.post(
        _url("import"),
        {"import_file": upload, "format": _format_choice(page, "CSV"), "resource": "0"},
    )
    assert preview.status_code == 200
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    done = client.post(_url("process_import"), preview.context["confirm_form"].initial)

    assert done.status_code == 302
    term = OntologyTerm.objects.get(id="LBO_0000999")
    assert (term.label, term.synonyms, term.ancestors) == ("Cinta Senese", [], ["LBO_0000003"])


def test_it_keeps_staff_without_permissions_out(client):
    user = StaffUserFactory()
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    assert client.get(_url("changelist")).status_code == 403
    assert client.get(_url("export")).status_code == 403
    assert client.get(_url("import")).status_code == 403


def test_it_gives_a_non_staff_user_no_admin(client):
    user = UserFactory()
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    response = client.get(_url("changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
