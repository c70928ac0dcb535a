"""validation.engine with the term table: the terms a batch needs, read in one query."""

import pytest

from validation.engine import documents_check, documents_term_ids
from validation.selectors import terms_lookup
from validation.services import terms_seed
from validation.tests.documents import animal, sample, value

pytestmark = pytest.mark.django_db


def test_it_names_the_terms_of_the_documents_the_ruleset_and_the_breed_roots():
    documents = [animal(changes={"Species": None, "organism": value("pig", "NCBITaxon_9825")})]

    found = documents_term_ids(documents)

    assert {"NCBITaxon_9825", "LBO_0000358", "PATO_0000384", "EFO_0001741"} <= found
    assert {"NCBITaxon_1", "UBERON_0001062", "LBO_0000000", "LBO_0000001"} <= found


def test_it_checks_a_batch_with_one_query_for_its_terms_and_none_while_checking(
    django_assert_num_queries,
):
    terms_seed()
    documents = [animal(), animal("animal_2", sex="female"), sample(), sample("sample_2")]

    with django_assert_num_queries(1):
        terms = terms_lookup(term_ids=documents_term_ids(documents))
    with django_assert_num_queries(0):
        results = documents_check(documents, terms=terms)

    assert results == {"animal_1": [], "animal_2": [], "sample_1": [], "sample_2": []}
