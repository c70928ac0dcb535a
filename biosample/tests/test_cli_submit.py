"""`injecttool submit ID`, end to end: the CLI (in this process, so that the terminal's
getpass can be answered) talks over HTTP to a live server (the web server and a Celery
worker as processes, on the test database), whose worker submits to the BioSamples
emulator over a socket. It asks for the Webin password only when no kept token serves,
waits with progress lines, prints each record's accession and the refused ones with
BioSamples' message."""

from __future__ import annotations

import getpass
import io
import json
import time

import pytest

from accounts.tokens import token_create
from biosample.emulator import Emulator
from biosample.models import StoredToken
from biosample.tests.conftest import OTHER_PASSWORD, OTHER_WEBIN, SAMPLES, WEBIN, WEBIN_PASSWORD
from injecttool import cli
from uid.models import Animal, Sample, Status, Task, TaskKind, TaskState

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ARGS = ["--interval", "0.2", "--timeout", "180"]


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """One emulator for the module (the live server is told its address when it starts);
    it overrides conftest's, so ``ready`` submits to it too."""
    folder = tmp_path_factory.mktemp("biosamples-emulator")
    with Emulator(
        storage=folder / "archive.sqlite3",
        accounts={WEBIN: WEBIN_PASSWORD, OTHER_WEBIN: OTHER_PASSWORD},
    ) as running:
        yield running


@pytest.fixture
def clean_emulator(emulator):
    emulator.faults.reset()
    yield emulator
    emulator.faults.reset()


@pytest.fixture
def curator(live, alice, monkeypatch, tmp_path):
    """The CLI logged in to the live server as Alice."""
    _, key = token_create(user=alice, name="injecttool CLI")
    monkeypatch.setenv("INJECTTOOL_CONFIG", str(tmp_path / "config.json"))
    monkeypatch.setenv("INJECTTOOL_URL", live.url)
    monkeypatch.setenv("INJECTTOOL_TOKEN", key)
    return alice


class Terminal:
    """Answers getpass as a curator would at the terminal, and counts its prompts."""

    def __init__(self, password: str | None) -> None:
        self.password = password
        self.prompts: list[str] = []

    def __call__(self, prompt: str = "Password: ", stream=None) -> str:
        self.prompts.append(prompt)
        if self.password is None:
            raise AssertionError("the password was asked for while a kept token serves")
        return self.password


def terminal(monkeypatch, password: str | None) -> Terminal:
    answering = Terminal(password)
    monkeypatch.setattr(getpass, "getpass", answering)
    return answering


def test_it_asks_for_the_password_waits_and_prints_each_accession(
    curator, ready, clean_emulator, monkeypatch, capsys, api, token
):
    StoredToken.objects.all().delete()  # not signed in to Webin yet
    asked = terminal(monkeypatch, WEBIN_PASSWORD)
    clean_emulator.faults.configure(delay=0.2)  # slow enough to see the progress

    code = cli.main(["submit", str(ready.pk), "--webin-username", WEBIN,
                     "--release-date", "2031-05-01", *ARGS])  # fmt: skip

    out, err = capsys.readouterr()
    assert code == 0, err
    assert asked.prompts == [f"Webin password of {WEBIN}: "]
    task = Task.objects.get(submission=ready, kind=TaskKind.SUBMIT)
    assert task.state == TaskState.SUCCEEDED, task.message
    assert "Submission to BioSamples: " in err  # the progress lines
    lines = out.splitlines()
    assert lines[0] == f"Submission #{ready.pk}: {task.message}"
    assert lines[0].startswith(f"Submission #{ready.pk}: Sent to BioSamples: 4 new")
    records = [*Animal.objects.order_by("name"), *Sample.objects.order_by("name")]
    for record in records:
        kind = "animal" if isinstance(record, Animal) else "sample"
        assert record.accession.startswith("SAMEA")
        assert f"  {kind:<6} {record.name:<7}  {record.accession}" in lines, out
    there = api.get(f"/samples/{records[0].accession}", token=token).json()
    assert there["release"].startswith("2031-05-01")
    ready.refresh_from_db()
    assert ready.status == Status.COMPLETED


def test_a_kept_token_spares_the_password_and_refusals_exit_3(
    curator, ready, clean_emulator, monkeypatch, capsys
):
    terminal(monkeypatch, None)  # `ready` signed Alice in: a token is kept
    # The fourth record posted is the sample (animals go first, parents before children).
    clean_emulator.faults.script("ok", "ok", "ok", 400, method="POST", path=SAMPLES)

    code = cli.main(["--json", "submit", str(ready.pk), "--webin-username", WEBIN, *ARGS])

    out, err = capsys.readouterr()
    assert code == cli.EXIT_RECORDS_REFUSED, err
    shown = json.loads(out)
    assert shown["task"]["result"]["refused"] == 1 and shown["task"]["state"] == "succeeded"
    by_name = {record["name"]: record for record in shown["records"]}
    assert set(by_name) == {"boar", "sow", "piglet", "straw-1"}
    refused = by_name.pop("straw-1")
    assert refused["accession"] is None
    assert refused["refused"] == "BioSamples refused it: Injected by the BioSamples emulator"
    assert all(r["accession"].startswith("SAMEA") and r["refused"] is None
               for r in by_name.values())  # fmt: skip
    assert "BioSamples refused 1 record of submission" in err
    assert Sample.objects.get(name="straw-1").status == Status.NEED_REVISION

    # In words: the refused one with the server's message.
    code = cli.main(["submit", str(ready.pk), "--webin-username", WEBIN, *ARGS])
    out, _ = capsys.readouterr()
    assert code == cli.EXIT_RECORDS_REFUSED
    assert "  sample straw-1  refused: BioSamples refused it: Injected by the BioSamples " in out


def test_it_reads_the_password_from_standard_input(curator, ready, monkeypatch, capsys):
    StoredToken.objects.all().delete()
    terminal(monkeypatch, None)
    monkeypatch.setattr("sys.stdin", io.StringIO(WEBIN_PASSWORD + "\n"))

    code = cli.main(["submit", str(ready.pk), "--webin-username", WEBIN, "--password-stdin",
                     "--no-wait"])  # fmt: skip

    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out == f"The submission of #{ready.pk} to BioSamples is queued.\n"
    assert StoredToken.objects.filter(user=curator, webin_account=WEBIN).exists()
    ended(ready)  # the live worker runs it: let it end before the tables are emptied


def ended(submission, timeout: float = 120) -> Task:
    from uid.models import ACTIVE_STATES

    deadline = time.monotonic() + timeout
    task = Task.objects.get(submission=submission, kind=TaskKind.SUBMIT)
    while task.state in ACTIVE_STATES and time.monotonic() < deadline:
        time.sleep(0.2)
        task.refresh_from_db()
    assert task.state == TaskState.SUCCEEDED, task.message
    return task


def test_a_wrong_password_fails_with_webins_message(curator, ready, monkeypatch, capsys):
    StoredToken.objects.all().delete()
    terminal(monkeypatch, "not the password")

    code = cli.main(["submit", str(ready.pk), "--webin-username", WEBIN, *ARGS])

    assert code == 1
    assert capsys.readouterr().err == (
        f"injecttool: Webin password: Webin refused the username or password of {WEBIN}\n"
    )
    assert not Task.objects.filter(kind=TaskKind.SUBMIT).exists()


def test_it_fails_on_a_submission_not_validated_or_not_yours(
    curator, ready, outsider, monkeypatch, capsys
):
    terminal(monkeypatch, None)
    ready.status = Status.LOADED
    ready.save(update_fields=["status"])
    assert cli.main(["submit", str(ready.pk), "--webin-username", WEBIN, *ARGS]) == 1
    assert "validate them first" in capsys.readouterr().err

    _, key = token_create(user=outsider)  # the CLI of another curator
    monkeypatch.setenv("INJECTTOOL_TOKEN", key)
    assert cli.main(["submit", str(ready.pk), "--webin-username", WEBIN, *ARGS]) == 1
    assert capsys.readouterr().err == f"injecttool: there is no submission #{ready.pk} of yours\n"
