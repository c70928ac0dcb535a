"""Parse a CRB-Anim CSV export into canonical records (uid.records), streaming.

A CRB-Anim export has one row per sample; each row repeats the columns of the animal it
comes from. So every distinct ``animal_ID`` becomes one AnimalRecord, every row one
SampleRecord, and every distinct (breed, species, country) one BreedRecord. Records are
yielded as soon as their row is read: a breed and an animal on the row where they first
appear, then the row's sample.

Positions: ``source`` is "row N" and errors carry ``row=N``, where N is the line of the
file on which the record starts (the header is line 1). A cell may hold line breaks, so
N is what a text editor shows, and equals a spreadsheet's row number unless an earlier
cell spans lines.

Encoding: UTF-8 only, with or without a byte order mark. A file that is not valid UTF-8
(typically Latin-1/Windows-1252, as Excel writes "CSV" on Windows) is refused, naming the
first line that is not UTF-8. We do not guess another encoding: any byte sequence is
valid Latin-1, so such a guess cannot be checked, and a wrong guess would load mojibake.
The start of the file (64 KiB) is checked before the header, so a file in the wrong
encoding is reported as such rather than by its first symptom.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from functools import partial
from typing import BinaryIO
from urllib.parse import unquote

from uid.records import AnimalRecord, BreedRecord, ParseError, RowProblems, SampleRecord
from uid.services.values import CONFLICT, note, note_add
from validation.registry import ACCESSION_RE, sex_label

MANDATORY_COLUMNS = (
    "sex",
    "species_latin_name",
    "country_of_origin",
    "breed_name",
    "animal_ID",
    "sample_bibliographic_references",
    "sample_identifier",
    "animal_birth_date",
    "sample_storage_temperature",
    "sample_type_name",
    "body_part_name",
    "sampling_date",
    "sampling_protocol_url",
    "sample_availability",
    "EBI_Biosample_identifier",
)
# Columns of the export that describe the animal rather than the sample; kept in the
# animal's ``extra`` (the mandatory animal columns have fields of their own).
ANIMAL_EXTRA_COLUMNS = ("NCBI_taxo_id",)
# The other columns of a CRB-Anim export; only used to recognise the delimiter.
KNOWN_OPTIONAL_COLUMNS = (
    "BRC_identifier",
    "BRC_name",
    "associated_research_project_name",
    "BRC_responsible_last_name",
    "BRC_responsible_first_name",
    "BRC_contact_email",
    "organization_name",
    "organisation_adress",
    "organization_url",
    "organization_country",
    "BRC_address",
    "BRC_url",
    "BRC_country",
    "NCBI_taxo_id",
    "sample_type_identifier",
    "sample_type_ontology",
    "body_part_identifier",
    "body_part_ontology",
    "sample_container_type",
    "sample_fixer_nature",
)
# Older exports misspelt this header (the original InjectTool has a note about it).
COLUMN_ALIASES = {"sample_bibliographic_refrences": "sample_bibliographic_references"}

DELIMITERS = (",", ";", "\t")

# ISO 3166-1 alpha-2 → the country label of the dictionaries (uid Country.label, common
# English names as in NCIT / the INSDC country list). Every European country, and the
# countries with livestock gene banks that CRB-Anim partners come from. "UK" and "EL"
# are the EU's own codes for the United Kingdom and Greece.
COUNTRY_LABELS = {
    "AD": "Andorra",
    "AL": "Albania",
    "AM": "Armenia",
    "AT": "Austria",
    "AZ": "Azerbaijan",
    "BA": "Bosnia and Herzegovina",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "BY": "Belarus",
    "CH": "Switzerland",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "EL": "Greece",
    "ES": "Spain",
    "FI": "Finland",
    "FO": "Faroe Islands",
    "FR": "France",
    "GB": "United Kingdom",
    "GE": "Georgia",
    "GG": "Guernsey",
    "GI": "Gibraltar",
    "GR": "Greece",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IM": "Isle of Man",
    "IS": "Iceland",
    "IT": "Italy",
    "JE": "Jersey",
    "LI": "Liechtenstein",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MC": "Monaco",
    "MD": "Moldova",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "MT": "Malta",
    "NL": "Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "RS": "Serbia",
    "RU": "Russia",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
    "SM": "San Marino",
    "TR": "Turkey",
    "UA": "Ukraine",
    "UK": "United Kingdom",
    "VA": "Holy See",
    "XK": "Kosovo",
    # Outside Europe.
    "AR": "Argentina",
    "AU": "Australia",
    "BF": "Burkina Faso",
    "BR": "Brazil",
    "CA": "Canada",
    "CL": "Chile",
    "CN": "China",
    "CO": "Colombia",
    "DZ": "Algeria",
    "EG": "Egypt",
    "ET": "Ethiopia",
    "ID": "Indonesia",
    "IL": "Israel",
    "IN": "India",
    "IR": "Iran",
    "JP": "Japan",
    "KE": "Kenya",
    "KR": "South Korea",
    "KZ": "Kazakhstan",
    "MA": "Morocco",
    "ML": "Mali",
    "MN": "Mongolia",
    "MX": "Mexico",
    "NG": "Nigeria",
    "NZ": "New Zealand",
    "PK": "Pakistan",
    "SN": "Senegal",
    "TH": "Thailand",
    "TN": "Tunisia",
    "US": "USA",
    "UY": "Uruguay",
    "VN": "Viet Nam",
    "ZA": "South Africa",
}

# body_part_name values that say nothing: the organism part is then sample_type_name.
UNINFORMATIVE_BODY_PARTS = {"", "unknown", "not relevant"}

_DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_DOI_PREFIX_RE = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)

_DATE_FORMS = (
    # (pattern, groups order) → year, month, day (day/month may be absent)
    (
        re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$"),
        "ymd",
    ),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd"),
    # Day first, as French exports write it.
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "my"),
    (re.compile(r"^(\d{4})$"), "y"),
)
# MySQL writes a missing date as zeros.
_ZERO_DATES = {"0000-00-00", "0000-00-00 00:00:00", "00/00/0000"}

NULL = "\\N"
PROGRESS_EVERY = 10_000
_LOOKAHEAD_CHARS = 64 * 1024
# A line of a CRB-Anim export is a few hundred characters; a quoted field that spans
# lines is capped by the csv module's field limit (131,072 characters).
MAX_LINE_CHARS = 1024 * 1024
_INTERN_MAX = 100_000
_NOT_TEXT_RE = re.compile("[\x00\udc80-\udcff]")
_CONTROL_BYTES_RE = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def parse_csv(
    stream: BinaryIO,
    *,
    filename: str,
    progress: Callable[[int], None] | None = None,
) -> Iterator[BreedRecord | AnimalRecord | SampleRecord]:
    """Yield the breeds, animals and samples of a CRB-Anim CSV export, reading it once.

    ``stream`` is the file opened in binary mode; it is read, never closed. The
    delimiter (comma, semicolon or tab) is recognised from the header. ``\\N`` and empty
    cells are empty. ``progress(n)`` is called with the number of data rows read so far
    every 10,000 rows and at the end. Raises ParseError (naming ``filename``, the row or
    line, and the column where there is one) for anything that cannot be read.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _parse(text, filename=filename, progress=progress)
    finally:
        # Hand the caller's stream back open: a TextIOWrapper closes it when collected.
        with suppress(ValueError):
            text.detach()


# --- Reading lines and the header ------------------------------------------------------


def _checked_lines(text: io.TextIOBase, *, filename: str) -> Iterator[str]:
    """The file's lines, refusing the first one that is not UTF-8 text or is too long."""
    # Read with a cap, so that a line that never ends (a decompressed stream of NULs, say)
    # costs at most MAX_LINE_CHARS of memory before it is refused.
    for number, line in enumerate(iter(partial(text.readline, MAX_LINE_CHARS), ""), 1):
        if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise ParseError(
                f"this line is longer than {MAX_LINE_CHARS // (1024 * 1024)} million characters: "
                "the file is not a CRB-Anim CSV export",
                file=filename,
                line=number,
            )
        if "\x00" in line:
            raise _not_text_error(line, number=number, filename=filename)
        if not line.isascii():
            # Undecodable bytes come out as surrogates (U+DC80-U+DCFF). A line that
            # encodes to Latin-1 has none; that check is a copy, ten times faster than
            # searching the line.
            try:
                line.encode("latin-1")
            except UnicodeEncodeError:
                if _NOT_TEXT_RE.search(line):
                    raise _not_text_error(line, number=number, filename=filename) from None
        yield line


def _not_text_error(line: str, *, number: int, filename: str) -> ParseError:
    """Say what the file seems to be instead of UTF-8 text, and how to get a good one."""
    raw = line.encode("utf-8", "surrogateescape")
    export = "Export it again as 'CSV UTF-8' and upload that file."
    if number == 1 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        message = f"the file is saved as UTF-16 ('Unicode text'), not UTF-8. {export}"
    elif number == 1 and raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        message = f"this is a spreadsheet workbook (or another archive), not a CSV file. {export}"
    elif "\x00" in line or _CONTROL_BYTES_RE.search(raw):
        message = f"this line holds binary data: the file is not a CSV text file. {export}"
    else:
        bad = _NOT_TEXT_RE.search(line).start()
        # Show the bytes as Windows-1252 reads them (the usual culprit), so that the
        # curator recognises the text, e.g. "-80°C".
        offset = len(line[:bad].encode("utf-8", "surrogateescape"))
        shown = raw[max(0, offset - 20) : offset + 20].decode("cp1252", "replace")
        shown = " ".join(shown.split())
        message = (
            f"this line is not UTF-8 text (near '{shown}'): the file seems to be saved in "
            "another encoding, such as Latin-1 or Windows-1252. Save it again as "
            "'CSV UTF-8' (Excel: Save as > CSV UTF-8; LibreOffice: character set "
            "Unicode (UTF-8)) and upload that file."
        )
    return ParseError(message, file=filename, line=number)


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most known column names."""
    known = {name.casefold() for name in (*MANDATORY_COLUMNS, *KNOWN_OPTIONAL_COLUMNS)}
    known |= set(COLUMN_ALIASES)

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter), [])
        except csv.Error:
            cells = []
        matches = sum(1 for cell in cells if cell.strip().casefold() in known)
        return matches, header_line.count(delimiter)

    return max(DELIMITERS, key=score)


def _column_indexes(header: list[str], *, filename: str) -> dict[str, int]:
    """Column name (as spelt in MANDATORY_COLUMNS where it is one) → position."""
    canonical = {name.casefold(): name for name in (*MANDATORY_COLUMNS, *KNOWN_OPTIONAL_COLUMNS)}
    canonical.update(COLUMN_ALIASES)
    indexes: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = cell.strip()
        if not name:
            continue  # a trailing separator: no column
        name = canonical.get(name.casefold(), name)
        if name in indexes:
            raise ParseError(
                f"the header names the column '{name}' twice", file=filename, line=1, column=name
            )
        indexes[name] = position
    missing = [name for name in MANDATORY_COLUMNS if name not in indexes]
    if missing:
        found = ", ".join(cell.strip() for cell in header if cell.strip())
        raise ParseError(
            f"the header (line 1) lacks the mandatory column(s) {', '.join(missing)}. "
            f"Columns found: {found[:500] or 'none'}. Is this a CRB-Anim export?",
            file=filename,
            line=1,
            column=", ".join(missing),
        )
    return indexes


# --- Cell values -------------------------------------------------------------------------


def _date(value: str) -> str:
    """YYYY-MM-DD (or YYYY-MM, YYYY) from the date forms exports use; ValueError if none."""
    if value in _ZERO_DATES:
        return ""
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
        with suppress(ValueError):  # the usual form: check the calendar, keep the text
            dt.date.fromisoformat(value)
            return value
    for pattern, order in _DATE_FORMS:
        match = pattern.match(value)
        if not match:
            continue
        parts = dict(zip(order, map(int, match.groups()), strict=True))
        year, month, day = parts["y"], parts.get("m", 1), parts.get("d", 1)
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(value) from None  # 2021-02-30
        if "d" in parts:
            return f"{year:04d}-{month:02d}-{day:02d}"
        if "m" in parts:
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    raise ValueError(value)


def _age(birth: str, sampled: str) -> tuple[float | None, str]:
    """Animal age at collection in whole years, else months, else days (full dates only)."""
    if len(birth) != 10 or len(sampled) != 10:
        return None, ""
    born, taken = dt.date.fromisoformat(birth), dt.date.fromisoformat(sampled)
    if taken < born:
        return None, ""
    months = (taken.year - born.year) * 12 + taken.month - born.month - (taken.day < born.day)
    if months >= 12:
        return float(months // 12), "years"
    if months >= 1:
        return float(months), "months"
    return float((taken - born).days), "days"


def _doi(value: str) -> tuple[str, bool]:
    """The first DOI of a bibliographic reference (10.xxx/...), and whether that is all of it."""
    text = unquote(value) if "%" in value else value
    match = _DOI_RE.search(text)
    if not match:
        return "", False
    doi = match.group(0).rstrip(".,;)]")
    return doi, _DOI_PREFIX_RE.sub("", text).strip() == doi


def _country(value: str) -> str:
    """The dictionary's label for an ISO 3166 alpha-2 code; a longer value is kept as a name."""
    if len(value) == 2:
        label = COUNTRY_LABELS.get(value.upper())
        if label is None:
            raise ValueError(value)
        return label
    return value


# --- The rows ----------------------------------------------------------------------------


class _Memo(dict):
    """A per-file cache of a value function: the same cell text is mapped once."""

    def __init__(self, function: Callable) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key):
        result = self.function(key)
        if len(self) < _INTERN_MAX:
            self[key] = result
        return result


def _parse(
    text: io.TextIOWrapper, *, filename: str, progress: Callable[[int], None] | None
) -> Iterator[BreedRecord | AnimalRecord | SampleRecord]:
    lines = _checked_lines(text, filename=filename)
    # Read ahead before looking at the header, so that a file in another encoding is
    # refused for its encoding, not for a header that reads wrong.
    lookahead: list[str] = []
    size = 0
    for line in lines:
        lookahead.append(line)
        size += len(line)
        if size >= _LOOKAHEAD_CHARS:
            break
    if not lookahead:
        raise ParseError("the file is empty", file=filename, line=1)
    if not lookahead[0].strip():
        raise ParseError(
            "the first line is empty: it must be the header of the CRB-Anim export",
            file=filename,
            line=1,
        )
    delimiter = _sniff_delimiter(lookahead[0])
    reader = csv.reader(itertools.chain(lookahead, lines), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        yield from _rows(reader, header, filename=filename, progress=progress)
    except csv.Error as exc:
        raise ParseError(
            f"the CSV is malformed here ({exc}): a quote may be missing or stray",
            file=filename,
            line=reader.line_num,
        ) from None


_FINGERPRINT_COLUMNS = (
    "sex",
    "species_latin_name",
    "breed_name",
    "country_of_origin",
    "animal_birth_date",
)


def _rows(
    reader, header: list[str], *, filename: str, progress: Callable[[int], None] | None
) -> Iterator[BreedRecord | AnimalRecord | SampleRecord]:
    columns = _column_indexes(header, filename=filename)
    width = len(header)
    animal_extra = [(name, columns[name]) for name in ANIMAL_EXTRA_COLUMNS if name in columns]
    fingerprint_names = (*_FINGERPRINT_COLUMNS, *(name for name, _ in animal_extra))
    used = {*MANDATORY_COLUMNS, *(name for name, _ in animal_extra)}
    # Columns without a field go to the sample's extra, and so does sample_type_name
    # (only used for the organism part when body_part_name says nothing).
    sample_extra = [(name, i) for name, i in columns.items() if name not in used]
    sample_extra.append(("sample_type_name", columns["sample_type_name"]))
    (
        i_sex, i_species, i_country, i_breed, i_animal, i_reference, i_sample, i_birth,
        i_temperature, i_type, i_part, i_sampled, i_protocol, i_availability, i_accession,
    ) = (columns[name] for name in MANDATORY_COLUMNS)  # fmt: skip

    # Cell texts repeat from row to row (the animal's columns, the bank's columns): one
    # string object per distinct text keeps the records small. Likewise one extra dict
    # per distinct set of values is built, and each sample gets a copy of it.
    interned: dict[str, str] = {}
    intern = interned.setdefault
    extra_names = [name for name, _ in sample_extra]
    pick_extra = _picker([i for _, i in sample_extra])
    extra_templates: dict[tuple[str, ...], dict[str, str]] = {}

    dates, dois, countries = _Memo(_date), _Memo(_doi), _Memo(_country)
    breeds_seen: set[tuple[str, str, str]] = set()
    animals_seen: dict[str, tuple[int, tuple, AnimalRecord]] = {}
    samples_seen: dict[str, int] = {}
    count = 0
    line_before = reader.line_num
    problems = RowProblems(file=filename)
    # The spreadsheet's row of each record (the header is row 1): a quoted field with a
    # line break makes a record longer than a line, so rows and lines part ways.
    row = 1

    for cells in reader:
        row += 1
        line = line_before + 1
        line_before = reader.line_num
        if len(cells) != width:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            if len(cells) < width or any(cell.strip() for cell in cells[width:]):
                problems.add(
                    ParseError(
                        f"this row has {len(cells)} values but the header has {width} columns "
                        "(is the file cut short, or a quote missing?)",
                        file=filename,
                        row=row,
                        line=line,
                    )
                )
                continue
        values = [("" if cell == NULL else cell) for cell in map(str.strip, cells)]
        if not any(values):
            continue
        count += 1
        if count % PROGRESS_EVERY == 0:
            if progress is not None:
                progress(count)
            # Bound the caches whatever the file (their use is memory, not correctness).
            if len(interned) > _INTERN_MAX:
                interned.clear()
            if len(extra_templates) > _INTERN_MAX // 10:
                extra_templates.clear()

        try:
            animal_id = values[i_animal]
            sample_id = values[i_sample]
            species = intern(values[i_species], values[i_species])
            breed = intern(values[i_breed], values[i_breed])
            code = values[i_country]
            # Every bad cell of the row is reported, not the first only: one upload to fix.
            bad: list[tuple[str, str, str]] = []  # (column, message, value)
            for column, value in (
                ("animal_ID", animal_id),
                ("sample_identifier", sample_id),
                ("species_latin_name", species),
                ("breed_name", breed),
                ("country_of_origin", code),
            ):
                if not value:
                    bad.append((column, f"the {column} is empty: every row needs one", value))
            country = ""
            if code:
                try:
                    country = countries[code]
                except ValueError:
                    bad.append((
                        "country_of_origin",
                        f"'{code}' is not an ISO 3166 country code we know "
                        "(expected e.g. FR, IT, DE)",
                        code,
                    ))  # fmt: skip
            # As written: the loader puts it into IMAGE's words and notes the change.
            sex = values[i_sex]
            found_dates = []
            for column, index in (("animal_birth_date", i_birth), ("sampling_date", i_sampled)):
                text = values[index]
                try:
                    found_dates.append(dates[text] if text else "")
                except ValueError:
                    found_dates.append("")
                    bad.append((
                        column,
                        f"'{text}' is not a date: write dates as YYYY-MM-DD (or YYYY-MM, or YYYY)",
                        text,
                    ))  # fmt: skip
            birth_date, collection_date = found_dates
            if bad:
                found = [
                    _cell_error(filename, row, column, message, line=line, value=value)
                    for column, message, value in bad
                ]
                for problem in found[:-1]:
                    problems.add(problem)
                raise found[-1]  # noted last, by the handler below: the row's order kept

            fingerprint = (
                sex_label(sex) or sex,  # "F" and "female" agree
                species,
                breed,
                country,
                birth_date,
                *(values[i] for _, i in animal_extra),
            )
            seen = animals_seen.get(animal_id)
            if seen is None:
                if (breed, species, country) not in breeds_seen:
                    breeds_seen.add((breed, species, country))
                    yield BreedRecord(
                        supplied_breed=breed, species=species, country=country, source=f"row {row}"
                    )
                animal = AnimalRecord(
                    name=animal_id,
                    breed=breed,
                    species=species,
                    country=country,
                    sex=sex,
                    birth_date=birth_date,
                    extra={
                        name: intern(values[i], values[i]) for name, i in animal_extra if values[i]
                    },
                    source=f"row {row}",
                )
                animals_seen[animal_id] = (row, fingerprint, animal)
                yield animal
            elif seen[1] != fingerprint:
                # Real exports do this (the IMAGE test export does): the animal keeps its first
                # row's description, and a note says what this row claimed, for the curator.
                note_add(
                    seen[2], _conflict_note(seen[:2], (row, fingerprint), names=fingerprint_names)
                )

            first = samples_seen.setdefault(sample_id, row)
            if first != row:
                raise _cell_error(
                    filename,
                    row,
                    "sample_identifier",
                    f"the sample_identifier '{sample_id}' is used on rows {first} and {row}: "
                    "each sample must appear once",
                    line=line,
                    value=sample_id,
                )
            body_part = values[i_part]
            organism_part = (
                values[i_type] if body_part.casefold() in UNINFORMATIVE_BODY_PARTS else body_part
            )
            if not organism_part:
                raise _cell_error(
                    filename,
                    row,
                    "body_part_name",
                    "no organism part: body_part_name and sample_type_name are both empty",
                    line=line,
                    value=body_part,
                )
            key = pick_extra(values)
            template = extra_templates.get(key)
            if template is None:
                template = {
                    name: intern(v, v) for name, v in zip(extra_names, key, strict=True) if v
                }
                extra_templates[key] = template
            extra = template.copy()
            # A temperature as written: the loader puts it into IMAGE's words (and notes it).
            storage = values[i_temperature]
            doi = values[i_reference]
            if doi:
                doi, exact = dois[doi]
                if not exact:
                    extra["sample_bibliographic_references"] = values[i_reference]
            age, age_unit = _age(birth_date, collection_date)
            accession = values[i_accession] or None
            if accession and not ACCESSION_RE.match(accession):
                # Not a BioSamples accession: kept as written, so that validation can name it.
                extra["EBI_Biosample_identifier"] = accession
                accession = None
            yield SampleRecord(
                name=sample_id,
                animal=animal_id,
                organism_part=intern(organism_part, organism_part),
                protocol=intern(values[i_protocol], values[i_protocol]),
                collection_date=collection_date,
                availability=intern(values[i_availability], values[i_availability]),
                storage=storage,
                animal_age_at_collection=age,
                animal_age_at_collection_unit=age_unit,
                accession=accession,
                publication_doi=doi,
                extra=extra,
                source=f"row {row}",
            )
        except ParseError as problem:
            # Note it and go on: every wrong row of the file is reported at once.
            problems.add(problem)

    problems.raise_any()
    if count == 0:
        raise ParseError(
            "the file has a header but no data rows", file=filename, line=line_before + 1
        )
    if progress is not None and count % PROGRESS_EVERY != 0:
        progress(count)


def _picker(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A function taking the cells at ``indexes`` of a row, as a tuple."""
    if len(indexes) == 1:
        (index,) = indexes
        return lambda values: (values[index],)
    return operator.itemgetter(*indexes)


def _cell_error(
    filename: str,
    row: int,
    column: str,
    message: str,
    *,
    line: int | None = None,
    value: str | None = None,
) -> ParseError:
    return ParseError(message, file=filename, row=row, column=column, line=line, value=value)


def _conflict_note(first: tuple, later: tuple, *, names: tuple[str, ...]) -> dict:
    """A repeated animal described differently: what this row says, and which row is used."""
    (first_row, a), (row, b) = first, later
    differ = [(name, x, y) for name, x, y in zip(names, a, b, strict=True) if x != y]
    details = "; ".join(f"{name} '{y}' (row {first_row}: '{x}')" for name, x, y in differ)
    return note(
        ", ".join(name for name, _, _ in differ),
        "; ".join(str(y) for _, _, y in differ),
        "; ".join(str(x) for _, x, _ in differ),
        CONFLICT,
        f"row {row} describes it differently: {details}; row {first_row} is used",
    )
