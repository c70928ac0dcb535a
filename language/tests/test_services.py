"""species_word_create: a curator maps a word of their language to a species."""

import pytest
from django.core.exceptions import ValidationError

from language.selectors import species_for_word
from language.services import species_word_create
from uid.models import Country
from uid.services.dictionaries import dictionaries_seed
from uid.tests.factories import SpeciesFactory

pytestmark = pytest.mark.django_db


def test_it_maps_a_word_that_the_lookup_then_finds():
    dictionaries_seed()
    yak = SpeciesFactory(label="Bos grunniens", taxon_id=30521, common_name="")

    entry = species_word_create(word="  Haus  yak ", language="DE", species=yak)

    assert (entry.word, entry.language, entry.normalised) == ("Haus yak", "de", "hausyak")
    assert species_for_word(word="HAUSYAK", country=Country.objects.get(label="Germany")) == yak


def test_it_rejects_a_word_that_already_means_a_species_in_that_language():
    dictionaries_seed()
    other = SpeciesFactory()

    with pytest.raises(ValidationError):
        species_word_create(word="schaf", language="de", species=other)


def test_it_accepts_the_same_word_in_another_language():
    dictionaries_seed()
    other = SpeciesFactory()

    entry = species_word_create(word="Schaf", language="sv", species=other)

    assert entry.pk is not None


@pytest.mark.parametrize("language", ["", "deu", "d", "1x"])
def test_it_rejects_a_language_that_is_not_a_two_letter_code(language):
    with pytest.raises(ValidationError):
        species_word_create(word="Yak", language=language, species=SpeciesFactory())


def test_it_rejects_an_empty_word():
    with pytest.raises(ValidationError):
        species_word_create(word="   ", language="en", species=SpeciesFactory())
