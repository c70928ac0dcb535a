"""validation.services.terms_seed and manage.py terms_seed: the shipped term table."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from validation.models import OntologyTerm
from validation.services import TERMS_PATH, terms_seed

pytestmark = pytest.mark.django_db

SHIPPED = json.loads(TERMS_PATH.read_text(encoding="utf-8"))


def _table() -> list[tuple]:
    return list(OntologyTerm.objects.values_list("id", "iri", "label", "synonyms", "ancestors"))


def test_it_fills_the_table_from_the_shipped_file():
    assert terms_seed() == (len(SHIPPED), 0)

    semen = OntologyTerm.objects.get(id="UBERON_0001968")
    assert (semen.label, semen.iri) == ("semen", "http://purl.obolibrary.org/obo/UBERON_0001968")
    assert "UBERON_0001062" in semen.ancestors
    assert OntologyTerm.objects.get(id="EFO_0001741").iri == "http://www.ebi.ac.uk/efo/EFO_0001741"


def test_it_changes_nothing_when_run_again():
    terms_seed()
    before = _table()

    assert terms_seed() == (0, 0)
    assert _table() == before


def test_it_puts_back_a_shipped_term_that_was_changed():
    terms_seed()
    OntologyTerm.objects.filter(id="UBERON_0001968").update(label="sperm", ancestors=[])

    assert terms_seed() == (0, 1)
    semen = OntologyTerm.objects.get(id="UBERON_0001968")
    assert semen.label == "semen"
    assert "UBERON_0001062" in semen.ancestors


def test_it_keeps_the_terms_admins_added():
    OntologyTerm.objects.create(
        id="LBO_0000999", iri="http://purl.obolibrary.org/obo/LBO_0000999", label="a breed"
    )

    terms_seed()

    assert OntologyTerm.objects.get(id="LBO_0000999").label == "a breed"


def test_it_seeds_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    # a savepoint or transaction, one read, one upsert, the release
    with django_assert_max_num_queries(5):
        terms_seed()
    with django_assert_max_num_queries(5):
        terms_seed()


def test_it_refuses_a_file_with_a_broken_term(tmp_path):
    path = tmp_path / "terms.json"
    path.write_text(json.dumps([{"id": "semen", "label": "semen"}]), encoding="utf-8")

    with pytest.raises(Exception, match="term id"):
        terms_seed(path=path)
    assert not OntologyTerm.objects.exists()


def test_it_runs_as_a_management_command():
    out = StringIO()

    call_command("terms_seed", stdout=out)
    call_command("terms_seed", stdout=out)

    assert out.getvalue().splitlines() == [
        f"Ontology terms seeded: {len(SHIPPED)} created, 0 updated.",
        "Ontology terms seeded: 0 created, 0 updated.",
    ]
