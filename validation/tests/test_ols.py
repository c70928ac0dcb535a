"""validation.ols.terms_fill_missing: the optional OLS4 look-up, against a stand-in OLS4
over a real socket (validation/tests/ols_standin.py)."""

import logging

import pytest

from validation import ols
from validation.models import OntologyTerm
from validation.ols import terms_fill_missing
from validation.tests.ols_standin import OlsStandIn

pytestmark = pytest.mark.django_db

DUROC = "LBO_0000358"
LIVER = "UBERON_0002107"
SEMEN = "UBERON_0001968"


@pytest.fixture
def standin(settings):
    with OlsStandIn() as server:
        settings.OLS_URL = server.url
        settings.OLS_TIMEOUT = 2.0
        yield server


def test_it_fills_a_missing_term_with_its_label_synonyms_and_ancestors(
    standin, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # one read of what is known, one bulk insert
        assert terms_fill_missing([LIVER, DUROC]) == 2

    liver = OntologyTerm.objects.get(id=LIVER)
    assert liver.label == "liver"
    assert liver.iri == "http://purl.obolibrary.org/obo/UBERON_0002107"
    assert liver.synonyms == ["iecur", "jecur"]
    assert not liver.obsolete
    # every term above it, part-of included, as term ids
    assert liver.ancestors[:2] == ["UBERON_0002423", "UBERON_0000062"]
    assert {"UBERON_0001062", "BFO_0000001"} <= set(liver.ancestors)
    duroc = OntologyTerm.objects.get(id=DUROC)
    assert (duroc.label, duroc.synonyms, duroc.ancestors) == (
        "Duroc", [], ["LBO_0000003", "LBO_0000000"]
    )  # fmt: skip
    assert standin.requests == [
        "/ols4/api/terms/findByIdAndIsDefiningOntology?short_form=UBERON_0002107",
        "/ols4/api/ontologies/uberon/terms/"
        "http%253A%252F%252Fpurl.obolibrary.org%252Fobo%252FUBERON_0002107"
        "/hierarchicalAncestors?size=1000",
        "/ols4/api/terms/findByIdAndIsDefiningOntology?short_form=LBO_0000358",
        "/ols4/api/ontologies/lbo/terms/"
        "http%253A%252F%252Fpurl.obolibrary.org%252Fobo%252FLBO_0000358"
        "/hierarchicalAncestors?size=1000",
    ]


def test_it_reads_iris_and_curies_as_term_ids(standin):
    given = ["http://purl.obolibrary.org/obo/UBERON_0002107", "LBO:0000358", "not a term"]

    assert terms_fill_missing(given) == 2

    assert set(OntologyTerm.objects.values_list("id", flat=True)) == {LIVER, DUROC}


def test_it_leaves_known_terms_alone(standin):
    OntologyTerm.objects.create(
        id=LIVER, iri="http://purl.obolibrary.org/obo/UBERON_0002107", label="our liver"
    )

    assert terms_fill_missing([LIVER, DUROC]) == 1

    assert OntologyTerm.objects.get(id=LIVER).label == "our liver"
    assert not any(LIVER in request for request in standin.requests)


def test_it_skips_a_term_ols_does_not_know(standin):
    assert terms_fill_missing(["LBO_9999999", DUROC]) == 1

    assert not OntologyTerm.objects.filter(id="LBO_9999999").exists()
    # one question for the unknown term, two for the Duroc
    assert len(standin.requests) == 3


def test_it_survives_a_server_error(standin, caplog):
    standin.fail_from = 1

    with caplog.at_level(logging.WARNING, logger="validation.ols"):
        assert terms_fill_missing([LIVER, DUROC]) == 0

    assert not OntologyTerm.objects.exists()
    assert "HTTP 500" in caplog.text
    assert len(standin.requests) == 1  # OLS is down: the Duroc is not asked about


def test_it_keeps_what_it_fetched_before_a_failure(standin, caplog):
    standin.fail_from = 3  # the Duroc's look-up: its liver's two requests went through

    with caplog.at_level(logging.WARNING, logger="validation.ols"):
        assert terms_fill_missing([LIVER, DUROC, SEMEN]) == 1

    assert list(OntologyTerm.objects.values_list("id", flat=True)) == [LIVER]
    assert "stopped at LBO_0000358" in caplog.text
    assert len(standin.requests) == 3


def test_it_survives_a_timeout(standin, settings, caplog):
    standin.delay = 1.0
    settings.OLS_TIMEOUT = 0.2

    with caplog.at_level(logging.WARNING, logger="validation.ols"):
        assert terms_fill_missing([LIVER, DUROC]) == 0

    assert not OntologyTerm.objects.exists()
    assert "Timeout" in caplog.text
    assert len(standin.requests) == 1


def test_it_survives_no_server_at_all(settings, caplog):
    with OlsStandIn() as gone:
        url = gone.url
    settings.OLS_URL = url  # nobody listens there now

    with caplog.at_level(logging.WARNING, logger="validation.ols"):
        assert terms_fill_missing([LIVER]) == 0

    assert "ConnectionError" in caplog.text


def test_it_asks_nothing_when_ols_url_is_empty(standin, settings, django_assert_num_queries):
    settings.OLS_URL = ""

    with django_assert_num_queries(0):
        assert terms_fill_missing([LIVER, DUROC]) == 0

    assert standin.requests == []
    assert not OntologyTerm.objects.exists()


def test_it_asks_nothing_the_second_time(standin):
    assert terms_fill_missing([LIVER, DUROC]) == 2
    asked = len(standin.requests)

    assert terms_fill_missing([LIVER, DUROC]) == 0

    assert len(standin.requests) == asked
    assert OntologyTerm.objects.count() == 2


def test_it_asks_about_a_bounded_number_of_terms_per_call(standin, monkeypatch):
    monkeypatch.setattr(ols, "MAX_TERMS", 1)

    assert terms_fill_missing([LIVER, DUROC]) == 1
    assert terms_fill_missing([LIVER, DUROC]) == 1  # the rest, at the next call

    assert len(standin.requests) == 4
    assert OntologyTerm.objects.count() == 2


def test_it_fills_terms_the_engine_then_reads(standin):
    from validation.selectors import terms_lookup

    terms_fill_missing([SEMEN])

    semen = terms_lookup(term_ids=[SEMEN])[SEMEN]
    assert semen.label == "semen"
    assert semen.synonyms == ("seminal fluid",)
    assert "UBERON_0001062" in semen.ancestors  # an anatomical entity, as the rules ask
