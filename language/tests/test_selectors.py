"""species_for_word and species_for_words: which species a gene bank's word means."""

import pytest

from language.models import CountryLanguage, SpeciesWord
from language.selectors import species_for_word, species_for_words
from uid.models import Country, Species
from uid.services.dictionaries import dictionaries_seed
from uid.tests.factories import CountryFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    dictionaries_seed()


def _country(label: str) -> Country:
    return Country.objects.get(label=label)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("word", "country", "scientific_name"),
    [
        ("Schaf", "Germany", "Ovis aries"),
        ("Rind", "Germany", "Bos taurus"),
        ("schaf", "Germany", "Ovis aries"),
        ("  RIND ", "Germany", "Bos taurus"),
        ("Sheep", "Germany", "Ovis aries"),
        ("Cattle", "Germany", "Bos taurus"),
        ("Sheep", "United Kingdom", "Ovis aries"),
        ("sheep", None, "Ovis aries"),
        ("Water Buffalo", None, "Bubalus bubalis"),
        ("waterbuffalo", None, "Bubalus bubalis"),
        ("Capra hircus", "United Kingdom", "Capra hircus"),
        ("BOS  TAURUS", "United Kingdom", "Bos taurus"),
        ("Ovin", "France", "Ovis aries"),
        ("Porcin", "France", "Sus scrofa"),
        ("Varken", "Netherlands", "Sus scrofa"),
    ],
)
def test_it_resolves_words_of_the_gene_bank_and_english(word, country, scientific_name):
    species = species_for_word(word=word, country=_country(country) if country else None)

    assert species is not None
    assert species.label == scientific_name


@pytest.mark.usefixtures("seeded")
def test_it_resolves_the_words_of_the_cryoweb_and_crbanim_fixtures():
    germany = _country("Germany")
    united_kingdom = _country("United Kingdom")

    # Cryoweb dump of a German gene bank: EFABIS species and the local short names.
    cryoweb = species_for_words(words=["Sheep", "Cattle", "Schaf", "Rind"], country=germany)
    # CRB-Anim export: scientific names and English words.
    crbanim = species_for_words(
        words=["Capra hircus", "Sheep", "Bos taurus"], country=united_kingdom
    )

    assert {word: s.label for word, s in cryoweb.items()} == {
        "Sheep": "Ovis aries",
        "Cattle": "Bos taurus",
        "Schaf": "Ovis aries",
        "Rind": "Bos taurus",
    }
    assert {word: s.label for word, s in crbanim.items()} == {
        "Capra hircus": "Capra hircus",
        "Sheep": "Ovis aries",
        "Bos taurus": "Bos taurus",
    }


@pytest.mark.usefixtures("seeded")
def test_it_prefers_the_language_of_the_country():
    germany = _country("Germany")
    gift_species = SpeciesFactory(label="Species giftia", common_name="")
    # The same spelling means different species in German and in English.
    SpeciesWord.objects.create(word="Gift", language="de", species=gift_species)
    SpeciesWord.objects.create(
        word="Gift", language="en", species=Species.objects.get(taxon_id=9913)
    )

    assert species_for_word(word="gift", country=germany) == gift_species
    assert species_for_word(word="gift", country=_country("United Kingdom")).taxon_id == 9913
    assert species_for_word(word="gift").taxon_id == 9913


@pytest.mark.usefixtures("seeded")
def test_it_ignores_words_of_another_language_than_the_countrys_and_english():
    # "Schaf" is German; an Italian gene bank does not write it.
    assert species_for_word(word="Schaf", country=_country("Italy")) is None
    assert species_for_word(word="Schaf") is None


@pytest.mark.usefixtures("seeded")
def test_it_falls_back_to_english_for_a_country_without_a_language():
    ruritania = CountryFactory(label="Ruritania")

    assert CountryLanguage.objects.filter(country=ruritania).count() == 0
    assert species_for_word(word="Goat", country=ruritania).label == "Capra hircus"


@pytest.mark.usefixtures("seeded")
def test_it_returns_none_for_unknown_or_empty_words():
    result = species_for_words(words=["Unicorn", "", "   "], country=_country("Germany"))

    assert result == {"Unicorn": None, "": None, "   ": None}


def test_it_matches_a_species_without_words_by_scientific_or_common_name():
    species = SpeciesFactory(label="Camelus dromedarius", taxon_id=9838, common_name="dromedary")

    assert species_for_word(word="camelus  dromedarius") == species
    assert species_for_word(word="Dromedary") == species


@pytest.mark.usefixtures("seeded")
def test_it_resolves_many_words_in_a_constant_number_of_queries(django_assert_max_num_queries):
    germany = _country("Germany")
    words = ["Schaf", "Rind", "Sheep", "Cattle", "Bos taurus", "Unicorn"] + [
        f"unknown {n}" for n in range(200)
    ]

    with django_assert_max_num_queries(3):
        result = species_for_words(words=words, country=germany)

    assert result["Schaf"].label == "Ovis aries"
    assert result["Bos taurus"].label == "Bos taurus"
    assert result["unknown 7"] is None
