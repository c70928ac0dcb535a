"""The IMAGE validation engine: BioSamples-shaped documents in, findings out, offline.

A document is what InjectTool sends to BioSamples::

    {"name": "animal_1", "accession": "SAMEA1" (once it has one), "taxId": 9823,
     "characteristics": {"Sex": [{"text": "male", "ontologyTerms": [iri], "unit": ...}]},
     "relationships": [{"source": "animal_1", "type": "child of", "target": "animal_0"}]}

:func:`documents_check` checks a batch of them (a submission's records) three ways, as
specs/image-rules.md says: each characteristic against the rules of the ruleset groups
that apply (source "ruleset"), each "child of" and "derived from" relationship against
the batch and the accessions known here ("relationship"), and the records against each
other ("context"). Ontology terms come from a :data:`~validation.terms.TermLookup`
loaded before the run (the term table; one query), so nothing here touches the database
or the network, and a term the table lacks is a Warning, never a crash.

It is built to check a whole genebank in seconds: the rules are compiled once per run
into per-attribute checkers, and a checker remembers what it found for a value it has
seen (a genebank repeats its species, sexes, countries and roles on every record), so a
repeated value costs a dictionary look-up.
"""

from __future__ import annotations

import calendar
import functools
import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from validation.registry import (
    ACCESSION_RE,
    BREED_ROOTS,
    MANDATORY,
    RECOMMENDED,
    SEX_LABELS,
    UNKNOWN_SEX,
    Term,
)
from validation.ruleset import (
    DATE,
    DATE_FORMATS,
    DOI,
    LIMITED_VALUE,
    NUMBER,
    ONTOLOGY_ID,
    TEXT,
    URI,
    Rule,
    Ruleset,
    ruleset_default,
)
from validation.terms import TermInfo, TermLookup, term_describe, term_id

# Severities, statuses and the sources of findings.
ERROR = "Error"
WARNING = "Warning"
PASS = "Pass"  # noqa: S105 (a status, not a password)
RULESET = "ruleset"
RELATIONSHIP = "relationship"
CONTEXT = "context"

# The IMAGE vocabulary the context checks speak.
MATERIAL = "Material"
ORGANISM = "organism"
SPECIMEN = "specimen from organism"
SPECIES = "Species"
SEX = "Sex"
CHILD_OF = "child of"
DERIVED_FROM = "derived from"
_SEX_TERMS = {label: term for term, label in SEX_LABELS.items()}
MALE = _SEX_TERMS["male"]
FEMALE = _SEX_TERMS["female"]
UNKNOWN_SEX_TERM = _SEX_TERMS[UNKNOWN_SEX]
SEMEN = "UBERON_0001968"
NO_PLACE = "missing geographic information"
# The place attribute and its accuracy, by Material.
PLACES = {
    ORGANISM: ("Birth location", "Birth location accuracy"),
    SPECIMEN: ("Collection place", "Collection place accuracy"),
}
# The IMAGE attributes a relationship of the document may stand for.
RELATIONSHIP_ATTRIBUTES = {"Child of": CHILD_OF, "Derived from": DERIVED_FROM}

# BioSamples requires the species as "organism" (specs/biosamples.md), so a document
# may carry it under that name instead of IMAGE's "Species".
SPECIES_ALIASES = ("organism", "Organism", "species")
# Characteristics the BioSamples server adds to a document: not a curator's attribute.
SERVER_ATTRIBUTES = frozenset({"SRA accession"})
# A recommended attribute whose absence a context check reports more precisely (the
# supplied breed is named there), so the ruleset does not report it a second time.
ABSENCE_REPORTED_BY_CONTEXT = frozenset({"Mapped breed"})

_EMAIL_RE = re.compile(r"\A[^@\s:/]+@[^@\s/]+\.[^@\s/]+\Z")
_DOI_RE = re.compile(r"\A(?:doi:)?10\.[0-9]{4,9}/\S+\Z", re.IGNORECASE)
_NUMBER_RE = re.compile(r"\A[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_NO_FINDINGS: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem of one record: what the results store and the fix forms show."""

    severity: str  # ERROR or WARNING
    field: str  # the IMAGE attribute to edit, e.g. "Sex"
    message: str  # names the supplied value
    source: str  # RULESET, RELATIONSHIP or CONTEXT


def record_status(findings: Iterable[Finding]) -> str:
    """A record's status from its findings: "Error", else "Warning", else "Pass"."""
    status = PASS
    for finding in findings:
        if finding.severity == ERROR:
            return ERROR
        status = WARNING
    return status


def documents_term_ids(
    documents: Iterable[dict[str, Any]], *, ruleset: Ruleset | None = None
) -> set[str]:
    """Every term id a check of ``documents`` may look up: load these, in one query.

    The terms of the documents' ontology attributes, the ruleset's valid terms (named in
    messages) and the breed roots.
    """
    ruleset = ruleset or ruleset_default()
    names = {
        rule.name for group in ruleset.groups for rule in group.rules if rule.type == ONTOLOGY_ID
    }
    if SPECIES in names:
        names.update(SPECIES_ALIASES)
    found = {term.term for group in ruleset.groups for rule in group.rules for term in rule.terms}
    found.update(BREED_ROOTS.values())
    iris: set[str] = set()
    for document in documents:
        characteristics = document.get("characteristics") or {}
        for name in names & characteristics.keys():
            for value in _listed(characteristics[name]):
                if isinstance(value, dict):
                    iris.update(_listed(value.get("ontologyTerms")))
    found.update(filter(None, map(term_id, iris)))
    return found


def documents_check(
    documents: Iterable[dict[str, Any]],
    *,
    terms: TermLookup,
    known_accessions: Iterable[str] = frozenset(),
    ruleset: Ruleset | None = None,
) -> dict[str, list[Finding]]:
    """The findings of each document of a batch, keyed by document name (every name).

    ``documents`` may be a generator: each document is read once and not kept, so a
    whole genebank can be checked without holding its documents in memory at once.
    ``terms`` is the term table (``validation.selectors.terms_lookup()``: one query), or
    the part of it :func:`documents_term_ids` names (for a list of documents);
    ``known_accessions`` are the BioSamples accessions of records known here (the
    owner's records outside the batch): a relationship to one of them is accepted, a
    relationship to another accession gives a Warning (it cannot be verified offline).
    ``ruleset`` defaults to the project's. Names must be unique (ValueError otherwise:
    a caller's mistake, not a curator's).
    """
    run = _Run(ruleset or ruleset_default(), terms, frozenset(known_accessions))
    # The run makes millions of small objects and no reference cycles: the cycle
    # collector would only walk the whole batch again and again (a quarter of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return run.check(documents)
    finally:
        if collecting:
            gc.enable()


# --- One run -----------------------------------------------------------------------


@dataclass(slots=True)
class _Facts:
    """What the context checks need of one document, read once."""

    name: str
    findings: list[Finding]
    material: str | None
    species: str | None = None  # term id
    species_text: str = ""
    sex: str | None = None  # term id
    parts: tuple[str, ...] = ()  # organism part term ids
    accession: str | None = None
    source_id: str | None = None  # Data source ID
    targets: dict[str, list[str]] = field(default_factory=dict)  # type → targets


# A rule's checkers: (a text rule: only a unit to look for, the checker of one value
# with text, the checker of a list of values).
_Checker = tuple[
    bool,
    Callable[[str, dict], Sequence[Finding]],
    Callable[[list], Sequence[Finding]],
]


@dataclass(frozen=True, slots=True)
class _Plan:
    """The compiled rules for the records whose conditions give the same groups."""

    checkers: dict[str, _Checker]  # by attribute name
    missing: dict[str, Finding | None]  # the finding of an attribute missing
    order: tuple[str, ...]  # the attributes in the ruleset's order
    names: frozenset[str]


class _Run:
    """The compiled rules and the memories of one call of documents_check."""

    def __init__(self, ruleset: Ruleset, terms: TermLookup, known_accessions: frozenset[str]):
        self.ruleset = ruleset
        self.terms = terms
        self.known_accessions = known_accessions
        self.known_names = ruleset.attribute_names() | SERVER_ATTRIBUTES
        if SPECIES in self.known_names:
            self.known_names |= frozenset(SPECIES_ALIASES)
        self.condition_attributes = tuple(
            sorted({attribute for group in ruleset.groups for attribute, _ in group.condition})
        )
        self.checkers: dict[int, tuple[Finding | None, _Checker]] = {}
        self.plans: dict[tuple, _Plan] = {}
        self.unknown = functools.cache(self._unknown)

    # -- the batch --

    def check(self, documents: Iterable[dict[str, Any]]) -> dict[str, list[Finding]]:
        results: dict[str, list[Finding]] = {}
        facts: list[_Facts] = []
        for document in documents:
            name = document.get("name")
            if not isinstance(name, str) or not name:
                raise ValueError(f"a document has no name: {str(document)[:200]}")
            if name in results:
                raise ValueError(f"two documents are named {name!r}")
            found = self.document_check(document)
            results[name] = found
            facts.append(self.facts(document, found))
        self.batch_check(facts)
        return results

    def document_check(self, document: dict[str, Any]) -> list[Finding]:
        """The ruleset findings of one document."""
        characteristics = document.get("characteristics") or {}
        plan = self.plan(characteristics)
        checkers = plan.checkers
        get_checker = checkers.get
        found: list[Finding] = []
        empty = None
        for name, values in characteristics.items():
            checker = get_checker(name)
            # The common case inline, for speed: one value with text; for a text rule
            # without a unit there is nothing more to check.
            if checker is not None and type(values) is list and len(values) == 1:
                value = values[0]
                if type(value) is dict:
                    text = value.get("text")
                    if type(text) is str and text and not text.isspace():
                        if not checker[0] or value.get("unit") is not None:
                            found += checker[1](text, value)
                        continue
            if checker is None:
                if name in SPECIES_ALIASES and SPECIES in checkers and values:
                    if SPECIES in characteristics or name != self.species_alias(characteristics):
                        continue  # the species is checked once, under its first name
                    checker = checkers[SPECIES]
                elif name not in self.known_names:
                    found.append(self.unknown(name))
                    continue
                else:
                    continue  # an attribute of a group that does not apply
            if not values:
                empty = [*(empty or ()), name]
                continue
            found += checker[2](values if type(values) is list else [values])
        absent = plan.names - characteristics.keys()
        if absent or empty:
            if empty:
                absent = absent.union(empty)
            if SPECIES in absent and self.species_alias(characteristics):
                absent.discard(SPECIES)
            for name in plan.order:
                if name in absent:
                    missing = plan.missing[name]
                    if missing is not None and not self.has_relationship(document, name):
                        found.append(missing)
        return found

    @staticmethod
    def species_alias(characteristics: dict) -> str | None:
        """The name a document gives its species under, when not "Species"."""
        return next((name for name in SPECIES_ALIASES if characteristics.get(name)), None)

    def plan(self, characteristics: dict) -> _Plan:
        """The rules of the groups whose conditions the characteristics meet (cached)."""
        key = tuple(
            _all_texts(characteristics.get(attribute)) for attribute in self.condition_attributes
        )
        plan = self.plans.get(key)
        if plan is None:
            present = dict(zip(self.condition_attributes, key, strict=True))
            rules = [
                rule
                for group in self.ruleset.groups
                if all(value in present[attribute] for attribute, value in group.condition)
                for rule in group.rules
            ]
            compiled = {rule.name: self.checker(rule) for rule in reversed(rules)}
            order = tuple(dict.fromkeys(rule.name for rule in rules))
            plan = _Plan(
                checkers={name: compiled[name][1] for name in order},
                missing={name: compiled[name][0] for name in order},
                order=order,
                names=frozenset(order),
            )
            self.plans[key] = plan
        return plan

    @staticmethod
    def has_relationship(document: dict[str, Any], attribute: str) -> bool:
        kind = RELATIONSHIP_ATTRIBUTES.get(attribute)
        return kind is not None and any(
            isinstance(relationship, dict) and str(relationship.get("type", "")).lower() == kind
            for relationship in document.get("relationships") or ()
        )

    def _unknown(self, name: str) -> Finding:
        close = next((known for known in self.known_names if known.lower() == name.lower()), None)
        hint = f" (did you mean {close!r}?)" if close else ""
        return Finding(WARNING, name, f"{name!r} is not an IMAGE attribute{hint}", RULESET)

    # -- per rule --

    def checker(self, rule: Rule) -> tuple[Finding | None, _Checker]:
        """The finding of the rule's attribute missing, and the checkers of its values."""
        compiled = self.checkers.get(id(rule))
        if compiled is None:
            check_value = self._value_checker(rule)
            checker = (rule.type == TEXT, check_value, _values_checker(rule, check_value))
            compiled = (_missing(rule), checker)
            self.checkers[id(rule)] = compiled
        return compiled

    def _value_checker(self, rule: Rule) -> Callable[[str, dict], Sequence[Finding]]:
        units = _units_checker(rule)
        if rule.type == NUMBER:
            return _number_checker(rule, units)
        if rule.type == DATE:
            return _memo_by_text_and_unit(_date_checker(rule))
        if rule.type == LIMITED_VALUE:
            return _memo_by_text(_limited_checker(rule), units)
        if rule.type == URI:
            return _memo_by_text(_uri_checker(rule), units)
        if rule.type == DOI:
            return _memo_by_text(_doi_checker(rule), units)
        if rule.type == ONTOLOGY_ID:
            return _ontology_checker(rule, self.terms, units)
        return _text_checker(units)

    # -- context --

    def facts(self, document: dict[str, Any], found: list[Finding]) -> _Facts:
        """Read what the context checks need, and run those of this document alone."""
        characteristics = document.get("characteristics") or {}
        material = _first_text(characteristics.get(MATERIAL))
        facts = _Facts(name=document["name"], findings=found, material=material)
        accession = document.get("accession")
        facts.accession = accession if isinstance(accession, str) and accession else None
        facts.source_id = _first_text(characteristics.get("Data source ID"))
        species = characteristics.get(SPECIES)
        if not species:
            alias = self.species_alias(characteristics)
            species = characteristics[alias] if alias else None
        facts.species_text = _first_text(species) or ""
        facts.species = _first_term(species)
        facts.sex = _first_term(characteristics.get(SEX))
        if material == SPECIMEN:
            facts.parts = tuple(
                found_id
                for value in _listed(characteristics.get("Organism part"))
                if isinstance(value, dict)
                for found_id in map(term_id, _listed(value.get("ontologyTerms")))
                if found_id
            )
        facts.targets = _targets(document, characteristics)

        if material in PLACES:
            found.extend(_place_check(characteristics, *PLACES[material]))
        found.extend(self.taxon_check(facts, document.get("taxId")))
        if material == ORGANISM:
            found.extend(self.breed_check(facts, characteristics))
        return facts

    def taxon_check(self, facts: _Facts, taxon: Any) -> Sequence[Finding]:
        if taxon in (None, "") or not facts.species or not facts.species.startswith("NCBITaxon_"):
            return _NO_FINDINGS
        if str(taxon).strip() == facts.species.removeprefix("NCBITaxon_"):
            return _NO_FINDINGS
        species = term_describe(facts.species, self.terms)
        message = f"the taxon id {taxon!r} does not match the Species term {species}"
        return (Finding(ERROR, SPECIES, message, CONTEXT),)

    def breed_check(self, facts: _Facts, characteristics: dict) -> Sequence[Finding]:
        breed = _first_term(characteristics.get("Mapped breed"))
        if breed is None:
            supplied = _first_text(characteristics.get("Supplied breed"))
            if not supplied or _first_text(characteristics.get("Mapped breed")):
                return _NO_FINDINGS  # no breed at all (the ruleset says so), or no term
            message = f"the supplied breed {supplied!r} is not mapped to a breed ontology term"
            return (Finding(WARNING, "Mapped breed", message, CONTEXT),)
        root = self.breed_root(facts.species)
        info = self.terms.get(breed)
        if root is None or info is None or breed == root or root in info.ancestors:
            return _NO_FINDINGS  # an unknown term is the ruleset's Warning already
        known = self.terms.get(facts.species or "")
        species = known.label if known is not None else facts.species_text or facts.species
        message = (
            f"{term_describe(breed, self.terms)} is not a breed of {species}: it is not below "
            f"{term_describe(root, self.terms)}"
        )
        return (Finding(ERROR, "Mapped breed", message, CONTEXT),)

    def breed_root(self, species: str | None) -> str | None:
        if species is None:
            return None
        if species in BREED_ROOTS:
            return BREED_ROOTS[species]
        info = self.terms.get(species)  # a subspecies or breed group of a species
        ancestors = info.ancestors if info is not None else ()
        return next((BREED_ROOTS[term] for term in ancestors if term in BREED_ROOTS), None)

    def batch_check(self, facts: list[_Facts]) -> None:
        """The checks across records: relationships, parents, animals, unique ids."""
        by_key: dict[str, _Facts] = {}
        by_source_id: dict[str, list[_Facts]] = defaultdict(list)
        for record in facts:
            by_key[record.name] = record
            if record.accession:
                by_key.setdefault(record.accession, record)
            if record.source_id:
                by_source_id[record.source_id].append(record)

        for source_id, records in by_source_id.items():
            if len(records) > 1:
                names = ", ".join(record.name for record in records[:5])
                if len(records) > 5:
                    names += f" and {len(records) - 5} more"
                message = f"{source_id!r} is the Data source ID of {len(records)} records: {names}"
                finding = Finding(ERROR, "Data source ID", message, RULESET)
                for record in records:
                    record.findings.append(finding)

        for record in facts:
            for kind, targets in record.targets.items():
                attribute = "Child of" if kind == CHILD_OF else "Derived from"
                related = [
                    self.resolve(record, target, attribute, by_key, by_source_id)
                    for target in targets
                ]
                if kind == CHILD_OF and record.material == ORGANISM:
                    record.findings.extend(self.parents_check(record, targets, related))
                elif kind == DERIVED_FROM and record.material == SPECIMEN:
                    record.findings.extend(self.animal_check(record, targets, related))

    def resolve(
        self,
        record: _Facts,
        target: str,
        attribute: str,
        by_key: dict[str, _Facts],
        by_source_id: dict[str, list[_Facts]],
    ) -> _Facts | None:
        """The animal of the batch a target names, or None; adds relationship findings.

        A target names a record by its name, its accession or (where the IMAGE attribute
        gives the targets) its Data source ID.
        """
        found = by_key.get(target)
        if found is None and len(by_source_id.get(target, ())) == 1:
            found = by_source_id[target][0]
        if found is record:
            message = f"{target!r} is this record itself"
            record.findings.append(Finding(ERROR, attribute, message, RELATIONSHIP))
            return None
        if found is not None:
            if found.material != ORGANISM:
                message = f"{target!r} is not an animal (its Material is {found.material!r})"
                record.findings.append(Finding(ERROR, attribute, message, RELATIONSHIP))
                return None
            return found
        if ACCESSION_RE.match(target):
            if target not in self.known_accessions:
                message = (
                    f"{target} is not a record known here and cannot be verified offline "
                    "in BioSamples"
                )
                record.findings.append(Finding(WARNING, attribute, message, RELATIONSHIP))
            return None
        message = (
            f"{target!r} is neither a record of this submission nor a BioSamples accession "
            "(SAMN…, SAMD… or SAMEA… and digits)"
        )
        record.findings.append(Finding(ERROR, attribute, message, RELATIONSHIP))
        return None

    def parents_check(
        self, child: _Facts, targets: list[str], parents: list[_Facts | None]
    ) -> list[Finding]:
        found = []
        for parent in parents:
            if parent is not None:
                found.extend(self.species_match(child, parent, "parent"))
        if len(targets) > 2:
            message = f"{len(targets)} parents ({', '.join(targets)}); an animal has at most two"
            found.append(Finding(ERROR, "Child of", message, CONTEXT))
            return found  # which two are the parents is unknown: no sex check
        known = [parent for parent in parents if parent is not None]
        if len(known) == 2 and known[0].sex == known[1].sex and known[0].sex in (MALE, FEMALE):
            sex = "male" if known[0].sex == MALE else "female"
            message = f"both parents, {known[0].name} and {known[1].name}, are {sex}"
            found.append(Finding(ERROR, "Child of", message, CONTEXT))
        for parent in known:
            if parent.sex == UNKNOWN_SEX_TERM:
                message = f"the parent {parent.name} is of unknown sex"
                found.append(Finding(WARNING, "Child of", message, CONTEXT))
        return found

    def animal_check(
        self, sample: _Facts, targets: list[str], animals: list[_Facts | None]
    ) -> list[Finding]:
        if len(targets) > 1:
            message = (
                f"derived from {len(targets)} animals ({', '.join(targets)}); "
                "a specimen derives from exactly one"
            )
            return [Finding(ERROR, "Derived from", message, CONTEXT)]
        animal = animals[0] if animals else None
        if animal is None:
            return []
        found = list(self.species_match(sample, animal, "animal"))
        if any(part == SEMEN or self.is_below(part, SEMEN) for part in sample.parts):
            if animal.sex == FEMALE:
                message = f"semen from {animal.name}, a female"
                found.append(Finding(ERROR, "Organism part", message, CONTEXT))
            elif animal.sex == UNKNOWN_SEX_TERM:
                message = f"semen from {animal.name}, an animal of unknown sex"
                found.append(Finding(WARNING, "Organism part", message, CONTEXT))
        return found

    def species_match(self, record: _Facts, other: _Facts, role: str) -> Sequence[Finding]:
        if not record.species or not other.species or record.species == other.species:
            return _NO_FINDINGS
        message = (
            f"{record.species_text or record.species!r} ({record.species}) differs from the "
            f"species of its {role} {other.name}, {other.species_text or other.species!r} "
            f"({other.species})"
        )
        return (Finding(ERROR, SPECIES, message, CONTEXT),)

    def is_below(self, term: str, ancestor: str) -> bool:
        info = self.terms.get(term)
        return info is not None and ancestor in info.ancestors


# --- Per rule checkers ---------------------------------------------------------------


def _missing(rule: Rule) -> Finding | None:
    if rule.required == MANDATORY:
        return Finding(ERROR, rule.name, f"{rule.name} is missing (mandatory)", RULESET)
    if rule.required == RECOMMENDED and rule.name not in ABSENCE_REPORTED_BY_CONTEXT:
        return Finding(WARNING, rule.name, f"{rule.name} is missing (recommended)", RULESET)
    return None


def _values_checker(
    rule: Rule, value_checker: Callable[[str, dict], Sequence[Finding]]
) -> Callable[[list], list[Finding]]:
    """The checker of an attribute's values: their number, emptiness, then each value."""
    name = rule.name
    severity = ERROR if rule.required == MANDATORY else WARNING
    empty = Finding(severity, name, f"{name} has an empty value", RULESET)
    malformed = Finding(ERROR, name, f"{name} has a value without text", RULESET)
    max_values = rule.max_values

    @functools.cache
    def too_many(count: int) -> Finding:
        allowed = "one value" if max_values == 1 else f"{max_values} values"
        message = f"{name} has {count} values; it takes at most {allowed}"
        return Finding(ERROR, name, message, RULESET)

    def check(values: list) -> list[Finding]:
        found: list[Finding] = []
        if max_values is not None and len(values) > max_values:
            found.append(too_many(len(values)))
        for value in values:
            if type(value) is not dict:
                found.append(malformed)
                continue
            text = value.get("text")
            if type(text) is not str:
                if text is None or isinstance(text, dict | list):
                    found.append(empty if text in (None, "") else malformed)
                    continue
                text = str(text)  # a number
            if not text or text.isspace():
                found.append(empty)
                continue
            result = value_checker(text, value)
            if result:
                found.extend(result)
        return found

    return check


def _units_checker(rule: Rule) -> Callable[[Any], Sequence[Finding]]:
    """Checks a value's unit: required and listed where the rule has units, else none.

    Call it with a hashable unit (see _unit).
    """
    name = rule.name
    listed = ", ".join(rule.units)

    @functools.cache
    def check(unit: Any) -> tuple[Finding, ...]:
        if rule.units:
            if unit in (None, ""):
                message = f"{name} has no unit; its units are: {listed}"
                return (Finding(ERROR, name, message, RULESET),)
            if unit not in rule.units:
                message = f"{unit!r} is not a unit of {name}; its units are: {listed}"
                return (Finding(ERROR, name, message, RULESET),)
            return ()
        if unit not in (None, ""):
            message = f"{name} takes no unit, but has the unit {unit!r}"
            return (Finding(WARNING, name, message, RULESET),)
        return ()

    return check


def _unit(value: dict) -> str | None:
    """A value's unit, hashable (a malformed unit, such as a list, as its text)."""
    unit = value.get("unit")
    return unit if unit is None or type(unit) is str else str(unit)


def _text_checker(
    units: Callable[[Any], Sequence[Finding]],
) -> Callable[[str, dict], Sequence[Finding]]:
    def check(text: str, value: dict) -> Sequence[Finding]:
        return _NO_FINDINGS if value.get("unit") is None else units(_unit(value))

    return check


def _memo_by_text(
    check: Callable[[str], tuple[Finding, ...]], units: Callable[[Any], Sequence[Finding]]
) -> Callable[[str, dict], Sequence[Finding]]:
    remembered = functools.lru_cache(maxsize=100_000)(check)

    def checker(text: str, value: dict) -> Sequence[Finding]:
        found = remembered(text)
        if value.get("unit") is None:
            return found
        return (*found, *units(_unit(value)))

    return checker


def _memo_by_text_and_unit(
    check: Callable[[str, Any], tuple[Finding, ...]],
) -> Callable[[str, dict], Sequence[Finding]]:
    remembered = functools.lru_cache(maxsize=100_000)(check)

    def checker(text: str, value: dict) -> Sequence[Finding]:
        return remembered(text, _unit(value))

    return checker


def _number_checker(
    rule: Rule, units: Callable[[Any], Sequence[Finding]]
) -> Callable[[str, dict], Sequence[Finding]]:
    name = rule.name

    def check(text: str, value: dict) -> Sequence[Finding]:
        found = units(_unit(value))
        if _NUMBER_RE.match(text.strip()):
            return found
        message = f"{text!r} is not a number ({name})"
        return (*found, Finding(ERROR, name, message, RULESET))

    return check


def _date_checker(rule: Rule) -> Callable[[str, Any], tuple[Finding, ...]]:
    name = rule.name
    listed = ", ".join(rule.units)

    def check(text: str, unit: Any) -> tuple[Finding, ...]:
        if unit in (None, ""):
            message = f"{name} {text!r} has no unit; its units are the date formats {listed}"
            return (Finding(ERROR, name, message, RULESET),)
        if unit not in rule.units:
            message = f"{unit!r} is not a date format of {name}; its formats are {listed}"
            return (Finding(ERROR, name, message, RULESET),)
        found = DATE_FORMATS[unit].match(text)
        if found is None:
            message = f"{text!r} is not a date in the format {unit}"
            return (Finding(ERROR, name, message, RULESET),)
        parts = [int(part) for part in found.groups()]
        month_ok = len(parts) < 2 or 1 <= parts[1] <= 12
        day_ok = len(parts) < 3 or (
            month_ok and 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]
        )
        if not (month_ok and day_ok) or parts[0] == 0:
            message = f"{text!r} is not a real date"
            return (Finding(ERROR, name, message, RULESET),)
        return ()

    return check


def _limited_checker(rule: Rule) -> Callable[[str], tuple[Finding, ...]]:
    """Allowed values; a valid value that is itself a URI stands for any URI of its kind.

    The IMAGE ruleset lists "mailto:a.valid@email" and "https://a.valid.weblink" among
    Availability's values: examples of a kind of value, not values to match.
    """
    name = rule.name
    literal = frozenset(value for value in rule.values if not _uri_kind(value))
    kinds = frozenset(_uri_kind(value) for value in rule.values) - {None}
    by_case = {value.casefold(): value for value in literal}
    described = ", ".join(
        [repr(value) for value in rule.values if value in literal]
        + [{"mailto": "a mailto: address", "web": "a web address"}[kind] for kind in sorted(kinds)]
    )

    def check(text: str) -> tuple[Finding, ...]:
        if text in literal:
            return ()
        kind = _uri_kind(text)
        if kind in kinds:
            problem = _uri_problem(text)
            if problem is None:
                return ()
            return (Finding(ERROR, name, problem, RULESET),)
        close = by_case.get(text.casefold())
        if close is not None:
            message = f"{text!r} is not a valid value of {name} (did you mean {close!r}?)"
        else:
            message = f"{text!r} is not a valid value of {name}; the values are: {described}"
        return (Finding(ERROR, name, message, RULESET),)

    return check


def _uri_kind(text: str) -> str | None:
    lowered = text.lower()
    if lowered.startswith("mailto:"):
        return "mailto"
    if lowered.startswith(("http://", "https://")):
        return "web"
    return None


def _uri_problem(text: str) -> str | None:
    """What is wrong with a URI (e-mail addresses only as mailto:), or None."""
    if text.lower().startswith("mailto:"):
        if _EMAIL_RE.match(text[len("mailto:") :]):
            return None
        return f"{text!r} is not a mailto: address of the form mailto:name@example.org"
    if _EMAIL_RE.match(text):
        return f"{text!r} is an e-mail address: write it as 'mailto:{text}'"
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or not parts.scheme or not parts.netloc or any(c.isspace() for c in text):
        if parts is not None and not parts.scheme and "." in text and " " not in text:
            return f"{text!r} is not a URI: it has no scheme (e.g. 'https://{text}')"
        return f"{text!r} is not a URI"
    return None


def _uri_checker(rule: Rule) -> Callable[[str], tuple[Finding, ...]]:
    name = rule.name

    def check(text: str) -> tuple[Finding, ...]:
        problem = _uri_problem(text.strip())
        return () if problem is None else (Finding(ERROR, name, problem, RULESET),)

    return check


def _doi_checker(rule: Rule) -> Callable[[str], tuple[Finding, ...]]:
    name = rule.name

    def check(text: str) -> tuple[Finding, ...]:
        if _DOI_RE.match(text.strip()):
            return ()
        message = f"{text!r} is not a DOI: it looks like 10.NNNN/suffix, optionally after 'doi:'"
        return (Finding(ERROR, name, message, RULESET),)

    return check


def _ontology_checker(
    rule: Rule, terms: TermLookup, units: Callable[[Any], Sequence[Finding]]
) -> Callable[[str, dict], Sequence[Finding]]:
    """Checks a value's terms: known, allowed by the rule, and named by the text."""
    name = rule.name
    exact = frozenset(term.term for term in rule.terms if term.include_root)
    roots_only = frozenset(term.term for term in rule.terms if not term.include_root)
    below = tuple(term.term for term in rule.terms if term.allow_descendants)
    needed = _requirement(rule.terms, terms)

    def term_findings(text: str, iri: Any) -> list[Finding]:
        found_id = term_id(iri)
        if found_id is None:
            return [Finding(ERROR, name, f"{iri!r} is not an ontology term", RULESET)]
        described = term_describe(found_id, terms)
        info = terms.get(found_id)
        if info is None:
            message = f"{found_id} cannot be verified offline: it is not in the term table"
            return [Finding(WARNING, name, message, RULESET)]
        if found_id not in exact:
            if found_id in roots_only:
                message = f"{described} is not allowed for {name}: only terms below it are"
                return [Finding(ERROR, name, message, RULESET)]
            if not any(root in info.ancestors for root in below):
                message = f"{described} is not allowed for {name}: it needs {needed}"
                return [Finding(ERROR, name, message, RULESET)]
        found = []
        if info.obsolete:
            found.append(Finding(WARNING, name, f"{described} is obsolete", RULESET))
        found.extend(_label_findings(text, info, name))
        return found

    @functools.lru_cache(maxsize=100_000)
    def check_terms(text: str, iris: tuple) -> tuple[Finding, ...]:
        if not iris:
            message = f"{text!r} has no ontology term: {name} needs {needed}"
            return (Finding(ERROR, name, message, RULESET),)
        return tuple(finding for iri in iris for finding in term_findings(text, iri))

    def check(text: str, value: dict) -> Sequence[Finding]:
        iris = value.get("ontologyTerms")
        if iris and type(iris) is not list:
            iris = [iris]
        try:
            found = check_terms(text, tuple(iris) if iris else ())
        except TypeError:  # an unhashable "IRI": a dict or a list inside the list
            found = (Finding(ERROR, name, f"{iris!r} are not ontology terms", RULESET),)
        return found if value.get("unit") is None else (*found, *units(_unit(value)))

    return check


def _label_findings(text: str, info: TermInfo, name: str) -> list[Finding]:
    if text == info.label or text in info.synonyms:
        return []
    folded = text.casefold()
    if folded == info.label.casefold() or any(folded == s.casefold() for s in info.synonyms):
        message = f"{text!r} matches {info.id} ({info.label}) only when letter case is ignored"
        return [Finding(WARNING, name, message, RULESET)]
    message = f"{text!r} is not the label of {info.id} ({info.label})"
    return [Finding(ERROR, name, message, RULESET)]


def _requirement(valid: tuple[Term, ...], terms: TermLookup) -> str:
    """What a rule's terms ask for, for a message: "one of X (x), Y (y)" or "a term below Z"."""
    parts = []
    exact = [term for term in valid if term.include_root and not term.allow_descendants]
    if exact:
        listed = ", ".join(term_describe(term.term, terms, label=term.label) for term in exact)
        parts.append(f"one of {listed}" if len(exact) > 1 else listed)
    for term in valid:
        if term.allow_descendants:
            described = term_describe(term.term, terms, label=term.label)
            parts.append(
                f"{described} or a term below it"
                if term.include_root
                else (f"a term below {described}")
            )
    return " or ".join(parts)


# --- Reading documents -----------------------------------------------------------------


def _listed(values: Any) -> list:
    if values is None:
        return []
    return values if type(values) is list else [values]


def _texts(values: Any) -> Iterable[str]:
    for value in _listed(values):
        if isinstance(value, dict) and value.get("text") is not None:
            yield str(value["text"])


def _all_texts(values: Any) -> tuple[str, ...]:
    if type(values) is list and len(values) == 1 and type(values[0]) is dict:
        text = values[0].get("text")
        if type(text) is str:
            return (text,)
    return tuple(_texts(values))


def _first_text(values: Any) -> str | None:
    if type(values) is list and values and type(values[0]) is dict:
        text = values[0].get("text")
        if type(text) is str and text and not text.isspace():
            return text
    for text in _texts(values):
        if text.strip():
            return text
    return None


def _first_term(values: Any) -> str | None:
    for value in _listed(values):
        if isinstance(value, dict):
            for iri in _listed(value.get("ontologyTerms")):
                found = term_id(iri)
                if found:
                    return found
    return None


def _targets(document: dict[str, Any], characteristics: dict) -> dict[str, list[str]]:
    """The targets of the document's own "child of" and "derived from" relationships.

    Incoming relationships (BioSamples lists them too, with another sample as source) are
    not the document's. Without relationships of a kind, the IMAGE attribute of that
    kind ("Child of", "Derived from") names the targets.
    """
    own = {document.get("name"), document.get("accession")} - {None, ""}
    targets: dict[str, list[str]] = {}
    for relationship in document.get("relationships") or ():
        if not isinstance(relationship, dict):
            continue
        kind = str(relationship.get("type", "")).lower()
        if kind not in (CHILD_OF, DERIVED_FROM):
            continue
        source = relationship.get("source")
        if source and source not in own:
            continue
        target = relationship.get("target")
        if isinstance(target, str) and target.strip():
            targets.setdefault(kind, []).append(target.strip())
    for attribute, kind in RELATIONSHIP_ATTRIBUTES.items():
        if kind not in targets:
            named = [
                text.strip() for text in _texts(characteristics.get(attribute)) if text.strip()
            ]
            if named:
                targets[kind] = named
    return targets


def _place_check(characteristics: dict, place: str, accuracy: str) -> Sequence[Finding]:
    accuracy_text = _first_text(characteristics.get(accuracy))
    if accuracy_text is None:
        return _NO_FINDINGS  # the ruleset reports a missing accuracy
    place_text = _first_text(characteristics.get(place))
    if place_text is None and accuracy_text != NO_PLACE:
        message = (
            f"{place} is empty but {accuracy} is {accuracy_text!r}: give the place, or set "
            f"the accuracy to {NO_PLACE!r}"
        )
        return (Finding(ERROR, place, message, CONTEXT),)
    if place_text is not None and accuracy_text == NO_PLACE:
        message = f"{place} is {place_text!r} but {accuracy} is {NO_PLACE!r}"
        return (Finding(ERROR, accuracy, message, CONTEXT),)
    return _NO_FINDINGS
