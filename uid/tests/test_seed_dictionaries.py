"""The seed_dictionaries command and the dictionaries_seed service it calls."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from injecttool.testing.shared import shared_fixture
from language.models import CountryLanguage, SpeciesWord
from uid.models import (
    Confidence,
    Country,
    DevelopmentalStage,
    Ontology,
    OrganismPart,
    PhysiologicalStage,
    Role,
    Sex,
    Species,
)
from uid.services.dictionaries import dictionaries_seed

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    Ontology,
    Country,
    Sex,
    Species,
    OrganismPart,
    DevelopmentalStage,
    PhysiologicalStage,
    Role,
    CountryLanguage,
    SpeciesWord,
]

RULESET_COUNTRIES = {
    "France": "NCIT_C16592",
    "Egypt": "NCIT_C16530",
    "Colombia": "NCIT_C16449",
    "Switzerland": "NCIT_C17181",
    "Netherlands": "NCIT_C16903",
    "Germany": "NCIT_C16636",
    "Italy": "NCIT_C16761",
    "Hungary": "NCIT_C16699",
    "Morocco": "NCIT_C16878",
    "Spain": "NCIT_C17152",
    "Argentina": "NCIT_C16305",
    "Sweden": "NCIT_C17180",
    "United Kingdom": "NCIT_C17233",
    "Poland": "NCIT_C17002",
    "Portugal": "NCIT_C17006",
    "Austria": "NCIT_C16312",
}

# scientific name: (taxon id, English common name, LBO breed root or "")
SPECIES = {
    "Bos taurus": (9913, "cattle", "LBO_0000001"),
    "Ovis aries": (9940, "sheep", "LBO_0000004"),
    "Capra hircus": (9925, "goat", "LBO_0000954"),
    "Sus scrofa": (9823, "pig", "LBO_0000003"),
    "Equus caballus": (9796, "horse", "LBO_0000713"),
    "Equus asinus": (9793, "donkey", ""),
    "Gallus gallus": (9031, "chicken", "LBO_0000002"),
    "Anas platyrhynchos": (8839, "duck", ""),
    "Meleagris gallopavo": (9103, "turkey", ""),
    "Anser anser": (8843, "goose", ""),
    "Oryctolagus cuniculus": (9986, "rabbit", ""),
    "Bubalus bubalis": (89462, "water buffalo", "LBO_0001042"),
}


def _snapshot() -> dict[str, list[dict]]:
    """Every column of every seeded row, so that any change shows."""
    return {
        model._meta.label: [
            {**model_to_dict(obj), "id": obj.pk, "normalised": getattr(obj, "normalised", None)}
            for obj in model.objects.order_by("pk")
        ]
        for model in SEEDED_MODELS
    }


def _labels_terms(model) -> dict[str, str]:
    return dict(model.objects.values_list("label", "term"))


def test_it_changes_nothing_when_run_twice():
    call_command("seed_dictionaries", stdout=StringIO())
    before = _snapshot()

    out = StringIO()
    call_command("seed_dictionaries", stdout=out)

    assert _snapshot() == before
    lines = [line for line in out.getvalue().splitlines() if ": " in line and "seeded" not in line]
    assert len(lines) == len(SEEDED_MODELS)
    assert all(line.endswith(": 0 created, 0 updated") for line in lines), out.getvalue()
    assert "Dictionaries seeded: 0 created, 0 updated." in out.getvalue()


def test_it_reports_what_it_created_per_table():
    report = dictionaries_seed()

    for model in SEEDED_MODELS:
        assert report[model._meta.label] == (model.objects.count(), 0)
    assert report["uid.Country"] == (16, 0)
    assert report["uid.Species"] == (12, 0)
    assert report["uid.Sex"] == (3, 0)


def test_it_prints_the_counts_of_a_first_run():
    out = StringIO()
    call_command("seed_dictionaries", stdout=out)

    assert "uid.Country: 16 created, 0 updated" in out.getvalue()
    assert "uid.Species: 12 created, 0 updated" in out.getvalue()
    assert f"language.SpeciesWord: {SpeciesWord.objects.count()} created" in out.getvalue()


def test_it_seeds_the_sixteen_ruleset_countries_with_their_ncit_terms():
    dictionaries_seed()

    countries = _labels_terms(Country)
    for label, term in RULESET_COUNTRIES.items():
        assert countries[label] == term


def test_it_seeds_the_countries_the_ruleset_allows():
    ruleset_path = shared_fixture("image-metadata/sample_ruleset.json")
    ruleset = json.loads(ruleset_path.read_text())
    rule = next(
        rule
        for group in ruleset["rule_groups"]
        for rule in group["rules"]
        if rule["Name"] == "Gene bank country"
    )
    dictionaries_seed()

    countries = _labels_terms(Country)
    for valid in rule["Valid terms"]:
        assert countries[valid["label"]] == valid["term"]


def test_it_seeds_the_three_sexes_of_the_ruleset():
    dictionaries_seed()

    assert _labels_terms(Sex) == {
        "male": "PATO_0000384",
        "female": "PATO_0000383",
        "record of unknown sex": "OBI_0000858",
    }


def test_it_seeds_the_livestock_species_with_taxon_and_breed_root():
    dictionaries_seed()

    for label, (taxon_id, common_name, breed_root) in SPECIES.items():
        species = Species.objects.get(label=label)
        assert species.term == f"NCBITaxon_{taxon_id}"
        assert species.taxon_id == taxon_id
        assert species.common_name == common_name
        assert species.general_breed_term == breed_root
        assert bool(species.general_breed_label) == bool(breed_root)


@pytest.mark.parametrize(
    ("word", "language", "scientific_name"),
    [
        ("Cattle", "en", "Bos taurus"),
        ("Sheep", "en", "Ovis aries"),
        ("Goat", "en", "Capra hircus"),
        ("Pig", "en", "Sus scrofa"),
        ("Horse", "en", "Equus caballus"),
        ("Donkey", "en", "Equus asinus"),
        ("Chicken", "en", "Gallus gallus"),
        ("Duck", "en", "Anas platyrhynchos"),
        ("Turkey", "en", "Meleagris gallopavo"),
        ("Goose", "en", "Anser anser"),
        ("Rabbit", "en", "Oryctolagus cuniculus"),
        ("Water buffalo", "en", "Bubalus bubalis"),
        ("Buffalo", "en", "Bubalus bubalis"),
        ("Bos taurus", "en", "Bos taurus"),
        ("Rind", "de", "Bos taurus"),
        ("Schaf", "de", "Ovis aries"),
        ("Ziege", "de", "Capra hircus"),
        ("Schwein", "de", "Sus scrofa"),
        ("Pferd", "de", "Equus caballus"),
        ("Bovin", "fr", "Bos taurus"),
        ("Ovin", "fr", "Ovis aries"),
        ("Caprin", "fr", "Capra hircus"),
        ("Porcin", "fr", "Sus scrofa"),
        ("Pecora", "it", "Ovis aries"),
        ("Varken", "nl", "Sus scrofa"),
        ("Cabra", "es", "Capra hircus"),
    ],
)
def test_it_seeds_species_words(word, language, scientific_name):
    dictionaries_seed()

    entry = SpeciesWord.objects.select_related("species").get(word=word, language=language)
    assert entry.species.label == scientific_name
    assert entry.normalised == "".join(word.split()).casefold()


def test_it_gives_every_seeded_species_an_english_word_and_its_scientific_name():
    dictionaries_seed()

    for species in Species.objects.all():
        english = set(species.words.filter(language="en").values_list("word", flat=True))
        assert species.label in english
        assert len(english) >= 2


@pytest.mark.parametrize(
    ("label", "term"),
    [
        ("semen", "UBERON_0001968"),
        ("blood", "UBERON_0000178"),
        ("hair", "UBERON_0001037"),
        ("embryo", "UBERON_0000922"),
        ("oocyte", "CL_0000023"),
        ("skin of body", "UBERON_0002097"),
        ("muscle tissue", "UBERON_0002385"),
        ("liver", "UBERON_0002107"),
        ("ear", "UBERON_0001690"),
        ("tail", "UBERON_0002415"),
        ("bone marrow", "UBERON_0002371"),
        ("uterus", "UBERON_0000995"),
        ("corpus luteum", "UBERON_0002512"),
    ],
)
def test_it_seeds_organism_parts(label, term):
    dictionaries_seed()

    assert _labels_terms(OrganismPart)[label] == term


def test_it_seeds_developmental_and_physiological_stages():
    dictionaries_seed()

    developmental = _labels_terms(DevelopmentalStage)
    assert developmental["adult"] == "EFO_0001272"
    assert developmental["embryo stage"] == "EFO_0007725"
    assert all(term.startswith("EFO_") for term in developmental.values())
    physiological = _labels_terms(PhysiologicalStage)
    assert physiological["mature"] == "PATO_0001701"
    assert physiological["immature"] == "PATO_0001501"
    assert physiological["juvenile"] == "PATO_0001190"
    assert all(term.startswith("PATO_") for term in physiological.values())


def test_it_seeds_roles_with_efo_terms():
    dictionaries_seed()

    roles = _labels_terms(Role)
    assert roles["submitter"] == "EFO_0001741"
    assert roles["investigator"] == "EFO_0001739"
    assert roles["principal investigator"] == "EFO_0009736"
    assert roles["experiment performer"] == "EFO_0000647"
    assert all(term.startswith("EFO_") for term in roles.values())


def test_it_seeds_the_ontologies_with_their_iri_bases():
    dictionaries_seed()

    bases = dict(Ontology.objects.values_list("library_name", "iri_base"))
    for library in ("NCBITaxon", "UBERON", "PATO", "OBI", "NCIT", "LBO", "CL"):
        assert bases[library] == "http://purl.obolibrary.org/obo/"
    assert bases["EFO"] == "http://www.ebi.ac.uk/efo/"


def test_it_seeds_a_language_for_every_seeded_country():
    dictionaries_seed()

    languages = dict(CountryLanguage.objects.values_list("country__label", "language"))
    assert set(languages) == set(RULESET_COUNTRIES)
    assert languages["Germany"] == "de"
    assert languages["France"] == "fr"
    assert languages["Italy"] == "it"
    assert languages["United Kingdom"] == "en"


def test_it_marks_seeded_terms_as_curated():
    dictionaries_seed()

    assert set(Country.objects.values_list("confidence", flat=True)) == {Confidence.CURATED}


def test_it_restores_a_seeded_row_that_was_changed():
    dictionaries_seed()
    Country.objects.filter(label="Germany").update(term="NCIT_WRONG")

    report = dictionaries_seed()

    assert report["uid.Country"] == (0, 1)
    assert Country.objects.get(label="Germany").term == "NCIT_C16636"


def test_it_leaves_a_manually_curated_row_alone():
    dictionaries_seed()
    Country.objects.filter(label="Germany").update(
        term="NCIT_LOCAL", confidence=Confidence.MANUALLY_CURATED
    )

    report = dictionaries_seed()

    assert report["uid.Country"] == (0, 0)
    assert Country.objects.get(label="Germany").term == "NCIT_LOCAL"


def test_it_keeps_rows_it_does_not_ship():
    dictionaries_seed()
    Country.objects.create(label="Ruritania", term="")

    dictionaries_seed()

    assert Country.objects.filter(label="Ruritania").exists()


def test_it_fills_a_dictionary_row_that_an_upload_made_without_a_term():
    Country.objects.create(label="Italy", term="", confidence=Confidence.LOW)

    report = dictionaries_seed()

    assert report["uid.Country"] == (15, 1)
    italy = Country.objects.get(label="Italy")
    assert (italy.term, italy.confidence) == ("NCIT_C16761", Confidence.CURATED)


def test_it_takes_a_number_of_queries_that_does_not_grow_with_the_rows(
    django_assert_max_num_queries,
):
    # Three per table at most (read, insert, update) plus the lock and two look-ups;
    # the data hold hundreds of rows.
    with django_assert_max_num_queries(3 * len(SEEDED_MODELS) + 5):
        dictionaries_seed()
    assert SpeciesWord.objects.count() > 100
