"""Django admin: staff edit, import and export the dictionaries; nobody else gets in."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from language.models import SpeciesWord
from uid.models import (
    Breed,
    Country,
    Organisation,
    OrganismPart,
    Publication,
    Role,
    Species,
)
from uid.services.dictionaries import dictionaries_seed
from uid.tests.factories import (
    DEFAULT_PASSWORD,
    BreedFactory,
    SampleFactory,
    StaffUserFactory,
    SuperUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DICTIONARY_MODELS = [
    "uid.ontology",
    "uid.country",
    "uid.species",
    "uid.breed",
    "uid.sex",
    "uid.organismpart",
    "uid.developmentalstage",
    "uid.physiologicalstage",
    "uid.role",
    "uid.organisation",
    "uid.publication",
    "language.countrylanguage",
    "language.speciesword",
]


def _url(model: str, view: str, *args) -> str:
    app_label, model_name = model.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def _grant(user, *codenames: str) -> None:
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


@pytest.fixture
def seeded():
    dictionaries_seed()


@pytest.fixture
def breed_curator(client):
    """Staff with the permissions to keep the breed table, and to look at species and countries."""
    user = StaffUserFactory(username="curator")
    _grant(
        user,
        "add_breed",
        "change_breed",
        "view_breed",
        "view_species",
        "view_country",
    )
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return user


def _export(client, model: str, file_format: str):
    """Ask the admin export view for every column of the table in CSV or XLSX."""
    page = client.get(_url(model, "export"))
    assert page.status_code == 200
    form = page.context["form"]
    choices = dict((label.upper(), value) for value, label in form.fields["format"].choices)
    data = {"format": choices[file_format], "resource": "0"}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )
    return client.post(_url(model, "export"), data)


@pytest.mark.usefixtures("seeded")
def test_it_lets_staff_add_a_breed_and_export_it_as_csv_and_xlsx(client, breed_curator):
    sheep = Species.objects.get(label="Ovis aries")
    germany = Country.objects.get(label="Germany")

    response = client.post(
        _url("uid.breed", "add"),
        {
            "supplied_breed": "Ostfriesisches Milchschaf",
            "mapped_breed": "East Friesian sheep",
            "mapped_breed_term": "",
            "confidence": "curated",
            "species": sheep.pk,
            "country": germany.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    breed = Breed.objects.get(supplied_breed="Ostfriesisches Milchschaf")
    assert (breed.species, breed.country) == (sheep, germany)

    exported = _export(client, "uid.breed", "CSV")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {
        "supplied_breed": "Ostfriesisches Milchschaf",
        "species": "Ovis aries",
        "country": "Germany",
    }.items() <= rows[0].items()

    exported = _export(client, "uid.breed", "XLSX")
    assert exported.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    header, *values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert dict(zip(header, values[0], strict=True))["supplied_breed"] == (
        "Ostfriesisches Milchschaf"
    )
    assert dict(zip(header, values[0], strict=True))["species"] == "Ovis aries"


@pytest.mark.usefixtures("seeded")
def test_it_lets_staff_import_breeds_from_a_csv_file(client, breed_curator):
    upload = io.BytesIO(
        b"supplied_breed,species,country,mapped_breed,mapped_breed_term,confidence\n"
        b"Aberdeen Angus,Bos taurus,Germany,Aberdeen Angus,,good\n"
    )
    upload.name = "breeds.csv"
    page = client.get(_url("uid.breed", "import"))
    choices = dict(
        (label.upper(), value) for value, label in page.context["form"].fields["format"].choices
    )

    preview = client.post(
        _url("uid.breed", "import"),
        {"import_file": upload, "format": choices["CSV"], "resource": "0"},
    )
    assert preview.status_code == 200
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    confirm = preview.context["confirm_form"]
    done = client.post(_url("uid.breed", "process_import"), confirm.initial)

    assert done.status_code == 302
    breed = Breed.objects.get(supplied_breed="Aberdeen Angus")
    assert (breed.species.label, breed.country.label) == ("Bos taurus", "Germany")


def test_it_keeps_staff_without_permissions_from_importing_and_exporting(client):
    user = StaffUserFactory()
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    assert client.get(_url("uid.breed", "export")).status_code == 403
    assert client.get(_url("uid.breed", "import")).status_code == 403
    assert client.get(_url("uid.breed", "changelist")).status_code == 403


def test_it_keeps_a_viewer_from_importing(client):
    user = StaffUserFactory()
    _grant(user, "view_breed")
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    assert client.get(_url("uid.breed", "changelist")).status_code == 200
    assert client.get(_url("uid.breed", "export")).status_code == 200
    assert client.get(_url("uid.breed", "import")).status_code == 403
    assert client.get(_url("uid.breed", "add")).status_code == 403


@pytest.mark.usefixtures("seeded")
def test_it_gives_a_non_staff_user_no_admin(client):
    user = UserFactory()
    # Even model permissions do not open the admin to a user who is not staff.
    _grant(user, "add_breed", "change_breed", "view_breed")
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    login = reverse("admin:login")

    for url in (
        reverse("admin:index"),
        _url("uid.breed", "changelist"),
        _url("uid.breed", "add"),
        _url("uid.breed", "export"),
        _url("uid.breed", "import"),
        _url("uid.country", "changelist"),
        _url("language.speciesword", "changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url

    response = client.post(
        _url("uid.breed", "add"),
        {
            "supplied_breed": "Intruder breed",
            "confidence": "good",
            "species": Species.objects.get(label="Ovis aries").pk,
            "country": Country.objects.get(label="Germany").pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(login)
    assert not Breed.objects.filter(supplied_breed="Intruder breed").exists()

    response = client.post(
        _url("uid.country", "change", Country.objects.get(label="Germany").pk),
        {"label": "Germany", "term": "NCIT_HACKED", "confidence": "good"},
    )
    assert response.status_code == 302
    assert Country.objects.get(label="Germany").term == "NCIT_C16636"


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get(_url("uid.breed", "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("model", DICTIONARY_MODELS)
def test_it_lists_searches_and_filters_every_dictionary(client, model):
    BreedFactory(
        supplied_breed="Bentheimer Landschaf",
        species=Species.objects.get(label="Ovis aries"),
        country=Country.objects.get(label="Germany"),
    )
    Organisation.objects.create(name="Example institute", country=Country.objects.first())
    Publication.objects.create(doi="10.1000/example")
    user = SuperUserFactory()
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "changelist"), {"q": "sheep"}).status_code == 200
    assert client.get(_url(model, "add")).status_code == 200
    assert client.get(_url(model, "export")).status_code == 200
    assert client.get(_url(model, "import")).status_code == 200


@pytest.mark.usefixtures("seeded")
def test_it_finds_a_species_word_by_its_species(client):
    user = SuperUserFactory()
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    response = client.get(_url("language.speciesword", "changelist"), {"q": "Ovis aries"})

    words = {entry.word for entry in response.context["cl"].result_list}
    assert {"Schaf", "Sheep", "Pecora"} <= words
    assert all(isinstance(entry, SpeciesWord) for entry in response.context["cl"].result_list)


@pytest.mark.usefixtures("seeded")
def test_it_shows_curators_records_to_staff_read_only(client):
    sample = SampleFactory()
    user = SuperUserFactory()
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    for model, obj in (
        ("uid.submission", sample.submission),
        ("uid.animal", sample.animal),
        ("uid.sample", sample),
    ):
        listing = client.get(_url(model, "changelist"), {"q": str(obj)})
        assert listing.status_code == 200
        assert str(obj) in listing.content.decode()
        assert client.get(_url(model, "change", obj.pk)).status_code == 200
        assert client.get(_url(model, "add")).status_code == 403
        assert client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert type(sample).objects.filter(pk=sample.pk).exists()


def test_it_lists_each_dictionary_in_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    BreedFactory.create_batch(30)
    user = SuperUserFactory()
    client.login(username=user.username, password=DEFAULT_PASSWORD)

    with django_assert_max_num_queries(12):
        assert client.get(_url("uid.breed", "changelist")).status_code == 200


def test_it_edits_a_user_with_their_profile_on_one_page(client):
    role = Role.objects.create(label="submitter", term="EFO_0001741")
    organisation = Organisation.objects.create(name="Example institute")
    curator = UserFactory(username="bea")
    admin_user = SuperUserFactory()
    client.login(username=admin_user.username, password=DEFAULT_PASSWORD)
    url = reverse("admin:auth_user_change", args=[curator.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "profile-0-initials" in page.content.decode()

    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "username": "bea",
            "date_joined_0": curator.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": curator.date_joined.strftime("%H:%M:%S"),
            "groups": [],
            "user_permissions": [],
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-initials": "B.C.",
            "profile-0-affiliation": organisation.pk,
            "profile-0-role": role.pk,
            "profile-0-user": curator.pk,
        }
    )
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    curator.profile.refresh_from_db()
    assert (curator.profile.initials, curator.profile.affiliation, curator.profile.role) == (
        "B.C.",
        organisation,
        role,
    )
    listing = client.get(reverse("admin:auth_user_changelist"))
    assert "Example institute" in listing.content.decode()


@pytest.mark.usefixtures("seeded")
def test_it_refuses_a_dictionary_label_that_exists_in_other_capitals(client):
    admin = SuperUserFactory()
    client.login(username=admin.username, password=DEFAULT_PASSWORD)

    response = client.post(
        _url("uid.organismpart", "add"), {"label": "SEMEN", "term": "", "confidence": "low"}
    )

    assert response.status_code == 200
    assert "There is such a label already (in other capitals)." in response.content.decode()
    assert OrganismPart.objects.filter(label__iexact="semen").count() == 1


@pytest.mark.usefixtures("seeded")
def test_it_refuses_a_breed_that_exists_in_other_capitals(client, breed_curator):
    sheep = Species.objects.get(label="Ovis aries")
    germany = Country.objects.get(label="Germany")
    Breed.objects.create(supplied_breed="Rhönschaf", species=sheep, country=germany)

    response = client.post(
        _url("uid.breed", "add"),
        {"supplied_breed": "RHÖNSCHAF", "mapped_breed": "", "mapped_breed_term": "",
         "confidence": "low", "species": sheep.pk, "country": germany.pk},
    )  # fmt: skip

    assert response.status_code == 200
    assert "have such a breed already (in other capitals)" in response.content.decode()
    assert Breed.objects.filter(supplied_breed__iexact="rhönschaf").count() == 1
