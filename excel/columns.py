"""The columns of the IMAGE Excel template, shared by the parser and the generator.

The layout (sheets, column names and their order) is the IMAGE template's (see
docs/formats.rst); whether a column is mandatory, its description, example, units and
limited values come from the IMAGE attribute registry (``validation.registry``, read
from the ruleset), so a new ruleset version changes the template without a code change.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from validation import registry
from validation.registry import MANDATORY as MANDATORY
from validation.registry import OPTIONAL as OPTIONAL
from validation.registry import RECOMMENDED as RECOMMENDED

SHEETS = ("breed", "animal", "sample")

# Kinds of cell a column holds; the parser converts and the generator writes by kind.
NAME = "name"  # an id, text; a row without it is an error
TEXT = "text"
REF = "ref"  # the name of another row, or an accession; empty means none
DATE = "date"  # YYYY-MM-DD, YYYY-MM or YYYY (or a real Excel date)
NUMBER = "number"
AGE = "age"  # "<number> <time unit>", stored as value and unit
LIMITED = "limited"  # one of the ruleset's values, any letter case in the file


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a template sheet."""

    header: str  # as the template writes it
    field: str  # attribute of the canonical record
    kind: str
    rule: str  # the ruleset rule it fills ("" for columns outside the ruleset)
    required: str  # mandatory, recommended or optional (from the ruleset)
    description: str = ""
    example: str = ""
    values: tuple[str, ...] = ()  # limited values, in the ruleset's spelling
    units: tuple[str, ...] = ()  # date formats or units
    strict: bool = True  # a drop-down that refuses other values (warning style)
    export_only: bool = False  # written only when some record has a value

    @property
    def key(self) -> str:
        return header_key(self.header)


def header_key(text: str) -> str:
    """How a header is matched: letter case, spacing and a trailing '*' do not count."""
    return " ".join(str(text).split()).rstrip("*").strip().lower()


# (header, record field, kind, ruleset rule) per sheet, in the order of sources.md.
_LAYOUT: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "breed": (
        ("Supplied breed", "supplied_breed", TEXT, "Supplied breed"),
        ("EFABIS Breed country", "country", TEXT, "EFABIS Breed country"),
        ("Species", "species", TEXT, "Species"),
    ),
    "animal": (
        ("Animal id in data source", "name", NAME, "Data source ID"),
        ("Animal description", "description", TEXT, "Description"),
        ("Alternative animal ID", "alternative_id", TEXT, "Alternative id"),
        ("Father id in data source", "father", REF, "Child of"),
        ("Mother id in data source", "mother", REF, "Child of"),
        ("Breed", "breed", TEXT, "Supplied breed"),
        ("Species", "species", TEXT, "Species"),
        ("Sex", "sex", LIMITED, "Sex"),
        ("Birth date", "birth_date", DATE, "Birth date"),
        ("Birth location", "birth_location", TEXT, "Birth location"),
        (
            "Birth location longitude",
            "birth_location_longitude",
            NUMBER,
            "Birth location longitude",
        ),
        ("Birth location latitude", "birth_location_latitude", NUMBER, "Birth location latitude"),
        ("Birth location accuracy", "birth_location_accuracy", LIMITED, "Birth location accuracy"),
    ),
    "sample": (
        ("Sample id in data source", "name", NAME, "Data source ID"),
        ("Alternative sample ID", "alternative_id", TEXT, "Alternative id"),
        ("Sample description", "description", TEXT, "Description"),
        ("Animal id in data source", "animal", REF, "Derived from"),
        ("Specimen collection protocol", "protocol", TEXT, "Specimen collection protocol"),
        ("availability", "availability", LIMITED, "Availability"),
        ("Collection date", "collection_date", DATE, "Collection date"),
        (
            "Collection place latitude",
            "collection_place_latitude",
            NUMBER,
            "Collection place latitude",
        ),
        (
            "Collection place longitude",
            "collection_place_longitude",
            NUMBER,
            "Collection place longitude",
        ),
        ("Collection place", "collection_place", TEXT, "Collection place"),
        (
            "Collection place accuracy",
            "collection_place_accuracy",
            LIMITED,
            "Collection place accuracy",
        ),
        ("Organism part", "organism_part", TEXT, "Organism part"),
        ("Developmental stage", "developmental_stage", TEXT, "Developmental stage"),
        ("Physiological stage", "physiological_stage", TEXT, "Physiological stage"),
        ("Animal age at collection", "animal_age_at_collection", AGE, "Animal age at collection"),
        ("Sample storage", "storage", LIMITED, "Sample storage"),
        ("Sample storage processing", "storage_processing", LIMITED, "Sample storage processing"),
        (
            "Sampling to preparation interval",
            "preparation_interval",
            AGE,
            "Sampling to preparation interval",
        ),
    ),
}

# Columns outside sources.md that exports write (and the parser reads back) when a
# record has them: the BioSamples accession and the publication.
_EXPORT_COLUMNS = (
    ("BioSamples accession", "accession", REF, ""),
    ("Publication DOI", "publication_doi", TEXT, "Publication DOI"),
)

# Other spellings of the export columns that the parser accepts.
HEADER_ALIASES = {
    "biosample id": "biosamples accession",
    "biosamples id": "biosamples accession",
    "accession": "biosamples accession",
}


def _column(header: str, field: str, kind: str, rule_name: str, *, export_only: bool) -> Column:
    if not rule_name:
        return Column(header, field, kind, "", OPTIONAL, export_only=export_only)
    attribute = registry.attribute(rule_name)
    return Column(
        header=header,
        field=field,
        kind=kind,
        rule=rule_name,
        required=attribute.required,
        description=attribute.description,
        example=_example(kind, attribute, header=header),
        values=attribute.choices if kind == LIMITED else (),
        units=attribute.units,
        # A drop-down refuses other values unless the list leaves some out (Availability:
        # an address or a link is a value too).
        strict=attribute.choices == attribute.values,
        export_only=export_only,
    )


# A fixed day that examples of dates are written for, in the column's first format.
_EXAMPLE_DAY = "2018-04-02"
_TERM_WITH_LABEL = re.compile(r"^[A-Za-z]+_\d+\s*\((.+)\)$")  # "UBERON_0001968 (semen)"


def _example(kind: str, attribute, *, header: str) -> str:
    """The ruleset's example where it is a value this column takes, else one made by
    the same rules as the import's checks (excel/tests/test_template.py imports every
    example): a template must not show what its own import refuses."""
    text = " ".join(attribute.example.split())
    if kind == DATE:
        # The ruleset's own (17/01/1992) is not in its formats: the first format's form.
        first = attribute.units[0] if attribute.units else "YYYY-MM-DD"
        return _EXAMPLE_DAY[: len(first)]
    if kind == LIMITED:
        values = attribute.choices
        return text if text in values else (values[0] if values else "")
    if kind == REF:
        found = [word for word in re.split(r"[\s,]+", text) if registry.ACCESSION_RE.match(word)]
        return found[0] if found else ""
    if kind == NUMBER:
        try:
            float(text)
        except ValueError:
            return ""
        return text
    if kind == AGE:
        number, _, unit = text.partition(" ")
        return text if unit in attribute.units and number.replace(".", "", 1).isdigit() else ""
    labelled = _TERM_WITH_LABEL.match(text)
    if labelled:  # a term id with its label: the label is what a cell holds
        return labelled.group(1)
    # Several examples in one ("SAMEA4450075, ANIMAL:::ID:::132713,SAMPLE:::ID:::19483"):
    # the one for this sheet's records where one names them, else the first.
    items = [item.strip() for item in text.split(",") if item.strip()]
    word = header.split()[0].casefold()
    return next((item for item in items if word in item.casefold()), items[0] if items else "")


@functools.cache
def sheet_columns(sheet: str) -> tuple[Column, ...]:
    """The columns of one sheet in template order, the export-only ones last."""
    columns = [_column(*spec, export_only=False) for spec in _LAYOUT[sheet]]
    if sheet != "breed":
        columns += [_column(*spec, export_only=True) for spec in _EXPORT_COLUMNS]
    return tuple(columns)


def template_columns(sheet: str) -> tuple[Column, ...]:
    """The columns the empty template shows (sources.md's table)."""
    return tuple(column for column in sheet_columns(sheet) if not column.export_only)
