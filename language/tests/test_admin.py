"""Admin import of species words and country languages (CSV through the admin views)."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from language.models import CountryLanguage, SpeciesWord
from uid.models import Country
from uid.services.dictionaries import dictionaries_seed
from uid.tests.factories import DEFAULT_PASSWORD, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def word_keeper(client):
    dictionaries_seed()
    user = StaffUserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "add_speciesword",
                "change_speciesword",
                "view_speciesword",
                "add_countrylanguage",
                "change_countrylanguage",
                "view_countrylanguage",
            ]
        )
    )
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return user


def _import(client, model: str, content: bytes):
    """Upload a CSV file to the admin import view and confirm it; return the preview result."""
    import_url = reverse(f"admin:language_{model}_import")
    page = client.get(import_url)
    choices = {
        label.upper(): value for value, label in page.context["form"].fields["format"].choices
    }
    upload = io.BytesIO(content)
    upload.name = f"{model}.csv"
    preview = client.post(
        import_url, {"import_file": upload, "format": choices["CSV"], "resource": "0"}
    )
    assert preview.status_code == 200
    result = preview.context["result"]
    if not result.has_errors() and not result.has_validation_errors():
        done = client.post(
            reverse(f"admin:language_{model}_process_import"),
            preview.context["confirm_form"].initial,
        )
        assert done.status_code == 302
    return result


def test_it_imports_new_species_words(client, word_keeper):
    result = _import(client, "speciesword", b"word,language,species\nHausschaf,de,Ovis aries\n")

    assert not result.has_validation_errors()
    entry = SpeciesWord.objects.get(language="de", normalised="hausschaf")
    assert entry.species.label == "Ovis aries"


def test_it_updates_a_word_spelled_differently_instead_of_duplicating_it(client, word_keeper):
    before = SpeciesWord.objects.count()

    result = _import(client, "speciesword", b"word,language,species\n  SCHAF ,de,Capra hircus\n")

    assert not result.has_validation_errors()
    assert SpeciesWord.objects.count() == before
    entry = SpeciesWord.objects.get(language="de", normalised="schaf")
    assert (entry.word, entry.species.label) == ("SCHAF", "Capra hircus")


def test_it_rejects_a_word_of_an_unknown_species(client, word_keeper):
    before = SpeciesWord.objects.count()

    result = _import(client, "speciesword", b"word,language,species\nEinhorn,de,Monoceros\n")

    assert result.has_errors() or result.has_validation_errors()
    assert SpeciesWord.objects.count() == before


def test_it_imports_the_language_of_a_country(client, word_keeper):
    Country.objects.create(label="Ruritania", term="")

    _import(client, "countrylanguage", b"country,language\nRuritania,de\nGermany,de\n")

    assert CountryLanguage.objects.get(country__label="Ruritania").language == "de"
    assert CountryLanguage.objects.filter(country__label="Germany").count() == 1
