"""validation.ruleset: the IMAGE ruleset, checked when it is loaded."""

import copy
import json

import pytest

from injecttool.testing.shared import shared_fixture
from validation.registry import RULESET_PATH
from validation.ruleset import (
    RulesetError,
    ruleset_default,
    ruleset_load,
    ruleset_parse,
)


def _ruleset(*rules: dict) -> dict:
    return {"name": "test rules", "rule_groups": [{"name": "standard", "rules": list(rules)}]}


def _rule(**fields) -> dict:
    return {"Name": "Thing", "Type": "text", "Required": "optional", **fields}


def test_it_loads_the_projects_ruleset_in_groups_with_their_conditions():
    ruleset = ruleset_load(RULESET_PATH)

    assert [group.name for group in ruleset.groups] == [
        "standard",
        "organism",
        "specimen from organism",
    ]
    assert [group.condition for group in ruleset.groups] == [
        (),
        (("Material", "organism"),),
        (("Material", "specimen from organism"),),
    ]
    child_of = next(rule for rule in ruleset.groups[1].rules if rule.name == "Child of")
    assert child_of.max_values == 2
    species = next(rule for rule in ruleset.groups[0].rules if rule.name == "Species")
    assert (species.terms[0].term, species.terms[0].allow_descendants) == ("NCBITaxon_1", True)
    assert not species.terms[0].include_root


def test_it_gives_the_same_rules_for_the_official_ruleset():
    official = ruleset_load(shared_fixture("image-metadata/sample_ruleset.json"))

    assert official.groups == ruleset_load(RULESET_PATH).groups
    assert official.version == ruleset_default().version


def test_it_names_the_version_by_name_and_a_digest_of_the_content_not_its_layout(tmp_path):
    data = json.loads(RULESET_PATH.read_text(encoding="utf-8"))
    relaid = tmp_path / "relaid.json"
    relaid.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    changed = copy.deepcopy(data)
    changed["rule_groups"][0]["rules"][0]["Required"] = "recommended"

    version = ruleset_default().version
    assert version.startswith("IMAGE sample metadata rules (sha256 ")
    assert ruleset_load(relaid).version == version
    assert ruleset_parse(changed, source="changed").version != version


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (_rule(Type="number"), "rule 'Thing' is of type number and has no Valid units"),
        (_rule(Type="date"), "rule 'Thing' is of type date and has no Valid units"),
        (
            _rule(Type="limited value"),
            "rule 'Thing' is of type limited value and has no Valid values",
        ),
        (_rule(Type="ontology_id"), "rule 'Thing' is of type ontology_id and has no Valid terms"),
        (_rule(**{"Valid units": ["cm"]}), "rule 'Thing' is of type text and has Valid units"),
        (_rule(**{"Valid values": ["a"]}), "rule 'Thing' is of type text and has Valid values"),
        (
            _rule(**{"Valid terms": [{"term": "X_1", "include_root": 1}]}),
            "rule 'Thing' is of type text and has Valid terms",
        ),
    ],
)
def test_it_refuses_a_rule_that_breaks_the_type_constraints(rule, problem):
    with pytest.raises(RulesetError) as raised:
        ruleset_parse(_ruleset(rule), source="broken.json")

    assert raised.value.problems == [problem]
    assert "the IMAGE ruleset broken.json is broken" in str(raised.value)


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (_rule(Type="words"), "rule 'Thing' has Type 'words'"),
        (_rule(Required="maybe"), "rule 'Thing' has Required 'maybe'"),
        (_rule(**{"Allow Multiple": "many"}), "rule 'Thing' has Allow Multiple 'many'"),
        (
            _rule(Type="date", **{"Valid units": ["DD/MM/YYYY"]}),
            "rule 'Thing' has the date format 'DD/MM/YYYY'",
        ),
        (
            _rule(Type="ontology_id", **{"Valid terms": [{"term": "not a term"}]}),
            "rule 'Thing' has a valid term without a term id",
        ),
        (
            _rule(Type="ontology_id", **{"Valid terms": [{"term": "X_1", "include_root": 0}]}),
            "rule 'Thing': X_1 allows neither itself",
        ),
        ({"Type": "text"}, "rule group 'standard', rule 0 has no Name"),
    ],
)
def test_it_refuses_a_rule_it_could_not_check(rule, problem):
    with pytest.raises(RulesetError) as raised:
        ruleset_parse(_ruleset(rule), source="broken.json")

    assert raised.value.problems[0].startswith(problem)


def test_it_refuses_an_unknown_condition():
    data = _ruleset(_rule())
    data["rule_groups"][0]["condition"] = {"dataset_type": "x"}

    with pytest.raises(RulesetError, match="has a condition other than"):
        ruleset_parse(data, source="broken.json")


def test_it_lists_every_problem_at_once():
    data = _ruleset(_rule(Name="A", Type="number"), _rule(Name="B", Type="limited value"))

    with pytest.raises(RulesetError) as raised:
        ruleset_parse(data, source="broken.json")

    assert len(raised.value.problems) == 2


def test_it_refuses_two_rules_of_one_name_in_a_group():
    with pytest.raises(RulesetError, match="has two rules named 'A'"):
        ruleset_parse(_ruleset(_rule(Name="A"), _rule(Name="A")), source="broken.json")


def test_it_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(RulesetError, match="cannot be read as JSON"):
        ruleset_load(path)
