"""A Webin password is exchanged for a token and goes nowhere else: submitted through the
page, the REST API and the CLI (to a live server and its worker) with a password like no
other, it is then in no log (every logger at DEBUG, SQL included, and the live server's
logs), no output, no row of any table and no file of the data folder."""

from __future__ import annotations

import getpass
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.tokens import token_create
from biosample.emulator import Emulator
from biosample.models import StoredToken
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from injecttool import cli
from injecttool.testing.tasks import run_queued
from uid.models import Task, TaskKind, TaskState
from uid.tests.test_api_submissions import client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.attack]

ACCOUNT = "Webin-40077"
PASSWORD = "Qx7-platypus-NEVER-kept-40913"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """Webin knows the password (and ``ready``'s account); overrides conftest's."""
    folder = tmp_path_factory.mktemp("biosamples-emulator")
    with Emulator(
        storage=folder / "archive.sqlite3", accounts={WEBIN: WEBIN_PASSWORD, ACCOUNT: PASSWORD}
    ) as running:
        yield running


@pytest.fixture
def sql_logged():
    """Every query is logged with its parameters (django.db.backends, at DEBUG)."""
    connection.force_debug_cursor = True
    yield
    connection.force_debug_cursor = False


def rows_holding(text: str) -> list[str]:
    """The rows of every table that, whole and cast to text (each column, a bytea as
    hex), hold ``text`` or its bytes' hex."""
    shapes = (text, text.encode().hex())
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT t::text FROM {quoted} AS t")  # noqa: S608 (a table name)
            for (row,) in cursor.fetchall():
                if any(shape in row for shape in shapes):
                    found.append(f"{table}: {row[:200]}")
    return found


def files_holding(folder: Path, text: str) -> list[str]:
    """The files under ``folder`` (database files and logs included) holding ``text``,
    as UTF-8 or UTF-16."""
    shapes = (text.encode(), text.encode("utf-16-le"))
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink() or path.is_socket():
            continue
        try:
            data = path.read_bytes()
        except OSError:  # a file that went away, or is not ours to read
            continue
        if any(shape in data for shape in shapes):
            found.append(str(path))
    return found


def test_the_password_is_never_stored_or_logged(
    live, alice, ready, emulator, monkeypatch, caplog, capsys, sql_logged, tmp_path
):
    # Every logger at DEBUG: the root, and those with a level of their own ("django" is
    # at INFO, which would hide the SQL of django.db.backends).
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and logger.level != logging.NOTSET:
            caplog.set_level(logging.DEBUG, logger=name)

    # The page.
    browser = Client()
    browser.force_login(alice)
    page = reverse("biosample:submission_submit", args=[ready.pk])
    answer = browser.post(
        page, {"webin_username": ACCOUNT, "webin_password": PASSWORD, "release_date": ""},
        follow=True,
    )  # fmt: skip
    assert "The submission to BioSamples has started" in answer.content.decode()
    assert run_queued(ready.pk).state == TaskState.SUCCEEDED
    StoredToken.objects.all().delete()  # the next one signs in with the password again

    # The API.
    answer = client_for(alice).post(
        f"/api/v1/submissions/{ready.pk}/submit/",
        {"webin_username": ACCOUNT, "webin_password": PASSWORD}, format="json",
    )  # fmt: skip
    assert answer.status_code == 202, answer.json()
    assert run_queued(ready.pk).state == TaskState.SUCCEEDED
    StoredToken.objects.all().delete()

    # The CLI, on the live server (its worker runs the submit).
    _, key = token_create(user=alice, name="injecttool CLI")
    monkeypatch.setenv("INJECTTOOL_CONFIG", str(tmp_path / "config.json"))
    monkeypatch.setenv("INJECTTOOL_URL", live.url)
    monkeypatch.setenv("INJECTTOOL_TOKEN", key)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="", stream=None: PASSWORD)
    code = cli.main(["submit", str(ready.pk), "--webin-username", ACCOUNT,
                     "--interval", "0.2", "--timeout", "180"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err

    # Webin was asked four times (``ready``'s sign-in, then ours with the password each
    # time); each submit ran.
    signed_in = sum(
        n for (method, path, status), n in emulator.request_counts().items()
        if method == "POST" and path.endswith("/auth/token") and status == 200
    )  # fmt: skip
    assert signed_in == 4
    submits = Task.objects.filter(submission=ready, kind=TaskKind.SUBMIT)
    assert [t.state for t in submits] == [TaskState.SUCCEEDED] * 3
    assert "SELECT" in caplog.text and "DEBUG" in Path(live.logs["web"]).read_text()

    logged = {"this process's logs": caplog.text, "the CLI's output": out + err}
    logged |= {f"the live {name}'s log": path.read_text(errors="replace")
               for name, path in live.logs.items()}  # fmt: skip
    assert [where for where, text in logged.items() if PASSWORD in text] == []
    assert all(PASSWORD not in str(record.args) for record in caplog.records)
    assert rows_holding(PASSWORD) == []
    assert files_holding(Path(settings.DATA_DIR), PASSWORD) == []
    assert files_holding(live.folder, PASSWORD) == []
    assert files_holding(tmp_path, PASSWORD) == []
    # The scans do find what is stored: the account's name is (in its tasks and links).
    assert rows_holding(ACCOUNT) and files_holding(Path(settings.DATA_DIR), ACCOUNT)
