"""Every bad cell of a failed import, at once and downloadable (issue: import polish, 2)."""

import csv
import io

import pytest
from django.urls import reverse

from uid.models import TaskState
from uid.services.submissions import submission_import
from uid.tests.test_api_submissions import client_for
from uid.tests.test_submission_import import CRB_HEADER, _submission, crb_row

pytestmark = pytest.mark.django_db


def bad_row(sample: str, animal: str) -> str:
    """A row with a bad birth date, a bad sampling date and an unknown country."""
    return (
        crb_row(sample, animal)
        .replace("2010-01-02", "someday")
        .replace("2015-05-16", "31/02/2015")
        .replace(",FR,", ",QQ,")
    )


@pytest.fixture
def failed(alice):
    rows = (
        crb_row("S1", "A1")
        + bad_row("S2", "A2")
        + "".join(bad_row(f"S{n}", f"A{n}") for n in range(3, 30))
    )
    submission = _submission(alice, "crbanim", "goats.csv", (CRB_HEADER + rows).encode())
    task = submission_import(submission_id=submission.pk)
    assert task.state == TaskState.FAILED
    return task


def test_the_message_lists_every_bad_cell_of_a_row(failed):
    lines = failed.message.splitlines()
    assert lines[0] == "goats.csv: 84 problems:"
    assert lines[1:4] == [
        "- row 3, column country_of_origin: 'QQ' is not an ISO 3166 country code we know "
        "(expected e.g. FR, IT, DE)",
        "- row 3, column animal_birth_date: 'someday' is not a date: write dates as "
        "YYYY-MM-DD (or YYYY-MM, or YYYY)",
        "- row 3, column sampling_date: '31/02/2015' is not a date: write dates as "
        "YYYY-MM-DD (or YYYY-MM, or YYYY)",
    ]
    assert lines[-1] == "- and 34 more"  # 50 listed
    assert failed.result["problems_total"] == 84 and len(failed.result["problems"]) == 84


def test_the_owner_downloads_all_of_them_as_csv(client, alice, failed):
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[failed.submission_id]))
    url = reverse("uid:task_problems", args=[failed.submission_id, failed.pk])
    assert url in page.content.decode() and "Download all 84 problems" in page.content.decode()

    response = client.get(url)

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 84
    assert rows[0] == {
        "row": "3", "line": "3", "sheet": "", "column": "country_of_origin", "value": "QQ",
        "problem": "'QQ' is not an ISO 3166 country code we know (expected e.g. FR, IT, DE)",
    }  # fmt: skip


def test_the_api_serves_the_same_list_and_keeps_the_task_light(alice, failed):
    api = client_for(alice)
    body = api.get(f"/api/v1/submissions/{failed.submission_id}/").json()
    assert "problems" not in body["task"]["result"]
    assert body["task"]["result"]["problems_total"] == 84
    assert body["task"]["problems_url"] == reverse(
        "uid:task_problems", args=[failed.submission_id, failed.pk]
    )

    url = f"/api/v1/submissions/{failed.submission_id}/tasks/{failed.pk}/problems/"
    response = api.get(url)
    assert response.status_code == 200
    assert len(list(csv.reader(io.StringIO(response.content.decode())))) == 85


def test_a_value_that_would_run_in_a_spreadsheet_is_written_as_text(client, alice):
    row = crb_row("S1", "A1").replace("2010-01-02", "=cmd|' /C calc'!A0")
    submission = _submission(alice, "crbanim", "evil.csv", (CRB_HEADER + row).encode())
    task = submission_import(submission_id=submission.pk)
    client.force_login(alice)

    text = client.get(reverse("uid:task_problems", args=[submission.pk, task.pk])).content.decode()

    assert "'=cmd|" in text and ",=cmd" not in text


@pytest.mark.attack
def test_an_outsider_gets_404(client, outsider, failed):
    client.force_login(outsider)
    url = reverse("uid:task_problems", args=[failed.submission_id, failed.pk])
    assert client.get(url).status_code == 404
    api_url = f"/api/v1/submissions/{failed.submission_id}/tasks/{failed.pk}/problems/"
    assert client_for(outsider).get(api_url).status_code == 404
