"""validation/data/ontology_terms.json: the terms the offline validation needs."""

import json
from pathlib import Path

import pytest

from injecttool.testing.shared import shared_fixture
from validation.registry import BREED_ROOTS, RULESET_PATH
from validation.ruleset import TERM_ID_RE, ruleset_default
from validation.terms import TERMS_PATH, term_id, term_iri

TERMS = {row["id"]: row for row in json.loads(TERMS_PATH.read_text(encoding="utf-8"))}
UID_DATA = Path(RULESET_PATH).resolve().parents[2] / "uid" / "data"


def _below(term: str, root: str) -> bool:
    return root in TERMS[term]["ancestors"]


def test_it_ships_every_term_the_ruleset_names():
    named = {
        term.term
        for group in ruleset_default().groups
        for rule in group.rules
        for term in rule.terms
    }

    assert named - TERMS.keys() == set()


def test_it_ships_the_ids_labels_and_iris_in_their_shapes():
    for term, row in TERMS.items():
        assert TERM_ID_RE.match(term), term
        assert row["iri"] == term_iri(term), term
        assert row["label"], term
        assert all(TERM_ID_RE.match(ancestor) for ancestor in row["ancestors"]), term
        assert term not in row["ancestors"], term


@pytest.mark.parametrize(
    ("dictionary", "root"),
    [
        ("countries.json", None),
        ("sexes.json", None),
        ("roles.json", "EFO_0002012"),
        ("organism_parts.json", "UBERON_0001062"),
        ("developmental_stages.json", "EFO_0000399"),
        ("physiological_stages.json", "PATO_0000261"),
        ("species.json", "NCBITaxon_1"),
    ],
)
def test_it_ships_the_terms_of_the_seeded_dictionaries_below_their_rules_roots(dictionary, root):
    for row in json.loads((UID_DATA / dictionary).read_text(encoding="utf-8")):
        assert row["term"] in TERMS, row
        shipped = TERMS[row["term"]]
        assert row["label"] in (shipped["label"], *shipped["synonyms"]), row
        if root:
            assert _below(row["term"], root), row


def test_it_ships_each_livestock_species_breed_root_below_the_breed_ontologys_root():
    for species, root in BREED_ROOTS.items():
        assert _below(species, "NCBITaxon_1")
        assert _below(root, "LBO_0000000")


def test_it_ships_the_breeds_of_the_conformance_cases_below_their_species_breed_root():
    folder = shared_fixture("image-validation-examples")
    breeds = set()
    for path in folder.rglob("*.json"):
        records = json.loads(path.read_text(encoding="utf-8"))
        records = records.get("sample", [records]) if isinstance(records, dict) else records
        for record in records:
            for value in record["attributes"].get("Mapped breed", ()):
                breeds.update(term_id(term["url"]) for term in value["terms"])

    assert breeds == {"LBO_0000358", "LBO_0000347"}  # Duroc, Bentheim Black Pied
    for breed in breeds:
        assert _below(breed, BREED_ROOTS["NCBITaxon_9823"])  # pig breeds
        assert _below(breed, "LBO_0000000")
