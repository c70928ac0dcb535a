"""The IMAGE ruleset as the validation engine reads it: groups, conditions and rules.

The ruleset is data (``validation/data/sample_ruleset.json``, the IMAGE sample metadata
rules of the IMAGE-metadata project): a new version of the file is a data change, not a
code change. The file is checked when it is loaded, against the type constraints of the
IMAGE format (specs/image-rules.md): number and date rules need units, limited value
rules need values, ontology_id rules need terms and text rules have none of the three.
A file that breaks them is an operator's error: :class:`RulesetError` names the file and
every problem, for an admin to fix; it never becomes a curator's finding.

A ruleset's version is its name and a digest of its content (key order and formatting do
not count), so a validation result can say which rules made it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validation.registry import MANDATORY, OPTIONAL, RECOMMENDED, RULESET_PATH, Term

TEXT = "text"
NUMBER = "number"
DATE = "date"
LIMITED_VALUE = "limited value"
ONTOLOGY_ID = "ontology_id"
URI = "uri"
DOI = "doi"
TYPES = (TEXT, NUMBER, DATE, LIMITED_VALUE, ONTOLOGY_ID, URI, DOI)
REQUIREMENTS = (MANDATORY, RECOMMENDED, OPTIONAL)

# The date formats a date rule may name as its units, as patterns of the value. A format
# outside this table could not be checked, so a ruleset naming one is refused.
DATE_FORMATS: dict[str, re.Pattern[str]] = {
    "YYYY-MM-DD": re.compile(r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})\Z"),
    "YYYY-MM": re.compile(r"\A([0-9]{4})-([0-9]{2})\Z"),
    "YYYY": re.compile(r"\A([0-9]{4})\Z"),
}

# A term id as the ruleset writes it: an ontology prefix, an underscore and a local id.
TERM_ID_RE = re.compile(r"\A[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9]+\Z")
_MAX_RE = re.compile(r"\Amax ([1-9][0-9]*)\Z")


class RulesetError(Exception):
    """A ruleset file the engine cannot use: an operator's error, for admins to fix."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"the IMAGE ruleset {source} is broken:\n{listed}")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a group: what one IMAGE attribute must be."""

    name: str
    type: str  # one of TYPES
    required: str  # MANDATORY, RECOMMENDED or OPTIONAL
    max_values: int | None  # None: any number ("Allow Multiple": "yes")
    units: tuple[str, ...] = ()  # valid units; for a date, its formats
    values: tuple[str, ...] = ()  # valid values of a limited value
    terms: tuple[Term, ...] = ()  # valid terms of an ontology_id


@dataclass(frozen=True, slots=True)
class RuleGroup:
    """A group of rules and when it applies."""

    name: str
    # (attribute, value) pairs a record must all have (a value of the attribute equal to
    # the string) for the group to apply; empty: every record.
    condition: tuple[tuple[str, str], ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Ruleset:
    """A checked ruleset: its groups and its version."""

    name: str
    digest: str  # sha256 of the canonical JSON of the file's content
    groups: tuple[RuleGroup, ...]

    @property
    def version(self) -> str:
        """What a result stores to say which rules made it: name and short digest."""
        return f"{self.name} (sha256 {self.digest[:12]})"

    def attribute_names(self) -> frozenset[str]:
        """Every attribute some group of the ruleset has a rule for."""
        return frozenset(rule.name for group in self.groups for rule in group.rules)


def ruleset_load(path: Path) -> Ruleset:
    """The ruleset in the JSON file at ``path``, checked; RulesetError when it is broken."""
    source = str(path)
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise RulesetError(source, [f"cannot be read as JSON: {error}"]) from error
    return ruleset_parse(data, source=source)


def ruleset_parse(data: Any, *, source: str) -> Ruleset:
    """The ruleset a parsed JSON document describes; RulesetError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("rule_groups"), list):
        raise RulesetError(source, ["has no list of rule_groups"])
    groups = []
    for index, group in enumerate(data["rule_groups"]):
        parsed = _group(group, index=index, problems=problems)
        if parsed is not None:
            groups.append(parsed)
    if not groups and not problems:
        problems.append("has no rule group")
    if problems:
        raise RulesetError(source, problems)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Ruleset(
        name=str(data.get("name") or data.get("description") or "IMAGE ruleset"),
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        groups=tuple(groups),
    )


@functools.cache
def ruleset_default() -> Ruleset:
    """The project's ruleset (validation/data/sample_ruleset.json), loaded once."""
    return ruleset_load(RULESET_PATH)


def _group(group: Any, *, index: int, problems: list[str]) -> RuleGroup | None:
    if not isinstance(group, dict):
        problems.append(f"rule group {index} is not an object")
        return None
    name = group.get("name")
    where = f"rule group {name!r}" if name else f"rule group {index}"
    if not isinstance(name, str) or not name:
        problems.append(f"{where} has no name")
    condition = _condition(group.get("condition"), where=where, problems=problems)
    rules_data = group.get("rules")
    if not isinstance(rules_data, list):
        problems.append(f"{where} has no list of rules")
        return None
    rules = []
    seen: set[str] = set()
    for position, rule in enumerate(rules_data):
        parsed = _rule(rule, where=f"{where}, rule {position}", problems=problems)
        if parsed is None:
            continue
        if parsed.name in seen:
            problems.append(f"{where} has two rules named {parsed.name!r}")
        seen.add(parsed.name)
        rules.append(parsed)
    return RuleGroup(name=str(name), condition=condition, rules=tuple(rules))


def _condition(condition: Any, *, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    if condition is None:
        return ()
    match = condition.get("attribute_value_match") if isinstance(condition, dict) else None
    if (
        not isinstance(condition, dict)
        or set(condition) != {"attribute_value_match"}
        or not isinstance(match, dict)
        or not match
        or not all(isinstance(key, str) and isinstance(value, str) for key, value in match.items())
    ):
        problems.append(
            f"{where} has a condition other than "
            '{"attribute_value_match": {"<attribute>": "<value>"}}'
        )
        return ()
    return tuple(sorted(match.items()))


def _rule(rule: Any, *, where: str, problems: list[str]) -> Rule | None:
    if not isinstance(rule, dict):
        problems.append(f"{where} is not an object")
        return None
    name = rule.get("Name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where} has no Name")
        return None
    where = f"rule {name!r}"
    before = len(problems)

    kind = rule.get("Type")
    if kind not in TYPES:
        problems.append(f"{where} has Type {kind!r}; the types are {', '.join(TYPES)}")
    required = rule.get("Required", OPTIONAL)
    if required not in REQUIREMENTS:
        problems.append(
            f"{where} has Required {required!r}; it is one of {', '.join(REQUIREMENTS)}"
        )
    max_values = _max_values(rule.get("Allow Multiple", "no"), where=where, problems=problems)

    units = _strings(rule, "Valid units", where=where, problems=problems)
    values = _strings(rule, "Valid values", where=where, problems=problems)
    terms = _terms(rule.get("Valid terms"), where=where, problems=problems)

    # The type constraints of the IMAGE format.
    if kind in (NUMBER, DATE) and not units:
        problems.append(f"{where} is of type {kind} and has no Valid units")
    if kind == DATE:
        for unit in units:
            if unit not in DATE_FORMATS:
                problems.append(
                    f"{where} has the date format {unit!r}; the formats are "
                    f"{', '.join(DATE_FORMATS)}"
                )
    if kind == LIMITED_VALUE and not values:
        problems.append(f"{where} is of type limited value and has no Valid values")
    if kind == ONTOLOGY_ID and "Valid terms" not in rule:  # an empty list: _terms says so
        problems.append(f"{where} is of type ontology_id and has no Valid terms")
    if kind == TEXT:
        for key in ("Valid units", "Valid values", "Valid terms"):
            if key in rule:
                problems.append(f"{where} is of type text and has {key}")

    if len(problems) > before:
        return None
    return Rule(
        name=name,
        type=kind,
        required=required,
        max_values=max_values,
        units=units,
        values=values,
        terms=terms,
    )


def _max_values(allowed: Any, *, where: str, problems: list[str]) -> int | None:
    allowed = str(allowed)
    if allowed == "no":
        return 1
    if allowed == "yes":
        return None
    found = _MAX_RE.match(allowed)
    if found is None:
        problems.append(f'{where} has Allow Multiple {allowed!r}; it is "no", "yes" or "max N"')
        return None
    return int(found.group(1))


def _strings(rule: dict, key: str, *, where: str, problems: list[str]) -> tuple[str, ...]:
    found = rule.get(key, [])
    if not isinstance(found, list) or not all(isinstance(item, str) and item for item in found):
        problems.append(f"{where} has {key} that are not a list of words")
        return ()
    return tuple(found)


def _terms(found: Any, *, where: str, problems: list[str]) -> tuple[Term, ...]:
    if found is None:
        return ()
    if not isinstance(found, list) or not found:
        problems.append(f"{where} has Valid terms that are not a list of terms")
        return ()
    terms = []
    for term in found:
        if not isinstance(term, dict) or not TERM_ID_RE.match(str(term.get("term", ""))):
            problems.append(f"{where} has a valid term without a term id: {term!r}")
            continue
        flags = (term.get("include_root", 0), term.get("allow_descendants", 0))
        if any(flag not in (0, 1) for flag in flags):  # True and False are 1 and 0
            problems.append(
                f"{where}: {term['term']} has include_root or allow_descendants other than 0 or 1"
            )
            continue
        if not any(flags):
            problems.append(
                f"{where}: {term['term']} allows neither itself (include_root) "
                "nor its descendants (allow_descendants)"
            )
            continue
        terms.append(
            Term(
                term=term["term"],
                ontology=str(term.get("ontology_name") or term["term"].split("_", 1)[0]),
                include_root=bool(flags[0]),
                allow_descendants=bool(flags[1]),
                label=str(term.get("label", "")),
            )
        )
    return tuple(terms)
