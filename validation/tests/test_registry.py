"""validation.registry: one IMAGE attribute registry that every reader shares."""

import ast
import json
import sys
from pathlib import Path

import pytest
from django.apps import apps

from excel import columns as cols
from uid.models import Animal, Sample
from validation import registry
from validation.registry import (
    ACCESSION_RE,
    ANIMAL,
    KINDS,
    RECORD_MODELS,
    SAMPLE,
    SEX_LABELS,
    SEX_WORDS,
    STORAGE_BY_TEMPERATURE,
    UNKNOWN_SEX,
    attribute,
    attributes,
    by_field,
    ruleset_load,
    sex_label,
    storage_values,
)

ROOT = Path(__file__).resolve().parents[2]
RULESET = json.loads(registry.RULESET_PATH.read_text(encoding="utf-8"))
GROUP_KINDS = {"standard": KINDS, "organism": (ANIMAL,), "specimen from organism": (SAMPLE,)}

# Fields of every record that are the tool's bookkeeping, not IMAGE attributes: the
# owner and submission (IMAGE's submission-level attributes are reached through them),
# attributes without a field, the life cycle and the BioSamples accession.
NOT_IMAGE = {"id", "owner", "submission", "extra", "status", "accession", "last_changed"}
NOT_IMAGE |= {"last_submitted", "edited_at", "import_notes"}


def _rules():
    for group in RULESET["rule_groups"]:
        for rule in group["rules"]:
            yield group["name"], rule


def _resolve(kind: str, path: str):
    model = apps.get_model(RECORD_MODELS[kind])
    *relations, last = path.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    return model._meta.get_field(last)


@pytest.mark.parametrize(("kind", "model"), [(ANIMAL, Animal), (SAMPLE, Sample)])
def test_it_maps_every_image_field_of_animals_and_samples_to_one_attribute(kind, model):
    for model_field in model._meta.concrete_fields:
        if model_field.name in NOT_IMAGE:
            continue
        holders = [
            a.name
            for a in attributes(kind)
            if model_field.name in a.fields(kind) or model_field.name == a.unit_field
        ]
        assert len(holders) == 1, f"{model.__name__}.{model_field.name}: {holders}"
        assert by_field(kind, model_field.name).name == holders[0]


@pytest.mark.parametrize("kind", KINDS)
def test_it_names_only_fields_the_models_have(kind):
    for attr in attributes(kind):
        for path in attr.fields(kind):
            _resolve(kind, path)  # FieldDoesNotExist otherwise
        if attr.unit_field:
            assert _resolve(kind, attr.unit_field).get_internal_type() == "CharField"
        if attr.dictionary:
            assert attr.model_field(kind).related_model is attr.dictionary_model()


def test_it_says_which_field_holds_nothing_of_image():
    assert by_field(ANIMAL, "status") is None
    assert by_field(SAMPLE, "sex") is None
    assert by_field(ANIMAL, "mother").name == "Child of"
    assert by_field(SAMPLE, "preparation_interval_unit").name == "Sampling to preparation interval"


def test_it_refuses_a_kind_it_does_not_know():
    with pytest.raises(ValueError, match="organism"):
        attributes("organism")


def test_it_has_one_attribute_per_rule_with_the_ruleset_s_requirement_and_values():
    for group, rule in _rules():
        attr = attribute(rule["Name"])
        assert attr.required == rule["Required"], rule["Name"]
        assert attr.type == rule["Type"], rule["Name"]
        assert set(GROUP_KINDS[group]) <= set(attr.kinds), rule["Name"]
        assert attr.units == tuple(rule.get("Valid units", ())), rule["Name"]
        assert [t.term for t in attr.terms] == [t["term"] for t in rule.get("Valid terms", ())]
        if rule["Name"] != "Sex":
            assert attr.values == tuple(rule.get("Valid values", ())), rule["Name"]
    assert len(attributes()) == len({rule["Name"] for _, rule in _rules()})


def test_it_keeps_each_kind_s_attributes_in_the_ruleset_s_order():
    names = [rule["Name"] for group, rule in _rules() if group in ("standard", "organism")]

    assert [a.name for a in attributes(ANIMAL)] == names


def test_it_gives_sex_the_labels_of_its_three_terms():
    sex = attribute("Sex")

    assert sex.values == ("male", "female", UNKNOWN_SEX)
    assert [t.term for t in sex.terms] == list(SEX_LABELS)
    assert sex.dictionary == "uid.Sex"


def test_every_template_column_reads_requirement_values_and_units_from_the_registry():
    for sheet in cols.SHEETS:
        for column in cols.sheet_columns(sheet):
            if not column.rule:
                continue
            attr = attribute(column.rule)
            assert column.required == attr.required, column.header
            assert column.description == attr.description, column.header
            # The ruleset's example, or one of its examples, where the column takes it;
            # else one the column's own rules make (excel/tests/test_template.py imports
            # every example).
            if column.example and column.kind in (cols.TEXT, cols.NAME):
                assert column.example in attr.example, column.header
            assert column.units == attr.units, column.header
            expected = attr.choices if column.kind == cols.LIMITED else ()
            assert column.values == expected, column.header


def test_every_template_column_is_an_attribute_the_tool_stores_for_its_sheet():
    for sheet in cols.SHEETS:
        kind = SAMPLE if sheet == "sample" else ANIMAL
        for column in cols.sheet_columns(sheet):
            if column.rule:
                assert attribute(column.rule).field(kind), column.header


def test_the_template_offers_only_the_real_availability_value():
    availability = attribute("Availability")

    assert availability.choices == ("no longer available",)
    assert len(availability.values) == 3


def test_a_ruleset_without_a_rule_the_registry_names_is_an_operator_error(tmp_path):
    broken = json.loads(json.dumps(RULESET))
    for group in broken["rule_groups"]:
        group["rules"] = [rule for rule in group["rules"] if rule["Name"] != "Sex"]
    path = tmp_path / "sample_ruleset.json"
    path.write_text(json.dumps(broken), encoding="utf-8")

    with pytest.raises(RuntimeError) as raised:
        ruleset_load(path)

    assert str(path) in str(raised.value)
    assert "'Sex'" in str(raised.value)


def test_the_shipped_ruleset_is_installed_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text()

    assert registry.RULESET_PATH.parent.name == "data"
    assert '"data/*"' in pyproject
    assert registry.RULESET_PATH.is_file()


@pytest.mark.parametrize("text", ["SAMEA4450075", "SAMN01", "SAMD00000001"])
def test_it_knows_an_accession(text):
    assert ACCESSION_RE.fullmatch(text) and ACCESSION_RE.match(text) and ACCESSION_RE.search(text)


@pytest.mark.parametrize(
    "text", ["SAMEA", "SAMX1", "SAMEA12x", "xSAMEA12", "SAMEA12\n", "SAMEA١٢", "samea12"]
)
def test_it_refuses_what_is_not_a_whole_accession(text):
    assert not ACCESSION_RE.match(text) and not ACCESSION_RE.search(text)


@pytest.mark.parametrize(
    ("word", "label"),
    [
        # CRB-Anim's words
        ("Male", "male"), ("m", "male"), ("mâle", "male"), ("F", "female"),
        ("femelle", "female"), ("Unknown", UNKNOWN_SEX), ("u", UNKNOWN_SEX),
        ("inconnu", UNKNOWN_SEX), ("not determined", UNKNOWN_SEX), ("undetermined", UNKNOWN_SEX),
        # the template's: labels and term ids
        (UNKNOWN_SEX, UNKNOWN_SEX), ("PATO_0000384", "male"), ("pato_0000383", "female"),
        ("OBI_0000858", UNKNOWN_SEX), (" female ", "female"),
    ],
)  # fmt: skip
def test_it_reads_the_sex_words_of_every_importer(word, label):
    assert sex_label(word) == label


@pytest.mark.parametrize("word", ["hermaphrodite", "", "x", "PATO_0000385"])
def test_it_knows_no_other_sex_words(word):
    assert sex_label(word) is None


def test_its_sex_words_name_only_the_three_labels():
    assert set(SEX_WORDS.values()) == set(SEX_LABELS.values())
    assert all(word == word.casefold() for word in SEX_WORDS)


def test_its_storage_values_are_the_ruleset_s():
    rule = next(rule for _, rule in _rules() if rule["Name"] == "Sample storage")

    assert storage_values() == tuple(rule["Valid values"])
    assert set(STORAGE_BY_TEMPERATURE.values()) <= set(storage_values())


# --- One place: no other module defines the vocabulary ------------------------------


def _project_sources():
    for package in sorted(ROOT.iterdir()):
        if not (package / "__init__.py").is_file() or package.name == "validation":
            continue
        for path in sorted(package.rglob("*.py")):
            if {"tests", "migrations"} & set(path.parts):
                continue
            yield path


def _definitions(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "SAM(" in node.value:
                found.append((node.lineno, "an accession pattern"))
        elif isinstance(node, ast.Dict):
            pairs = [
                (key.value, value.value)
                for key, value in zip(node.keys, node.values, strict=True)
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
                if isinstance(value, ast.Constant) and isinstance(value.value, str)
            ]
            if any(sex_label(key) and value in SEX_WORDS.values() for key, value in pairs):
                found.append((node.lineno, "a sex-word table"))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            value = node.value
            if isinstance(value, ast.Constant) and value.value == UNKNOWN_SEX:
                found.append((node.lineno, "the unknown-sex label"))
    return sorted(found)


def test_no_other_module_defines_an_accession_pattern_or_sex_words():
    sources = list(_project_sources())
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sources
        for line, what in _definitions(ast.parse(path.read_text(encoding="utf-8")))
    ]

    assert len(sources) > 50  # the scan sees the project
    assert offenders == []


def test_the_scan_finds_what_the_importers_used_to_define():
    old = (
        'ACCESSION_RE = re.compile(r"^SAM(N|D|EA)[0-9]+$")\n'
        'UNKNOWN_SEX = "record of unknown sex"\n'
        '_SEXES = {"m": "male", "male": "male", "f": "female", "female": "female"}\n'
        'SEX_LABELS = {"PATO_0000384": "male"}\n'
    )

    assert [what for _, what in _definitions(ast.parse(old))] == [
        "an accession pattern",
        "the unknown-sex label",
        "a sex-word table",
        "a sex-word table",
    ]


def test_the_registry_imports_no_app_of_the_project():
    tree = ast.parse((ROOT / "validation" / "registry.py").read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }

    assert imported <= set(sys.stdlib_module_names) | {"__future__", "django"}
