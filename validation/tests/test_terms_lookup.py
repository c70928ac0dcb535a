"""validation.selectors.terms_lookup and the term table's own checks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from validation.models import OntologyTerm
from validation.selectors import terms_lookup
from validation.services import terms_seed
from validation.terms import TermInfo, term_id

pytestmark = pytest.mark.django_db


def test_it_reads_the_asked_terms_in_one_query(django_assert_num_queries):
    terms_seed()

    with django_assert_num_queries(1):
        found = terms_lookup(term_ids=["UBERON_0001037", "NCBITaxon_9823", "UBERON_9999999"])

    assert set(found) == {"UBERON_0001037", "NCBITaxon_9823"}
    hair = found["UBERON_0001037"]
    assert hair == TermInfo(
        id="UBERON_0001037",
        label="strand of hair",
        synonyms=("hair",),
        ancestors=frozenset(hair.ancestors),
        obsolete=False,
    )
    assert "UBERON_0001062" in hair.ancestors


def test_it_reads_every_term_when_asked_for_none_in_particular():
    terms_seed()

    assert len(terms_lookup()) == OntologyTerm.objects.count()


def test_it_refuses_a_row_whose_id_is_not_a_term_id():
    with pytest.raises(IntegrityError):
        OntologyTerm.objects.create(id="semen", iri="http://example.org/semen", label="semen")


def test_it_refuses_synonyms_that_are_not_a_list_of_words():
    term = OntologyTerm(
        id="UBERON_0001968", iri="http://example.org/x", label="semen", synonyms="sperm"
    )

    with pytest.raises(ValidationError, match="Synonyms are a JSON list of words"):
        term.full_clean()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://purl.obolibrary.org/obo/UBERON_0001968", "UBERON_0001968"),
        ("http://www.ebi.ac.uk/efo/EFO_0001741", "EFO_0001741"),
        ("UBERON:0001968", "UBERON_0001968"),
        ("UBERON_0001968", "UBERON_0001968"),
        ("semen", None),
        ("", None),
    ],
)
def test_it_reads_the_term_id_of_an_iri(given, expected):
    assert term_id(given) == expected
