"""validation.engine: each characteristic against its rule (findings of source "ruleset")."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validation.engine import ERROR, RULESET, WARNING, documents_check, record_status
from validation.terms import TermInfo
from validation.tests.documents import TERMS, animal, findings_of, sample, value


def _check(*documents, terms=TERMS) -> dict:
    return documents_check(list(documents), terms=terms)


def _animal_findings(changes: dict, **kwargs) -> list[tuple[str, str, str]]:
    return findings_of(_check(animal(changes=changes, **kwargs)), "animal_1")


def _sample_findings(changes: dict) -> list[tuple[str, str, str]]:
    return findings_of(_check(animal(), sample(changes=changes)), "sample_1")


def test_it_passes_a_complete_animal_and_its_sample():
    results = _check(animal(), sample())

    assert results == {"animal_1": [], "sample_1": []}
    assert record_status(results["sample_1"]) == "Pass"


def test_it_keys_the_findings_by_document_name_and_says_where_they_come_from():
    results = _check(animal(changes={"Sex": None}))

    (finding,) = results["animal_1"]
    assert (finding.severity, finding.field, finding.source) == (ERROR, "Sex", RULESET)


def test_it_gives_an_error_for_a_missing_mandatory_attribute():
    assert _animal_findings({"Sex": None}) == [(ERROR, "Sex", "Sex is missing (mandatory)")]


def test_it_gives_a_warning_for_a_missing_recommended_attribute():
    assert _animal_findings({"Birth date": None}) == [
        (WARNING, "Birth date", "Birth date is missing (recommended)")
    ]


def test_it_says_nothing_of_a_missing_optional_attribute():
    assert _animal_findings({"Description": None, "Publication DOI": None}) == []


def test_it_applies_the_rules_of_the_group_of_the_records_material():
    # a sample needs no sex, but an organism part
    assert _sample_findings({"Organism part": None}) == [
        (ERROR, "Organism part", "Organism part is missing (mandatory)")
    ]


def test_it_applies_only_the_standard_rules_to_a_record_without_a_material():
    found = _animal_findings({"Material": None, "Sex": None, "Birth date": None})

    assert found == [(ERROR, "Material", "Material is missing (mandatory)")]


def test_it_warns_of_an_attribute_no_group_knows():
    assert _animal_findings({"Colour": value("black")}) == [
        (WARNING, "Colour", "'Colour' is not an IMAGE attribute")
    ]


def test_it_suggests_the_attribute_a_name_differs_from_only_in_letter_case():
    found = _animal_findings({"Material": None, "material": value("organism", "OBI_0100026")})

    assert (
        WARNING,
        "material",
        "'material' is not an IMAGE attribute (did you mean 'Material'?)",
    ) in (found)


def test_it_reads_the_species_from_the_organism_characteristic_biosamples_requires():
    species = value("Sus scrofa", "NCBITaxon_9823")

    assert _animal_findings({"Species": None, "organism": species}) == []
    assert _animal_findings({"Species": None, "organism": value("pig x", "NCBITaxon_9823")}) == [
        (ERROR, "Species", "'pig x' is not the label of NCBITaxon_9823 (Sus scrofa)")
    ]


def test_it_gives_an_error_for_more_values_than_allowed():
    sexes = value("male", "PATO_0000384") + value("female", "PATO_0000383")

    assert _animal_findings({"Sex": sexes}) == [
        (ERROR, "Sex", "Sex has 2 values; it takes at most one value")
    ]


def test_it_accepts_many_values_where_the_rule_allows_them():
    assert _animal_findings({"Person last name": value("Cozzi") + value("Rossi")}) == []


def test_it_gives_an_error_for_an_empty_value_of_a_mandatory_attribute():
    assert _animal_findings({"Supplied breed": value("  ")}) == [
        (ERROR, "Supplied breed", "Supplied breed has an empty value")
    ]


def test_it_warns_of_an_empty_value_of_an_optional_attribute():
    assert _animal_findings({"Description": value("")}) == [
        (WARNING, "Description", "Description has an empty value")
    ]


def test_it_gives_an_error_for_a_unit_outside_the_rules_units():
    assert _sample_findings(
        {"Collection place latitude": value("43.3", unit="decimal degree")}
    ) == [
        (
            ERROR,
            "Collection place latitude",
            "'decimal degree' is not a unit of Collection place latitude; "
            "its units are: decimal degrees",
        )
    ]


def test_it_gives_an_error_for_a_missing_unit_the_rule_requires():
    assert _sample_findings({"Animal age at collection": value("3")}) == [
        (
            ERROR,
            "Animal age at collection",
            "Animal age at collection has no unit; its units are: minutes, hours, days, "
            "weeks, months, years, minute, hour, day, week, month, year",
        )
    ]


def test_it_warns_of_a_unit_on_an_attribute_without_units():
    assert _animal_findings({"Birth location": value("Siena", unit="km")}) == [
        (WARNING, "Birth location", "Birth location takes no unit, but has the unit 'km'")
    ]


def test_it_gives_an_error_for_a_value_outside_the_valid_values():
    found = _sample_findings({"Sample storage": value("in the fridge")})

    assert len(found) == 1
    severity, field, message = found[0]
    assert (severity, field) == (ERROR, "Sample storage")
    assert message.startswith(
        "'in the fridge' is not a valid value of Sample storage; the values are: "
        "'ambient temperature', 'cut slide',"
    )


def test_it_suggests_the_valid_value_a_value_differs_from_only_in_letter_case():
    assert _sample_findings({"Collection place accuracy": value("Precise coordinates")}) == [
        (
            ERROR,
            "Collection place accuracy",
            "'Precise coordinates' is not a valid value of Collection place accuracy "
            "(did you mean 'precise coordinates'?)",
        )
    ]


@pytest.mark.parametrize("text", ["three", "3 years", "nan", "1,5"])
def test_it_gives_an_error_for_a_number_that_is_not_numeric(text):
    assert _sample_findings({"Animal age at collection": value(text, unit="years")}) == [
        (ERROR, "Animal age at collection", f"{text!r} is not a number (Animal age at collection)")
    ]


@pytest.mark.parametrize("number", [3, 2.5, "-12.19115", "1e3"])
def test_it_accepts_numbers_written_as_text_or_given_as_numbers(number):
    assert _sample_findings({"Animal age at collection": value(number, unit="years")}) == []


def test_it_gives_an_error_for_a_date_not_in_its_format():
    assert _animal_findings({"Birth date": value("17/01/1992", unit="YYYY-MM-DD")}) == [
        (ERROR, "Birth date", "'17/01/1992' is not a date in the format YYYY-MM-DD")
    ]


@pytest.mark.parametrize(
    ("text", "unit"), [("2015-02-29", "YYYY-MM-DD"), ("2015-13", "YYYY-MM"), ("0000", "YYYY")]
)
def test_it_gives_an_error_for_a_date_that_is_not_a_real_date(text, unit):
    assert _animal_findings({"Birth date": value(text, unit=unit)}) == [
        (ERROR, "Birth date", f"{text!r} is not a real date")
    ]


@pytest.mark.parametrize(
    ("text", "unit"), [("2016-02-29", "YYYY-MM-DD"), ("2015-03", "YYYY-MM"), ("2015", "YYYY")]
)
def test_it_accepts_a_date_in_any_of_its_formats(text, unit):
    assert _animal_findings({"Birth date": value(text, unit=unit)}) == []


def test_it_gives_an_error_for_a_date_without_its_format():
    assert _animal_findings({"Birth date": value("2015-03-01")}) == [
        (
            ERROR,
            "Birth date",
            "Birth date '2015-03-01' has no unit; its units are the date formats "
            "YYYY-MM-DD, YYYY-MM, YYYY",
        )
    ]


def test_it_gives_an_error_for_a_uri_without_a_scheme():
    assert _animal_findings({"Organization uri": value("www.ebi.ac.uk")}) == [
        (
            ERROR,
            "Organization uri",
            "'www.ebi.ac.uk' is not a URI: it has no scheme (e.g. 'https://www.ebi.ac.uk')",
        )
    ]


def test_it_gives_an_error_for_an_email_address_not_written_as_mailto():
    assert _animal_findings({"Person email": value("paolo@example.org")}) == [
        (
            ERROR,
            "Person email",
            "'paolo@example.org' is an e-mail address: write it as 'mailto:paolo@example.org'",
        )
    ]


def test_it_gives_an_error_for_a_mailto_without_an_address():
    assert _animal_findings({"Person email": value("mailto:paolo")}) == [
        (
            ERROR,
            "Person email",
            "'mailto:paolo' is not a mailto: address of the form mailto:name@example.org",
        )
    ]


def test_it_gives_an_error_for_a_doi_that_does_not_look_like_one():
    assert _animal_findings({"Publication DOI": value("o09-005")}) == [
        (
            ERROR,
            "Publication DOI",
            "'o09-005' is not a DOI: it looks like 10.NNNN/suffix, optionally after 'doi:'",
        )
    ]


def test_it_accepts_a_doi_after_doi_colon():
    assert _animal_findings({"Publication DOI": value("doi:10.1139/o09-005")}) == []


@pytest.mark.parametrize(
    "text", ["no longer available", "mailto:bank@example.org", "https://crb-anim.fr/access/"]
)
def test_it_accepts_availability_as_an_address_a_link_or_no_longer_available(text):
    assert _sample_findings({"Availability": value(text)}) == []


def test_it_gives_an_error_for_an_availability_that_is_neither():
    found = _sample_findings({"Availability": value("ask Paolo")})

    assert found == [
        (
            ERROR,
            "Availability",
            "'ask Paolo' is not a valid value of Availability; the values are: "
            "'no longer available', a mailto: address, a web address",
        )
    ]


def test_it_gives_an_error_for_a_supplied_value_without_an_ontology_term():
    assert _animal_findings({"Sex": value("F")}) == [
        (
            ERROR,
            "Sex",
            "'F' has no ontology term: Sex needs one of PATO_0000384 (male), "
            "PATO_0000383 (female), OBI_0000858 (record of unknown sex)",
        )
    ]


def test_it_gives_an_error_for_a_term_the_rule_does_not_allow():
    assert _animal_findings({"Sex": value("biological sex", "PATO_0000047")}) == [
        (
            ERROR,
            "Sex",
            "PATO_0000047 (biological sex) is not allowed for Sex: it needs one of "
            "PATO_0000384 (male), PATO_0000383 (female), OBI_0000858 (record of unknown sex)",
        )
    ]


def test_it_gives_an_error_for_a_term_that_is_not_below_the_rules_root():
    assert _sample_findings({"Organism part": value("adult", "EFO_0001272")}) == [
        (
            ERROR,
            "Organism part",
            "EFO_0001272 (adult) is not allowed for Organism part: it needs a term below "
            "UBERON_0001062 (anatomical entity)",
        )
    ]


def test_it_gives_an_error_for_the_root_itself_where_only_terms_below_it_are_allowed():
    assert _animal_findings({"Species": value("root", "NCBITaxon_1")}, taxId=1) == [
        (ERROR, "Species", "NCBITaxon_1 (root) is not allowed for Species: only terms below it are")
    ]


@pytest.mark.parametrize(("text", "term"), [("blood", "UBERON_0000178"), ("oocyte", "CL_0000023")])
def test_it_accepts_a_term_below_the_rules_root_by_its_stored_ancestors(text, term):
    assert _sample_findings({"Organism part": value(text, term)}) == []


def test_it_gives_an_error_for_a_text_that_is_not_the_terms_label():
    sheep = {
        "Species": value("Bos taurus", "NCBITaxon_9940"),
        "Mapped breed": value("sheep breed", "LBO_0000004"),
    }

    assert _animal_findings(sheep, taxId=9940) == [
        (ERROR, "Species", "'Bos taurus' is not the label of NCBITaxon_9940 (Ovis aries)")
    ]


def test_it_accepts_a_synonym_of_the_term():
    assert _sample_findings({"Organism part": value("hair", "UBERON_0001037")}) == []


def test_it_warns_of_a_label_that_differs_only_in_letter_case():
    assert _sample_findings({"Organism part": value("Hair", "UBERON_0001037")}) == [
        (
            WARNING,
            "Organism part",
            "'Hair' matches UBERON_0001037 (strand of hair) only when letter case is ignored",
        )
    ]


def test_it_warns_that_a_term_missing_from_the_table_cannot_be_verified_offline():
    assert _sample_findings({"Organism part": value("udder", "UBERON_0013216")}) == [
        (
            WARNING,
            "Organism part",
            "UBERON_0013216 cannot be verified offline: it is not in the term table",
        )
    ]


def test_it_warns_that_terms_cannot_be_verified_with_an_empty_table():
    results = _check(animal(), terms={})

    assert {found.severity for found in results["animal_1"]} == {WARNING}
    assert all("cannot be verified offline" in found.message for found in results["animal_1"])


def test_it_warns_of_an_obsolete_term():
    terms = dict(TERMS)
    terms["UBERON_0001968"] = TermInfo(
        id="UBERON_0001968",
        label="semen",
        ancestors=TERMS["UBERON_0001968"].ancestors,
        obsolete=True,
    )

    results = _check(animal(), sample(), terms=terms)

    assert findings_of(results, "sample_1") == [
        (WARNING, "Organism part", "UBERON_0001968 (semen) is obsolete")
    ]


def test_it_gives_an_error_for_an_iri_that_names_no_term():
    found = _sample_findings(
        {"Organism part": [{"text": "semen", "ontologyTerms": ["http://example.org/semen"]}]}
    )

    assert found == [(ERROR, "Organism part", "'http://example.org/semen' is not an ontology term")]


def test_it_gives_an_error_for_a_data_source_id_two_records_share():
    results = _check(animal(), animal("animal_2", {"Data source ID": value("animal_1")}))

    message = "'animal_1' is the Data source ID of 2 records: animal_1, animal_2"
    assert findings_of(results, "animal_1") == [(ERROR, "Data source ID", message)]
    assert findings_of(results, "animal_2") == [(ERROR, "Data source ID", message)]


def test_it_refuses_two_documents_of_one_name():
    with pytest.raises(ValueError, match="two documents are named 'animal_1'"):
        _check(animal(), animal())


def test_it_reports_malformed_values_instead_of_failing():
    changes = {
        "Sex": {"text": "male", "ontologyTerms": "http://purl.obolibrary.org/obo/PATO_0000384"},
        "Birth date": [{"text": "2015", "unit": ["YYYY"]}],
        "Birth location": ["Siena"],
        "Supplied breed": [{"text": {"a": 1}}],
        "Mapped breed": [{"text": "Duroc", "ontologyTerms": [{"url": "LBO_0000358"}]}],
    }

    found = _animal_findings(changes, taxId="not a taxon", relationships=[None, {"type": 3}])

    assert found == [
        (ERROR, "Supplied breed", "Supplied breed has a value without text"),
        (ERROR, "Mapped breed", "[{'url': 'LBO_0000358'}] are not ontology terms"),
        (
            ERROR,
            "Birth date",
            "\"['YYYY']\" is not a date format of Birth date; its formats are YYYY-MM-DD, "
            "YYYY-MM, YYYY",
        ),
        (ERROR, "Birth location", "Birth location has a value without text"),
        (
            ERROR,
            "Birth location",
            "Birth location is empty but Birth location accuracy is 'precise coordinates': "
            "give the place, or set the accuracy to 'missing geographic information'",
        ),
        (
            ERROR,
            "Species",
            "the taxon id 'not a taxon' does not match the Species term NCBITaxon_9823 "
            "(Sus scrofa)",
        ),
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["text", "unit", "ontologyTerms", "type", "target", "source"]), children
        )
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    characteristics=st.dictionaries(
        st.sampled_from(["Sex", "Species", "Birth date", "Material", "Child of", "Colour"]),
        json_values,
    ),
    relationships=json_values,
    taxon=json_values,
)
def test_it_never_fails_on_a_document_of_any_shape(characteristics, relationships, taxon):
    document = {
        "name": "animal_1",
        "characteristics": characteristics,
        "relationships": relationships if isinstance(relationships, list) else [],
        "taxId": taxon,
    }

    results = _check(document, animal("animal_2"))

    assert set(results) == {"animal_1", "animal_2"}


def test_it_names_at_most_five_records_that_share_a_data_source_id():
    shared = {"Data source ID": value("ANIMAL:::ID:::1")}
    animals = [animal(f"animal_{number}", shared) for number in range(1, 8)]

    results = _check(*animals)

    assert findings_of(results, "animal_7") == [
        (
            ERROR,
            "Data source ID",
            "'ANIMAL:::ID:::1' is the Data source ID of 7 records: animal_1, animal_2, "
            "animal_3, animal_4, animal_5 and 2 more",
        )
    ]
