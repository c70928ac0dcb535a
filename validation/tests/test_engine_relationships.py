"""validation.engine: "child of" and "derived from" targets (findings of source "relationship")."""

from validation.engine import ERROR, RELATIONSHIP, WARNING, documents_check
from validation.tests.documents import TERMS, animal, findings_of, sample, value


def _check(*documents, known_accessions=frozenset()) -> dict:
    return documents_check(list(documents), terms=TERMS, known_accessions=known_accessions)


def _parents():
    return animal("father"), animal("mother", sex="female")


def test_it_accepts_parents_that_are_records_of_the_batch():
    results = _check(*_parents(), animal(parents=("father", "mother")))

    assert results["animal_1"] == []


def test_it_accepts_a_target_by_the_accession_of_a_record_of_the_batch():
    results = _check(animal(accession="SAMEA100"), sample(animals=("SAMEA100",)))

    assert results["sample_1"] == []


def test_it_accepts_an_accession_known_here():
    results = _check(sample(animals=("SAMEA100",)), known_accessions={"SAMEA100"})

    assert results["sample_1"] == []


def test_it_warns_of_an_accession_it_cannot_verify_offline():
    results = _check(sample(animals=("SAMEA100",)))

    (finding,) = results["sample_1"]
    assert (finding.severity, finding.field, finding.source) == (
        WARNING,
        "Derived from",
        RELATIONSHIP,
    )
    assert finding.message == (
        "SAMEA100 is not a record known here and cannot be verified offline in BioSamples"
    )


def test_it_gives_an_error_for_a_target_that_is_neither_a_record_nor_an_accession():
    results = _check(animal(parents=("animal_9", "SAMEA12X")))

    assert findings_of(results, "animal_1") == [
        (
            ERROR,
            "Child of",
            "'animal_9' is neither a record of this submission nor a BioSamples accession "
            "(SAMN…, SAMD… or SAMEA… and digits)",
        ),
        (
            ERROR,
            "Child of",
            "'SAMEA12X' is neither a record of this submission nor a BioSamples accession "
            "(SAMN…, SAMD… or SAMEA… and digits)",
        ),
    ]


def test_it_gives_an_error_for_a_record_that_is_its_own_parent():
    results = _check(animal(parents=("animal_1",)))

    assert findings_of(results, "animal_1") == [
        (ERROR, "Child of", "'animal_1' is this record itself")
    ]


def test_it_gives_an_error_for_a_target_that_is_not_an_animal():
    results = _check(animal(), sample(), sample("sample_2", animals=("sample_1",)))

    assert findings_of(results, "sample_2") == [
        (
            ERROR,
            "Derived from",
            "'sample_1' is not an animal (its Material is 'specimen from organism')",
        )
    ]


def test_it_ignores_the_relationships_other_records_have_to_it():
    # BioSamples lists incoming relationships too: the sample's, with the animal as target
    incoming = {"source": "SAMEA200", "type": "derived from", "target": "animal_1"}
    results = _check(animal(relationships=[incoming]))

    assert results["animal_1"] == []


def test_it_reads_the_targets_from_the_attribute_where_there_are_no_relationships():
    derived = sample(changes={"Derived from": value("animal_9")}, animals=())

    results = _check(animal(), derived)

    assert findings_of(results, "sample_1") == [
        (
            ERROR,
            "Derived from",
            "'animal_9' is neither a record of this submission nor a BioSamples accession "
            "(SAMN…, SAMD… or SAMEA… and digits)",
        )
    ]


def test_it_finds_an_attribute_target_by_the_animals_data_source_id():
    named = animal(changes={"Data source ID": value("ANIMAL:::ID:::1")})
    derived = sample(changes={"Derived from": value("ANIMAL:::ID:::1")}, animals=())

    assert _check(named, derived)["sample_1"] == []


def test_it_counts_a_relationship_as_the_mandatory_derived_from():
    assert _check(animal(), sample(changes={"Derived from": None}))["sample_1"] == []


def test_it_gives_an_error_for_a_specimen_derived_from_nothing():
    results = _check(sample(animals=()))

    assert findings_of(results, "sample_1") == [
        (ERROR, "Derived from", "Derived from is missing (mandatory)")
    ]


def test_it_checks_documents_read_one_at_a_time():
    def documents():
        yield sample(animals=("SAMEA100",))
        yield animal(accession="SAMEA100")

    results = documents_check(documents(), terms=TERMS)

    assert results == {"sample_1": [], "animal_1": []}
