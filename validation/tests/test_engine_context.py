"""validation.engine: the checks across attributes and records (source "context")."""

from validation.engine import CONTEXT, ERROR, WARNING, Finding, documents_check, record_status
from validation.tests.documents import TERMS, animal, findings_of, sample, value


def _check(*documents) -> dict:
    return documents_check(list(documents), terms=TERMS)


def test_it_gives_an_error_for_an_accuracy_without_a_place():
    results = _check(animal(changes={"Birth location": None}))

    (finding,) = results["animal_1"][1:]  # after the recommended Birth location's Warning
    assert (finding.severity, finding.field, finding.source) == (ERROR, "Birth location", CONTEXT)
    assert finding.message == (
        "Birth location is empty but Birth location accuracy is 'precise coordinates': "
        "give the place, or set the accuracy to 'missing geographic information'"
    )


def test_it_gives_an_error_for_a_place_with_missing_geographic_information():
    changes = {"Collection place accuracy": value("missing geographic information")}

    results = _check(animal(), sample(changes=changes))

    assert findings_of(results, "sample_1") == [
        (
            ERROR,
            "Collection place accuracy",
            "Collection place is 'Siena' but Collection place accuracy is "
            "'missing geographic information'",
        )
    ]


def test_it_accepts_no_place_with_missing_geographic_information():
    changes = {
        "Birth location": None,
        "Birth location accuracy": value("missing geographic information"),
    }

    results = _check(animal(changes=changes))

    assert findings_of(results, "animal_1") == [
        (WARNING, "Birth location", "Birth location is missing (recommended)")
    ]


def test_it_gives_an_error_when_the_taxon_id_differs_from_the_species_term():
    results = _check(animal(taxId=9913))

    assert findings_of(results, "animal_1") == [
        (
            ERROR,
            "Species",
            "the taxon id 9913 does not match the Species term NCBITaxon_9823 (Sus scrofa)",
        )
    ]


def test_it_gives_an_error_for_a_child_of_another_species_than_its_parent():
    cattle = {
        "Species": value("Bos taurus", "NCBITaxon_9913"),
        "Mapped breed": value("Holstein", "LBO_0000132"),
    }

    results = _check(animal("father"), animal(changes=cattle, parents=("father",), taxId=9913))

    assert findings_of(results, "animal_1") == [
        (
            ERROR,
            "Species",
            "'Bos taurus' (NCBITaxon_9913) differs from the species of its parent father, "
            "'Sus scrofa' (NCBITaxon_9823)",
        )
    ]


def test_it_gives_an_error_for_a_sample_of_another_species_than_its_animal():
    cattle = {"Species": value("Bos taurus", "NCBITaxon_9913")}

    results = _check(animal(), sample(changes=cattle, taxId=9913))

    assert findings_of(results, "sample_1") == [
        (
            ERROR,
            "Species",
            "'Bos taurus' (NCBITaxon_9913) differs from the species of its animal animal_1, "
            "'Sus scrofa' (NCBITaxon_9823)",
        )
    ]


def test_it_accepts_a_father_and_a_mother():
    results = _check(animal("f"), animal("m", sex="female"), animal(parents=("f", "m")))

    assert results["animal_1"] == []


def test_it_gives_an_error_for_more_than_two_parents():
    parents = (animal("a"), animal("b", sex="female"), animal("c", sex="unknown"))

    results = _check(*parents, animal(parents=("a", "b", "c")))

    assert findings_of(results, "animal_1") == [
        (ERROR, "Child of", "3 parents (a, b, c); an animal has at most two")
    ]


def test_it_gives_an_error_for_two_parents_of_the_same_sex():
    results = _check(
        animal("a", sex="female"), animal("b", sex="female"), animal(parents=("a", "b"))
    )

    assert findings_of(results, "animal_1") == [
        (ERROR, "Child of", "both parents, a and b, are female")
    ]


def test_it_warns_of_a_parent_of_unknown_sex():
    results = _check(animal("a"), animal("b", sex="unknown"), animal(parents=("a", "b")))

    assert findings_of(results, "animal_1") == [
        (WARNING, "Child of", "the parent b is of unknown sex")
    ]


def test_it_gives_an_error_for_a_specimen_derived_from_two_animals():
    results = _check(animal(), animal("animal_2"), sample(animals=("animal_1", "animal_2")))

    assert findings_of(results, "sample_1") == [
        (
            ERROR,
            "Derived from",
            "derived from 2 animals (animal_1, animal_2); a specimen derives from exactly one",
        )
    ]


def test_it_gives_an_error_for_semen_from_a_female():
    results = _check(animal(sex="female"), sample())

    assert findings_of(results, "sample_1") == [
        (ERROR, "Organism part", "semen from animal_1, a female")
    ]


def test_it_warns_of_semen_from_an_animal_of_unknown_sex():
    results = _check(animal(sex="record of unknown sex"), sample())

    assert findings_of(results, "sample_1") == [
        (WARNING, "Organism part", "semen from animal_1, an animal of unknown sex")
    ]


def test_it_accepts_blood_from_a_female():
    blood = {"Organism part": value("blood", "UBERON_0000178")}

    assert _check(animal(sex="female"), sample(changes=blood))["sample_1"] == []


def test_it_gives_an_error_for_a_mapped_breed_of_another_species():
    cattle = {"Species": value("Bos taurus", "NCBITaxon_9913")}

    results = _check(animal(changes=cattle, taxId=9913))

    assert findings_of(results, "animal_1") == [
        (
            ERROR,
            "Mapped breed",
            "LBO_0000358 (Duroc) is not a breed of Bos taurus: it is not below "
            "LBO_0000001 (cattle breed)",
        )
    ]


def test_it_accepts_the_species_breed_root_as_the_mapped_breed():
    assert (
        _check(animal(changes={"Mapped breed": value("pig breed", "LBO_0000003")}))["animal_1"]
        == []
    )


def test_it_finds_the_breed_root_of_a_subspecies_through_its_ancestors():
    domestic = {"Species": value("Sus scrofa domesticus", "NCBITaxon_9825")}

    assert _check(animal(changes=domestic, taxId=9825))["animal_1"] == []


def test_it_warns_of_a_supplied_breed_without_a_mapped_breed_once():
    results = _check(animal(changes={"Mapped breed": None}))

    assert findings_of(results, "animal_1") == [
        (
            WARNING,
            "Mapped breed",
            "the supplied breed 'Duroc' is not mapped to a breed ontology term",
        )
    ]


def test_it_gives_a_record_the_status_of_its_worst_finding():
    warning = Finding(WARNING, "Birth date", "Birth date is missing (recommended)", "ruleset")
    error = Finding(ERROR, "Sex", "Sex is missing (mandatory)", "ruleset")

    assert record_status([]) == "Pass"
    assert record_status([warning]) == "Warning"
    assert record_status([warning, error]) == "Error"
