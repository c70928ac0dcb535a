"""The wrong file gets the right hint: what it looks like, and which data source to choose."""

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from excel.tests.workbooks import simple_workbook
from uid.models import Country, Submission, TaskState
from uid.services.dictionaries import dictionaries_seed
from uid.services.submissions import submission_import
from uid.sniff import wrong_file_hint
from uid.tests.test_submission_import import CRB_HEADER, CRYOWEB, _submission, crb_row

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 200
CSV = (CRB_HEADER + crb_row("S1", "A1")).encode()


@pytest.mark.parametrize(
    ("content", "chosen", "said"),
    [
        (PNG, "cryoweb", "this is a PNG image, not a data file"),
        (b"%PDF-1.7\n...", "crbanim", "this is a PDF document, not a data file"),
        (CSV, "cryoweb", "this looks like a CSV export, not a CryoWeb file; choose CRB-Anim"),
        (gzip.compress(CSV), "cryoweb", "choose CRB-Anim as the data source"),
        (
            CRYOWEB.read_bytes(),
            "crbanim",
            "a database dump (SQL), not a CRB-Anim file; choose CryoWeb",
        ),
        (
            simple_workbook(),
            "crbanim",
            "an Excel workbook (or another zip archive), not a CRB-Anim",
        ),
    ],
    ids=["png", "pdf", "csv", "gzip-csv", "sql", "xlsx"],
)
def test_it_names_what_the_file_looks_like(content, chosen, said):
    assert said in wrong_file_hint(content[:8192], datasource_type=chosen)


@pytest.mark.parametrize(
    ("content", "chosen"),
    [(CSV, "crbanim"), (gzip.compress(CSV), "crbanim"), (CRYOWEB.read_bytes(), "cryoweb")],
)
def test_it_says_nothing_of_the_right_file(content, chosen):
    assert wrong_file_hint(content[:8192], datasource_type=chosen) is None


def test_the_upload_form_refuses_a_png_chosen_as_a_cryoweb_dump(client, alice):
    dictionaries_seed()
    client.force_login(alice)
    data = {
        "title": "t", "gene_bank_name": "g", "datasource_type": "cryoweb",
        "gene_bank_country": Country.objects.get(label="Germany").pk, "datasource_version": "1",
        "file": SimpleUploadedFile("photo.png", PNG),
    }  # fmt: skip

    page = client.post(reverse("uid:submission_create"), data)

    assert page.status_code == 200
    assert "This is a PNG image, not a data file" in page.content.decode()
    assert "pg_dump --encoding" not in page.content.decode()  # not the old, misleading hint
    assert not Submission.objects.exists()


def test_the_import_says_it_too_for_a_file_that_came_another_way(alice):
    submission = _submission(alice, "cryoweb", "export.csv", CSV)

    result = submission_import(submission_id=submission.pk)

    assert result.state == TaskState.FAILED
    assert result.message.startswith("export.csv: this looks like a CSV export")
    assert "ends inside a statement" not in result.message


def test_a_csv_with_a_line_that_looks_like_sql_is_still_a_csv():
    content = CSV + b"-- a note a curator typed,,,\n"
    assert wrong_file_hint(content, datasource_type="crbanim") is None
