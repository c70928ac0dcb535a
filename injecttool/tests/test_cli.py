"""The `injecttool` command: configuration, and every command against a live server.

The live tests start daphne and a Celery worker as subprocesses on pytest's test
database (and the session's Redis), then run the CLI as a subprocess, as a curator
would: an upload is imported for real by the worker.
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from allauth.account.models import EmailAddress
from django.utils import timezone

from injecttool import cli
from injecttool.testing.live import LiveServer, free_port
from uid.models import Submission, TaskState
from uid.selectors import submission_task
from uid.services.dictionaries import dictionaries_seed

PASSWORD = "alice-password-1"
CSV = (
    "animal_ID,sex,species_latin_name,country_of_origin,breed_name,animal_birth_date,"
    "sample_identifier,sample_type_name,body_part_name,sampling_date,sampling_protocol_url,"
    "sample_availability,sample_storage_temperature,sample_bibliographic_references,"
    "EBI_Biosample_identifier\n"
    "ram-1,male,Ovis aries,DE,Merinolandschaf,2015-03-01,straw-1,semen,,2019-04-01,,,-196°C,,\n"
    "ram-1,male,Ovis aries,DE,Merinolandschaf,2015-03-01,straw-2,semen,,2019-04-02,,,-196°C,,\n"
    "ewe-1,female,Ovis aries,DE,Merinolandschaf,2016-05-01,oocyte-1,oocyte,,2019-05-01,,,-196°C,,\n"
).encode()


# --- Without a server ------------------------------------------------------------------------


def test_it_keeps_the_token_readable_by_its_owner_only(tmp_path, monkeypatch):
    path = tmp_path / "deep" / "config.json"
    monkeypatch.setenv("INJECTTOOL_CONFIG", str(path))

    assert cli.config_save({"url": "http://x", "token": "secret"}) == path

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"url": "http://x", "token": "secret"}
    assert cli.config_load() == {"url": "http://x", "token": "secret"}


def test_it_uses_the_xdg_config_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("INJECTTOOL_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert cli.config_path() == tmp_path / "injecttool" / "config.json"


def test_it_says_how_to_log_in_when_there_is_no_token(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INJECTTOOL_CONFIG", str(tmp_path / "none.json"))
    monkeypatch.delenv("INJECTTOOL_URL", raising=False)
    monkeypatch.delenv("INJECTTOOL_TOKEN", raising=False)

    assert cli.main(["list"]) == 1
    assert "not logged in: run `injecttool login URL`" in capsys.readouterr().err


def test_it_reports_a_server_it_cannot_reach(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INJECTTOOL_CONFIG", str(tmp_path / "none.json"))
    monkeypatch.setenv("INJECTTOOL_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("INJECTTOOL_TOKEN", "t")

    assert cli.main(["status", "1"]) == 1
    assert "cannot reach http://127.0.0.1:" in capsys.readouterr().err


@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
def test_its_streamed_multipart_body_is_the_same_whatever_the_read_size(tmp_path, size):
    path = tmp_path / "crb.csv"
    path.write_bytes(CSV * 50)
    fields = {"title": "Schafe ü"}
    whole = cli.MultipartBody(fields, "file", path)
    expected = whole.read(1 << 30).replace(whole.boundary.encode(), b"B")
    whole.close()

    sent = []
    body = cli.MultipartBody(fields, "file", path, progress=lambda done, total: sent.append(done))
    chunks = []
    while chunk := body.read(size):
        chunks.append(chunk)

    assert b"".join(chunks).replace(body.boundary.encode(), b"B") == expected
    assert all(len(chunk) <= size for chunk in chunks)
    assert len(body) == sum(map(len, chunks)) == sent[-1]
    assert CSV * 50 in expected


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_it_draws_a_progress_bar_on_a_terminal():
    screen = _Terminal()
    progress = cli.Progress(stream=screen)
    progress.update("Uploading crb.csv", 50, 100)
    progress.update("Done", 100, 100)
    progress.end()
    assert screen.getvalue() == (
        "\r[###############...............]  50% Uploading crb.csv"
        "\r[##############################] 100% Done" + " " * 13 + "\n"
    )


def test_it_prints_each_new_state_once_when_the_output_is_a_file():
    log = io.StringIO()
    progress = cli.Progress(stream=log)
    for text in ("Processing: queued", "Processing: queued", "Processing: 10 rows read"):
        progress.update(text)
    progress.end()
    assert log.getvalue() == "Processing: queued\nProcessing: 10 rows read\n"


def test_it_says_loaded_with_singulars_and_plurals():
    assert cli._summary({"counts": {"animals": 3, "samples": 1}}) == "Loaded 3 animals and 1 sample"


# --- Against a live server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_server_processes(django_db_setup, django_db_blocker, tmp_path_factory):
    """Started once for this module: the processes need the test database, not its rows."""
    with LiveServer(tmp_path_factory.mktemp("cli-server")) as server:
        yield server


@pytest.fixture
def server(live_server_processes, transactional_db, django_user_model):
    """The live server, with the dictionaries seeded and Alice able to log in."""
    dictionaries_seed()
    alice = django_user_model.objects.create_user("alice", "alice@example.org", PASSWORD)
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=True)
    return live_server_processes


class Cli:
    """Runs `python -m injecttool.cli` with its own configuration file."""

    def __init__(self, folder: Path, **env: str) -> None:
        self.folder = folder
        self.config = folder / "config.json"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("INJECTTOOL_")}
        self.env.update(HOME=str(folder), INJECTTOOL_CONFIG=str(self.config), **env)

    def __call__(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "injecttool.cli", *args],
            cwd=self.folder,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=240,
        )


@pytest.fixture
def run(tmp_path):
    return Cli(tmp_path)


def login(run: Cli, server: LiveServer) -> None:
    result = run("login", server.url, "--username", "alice", "--password-stdin", input=PASSWORD)
    assert result.returncode == 0, result.stderr


def upload_args(path: Path, **options: str) -> list[str]:
    values = {
        "--type": "crbanim",
        "--title": "Sheep straws",
        "--gene-bank-name": "Cryobank",
        "--gene-bank-country": "germany",
        "--datasource-version": "2024",
        "--timeout": "180",
        "--interval": "0.3",
        **options,
    }
    return ["upload", str(path), *[item for pair in values.items() for item in pair]]


@pytest.mark.slow
def test_it_logs_in_uploads_and_prints_the_counts_once_imported(server, run, tmp_path):
    result = run("login", server.url + "/", "--username", "alice", "--password-stdin",
                 input=PASSWORD + "\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"Logged in to {server.url} as alice" in result.stdout
    stored = json.loads(run.config.read_text())
    assert stored["url"] == server.url and len(stored["token"]) == 40
    assert stat.S_IMODE(run.config.stat().st_mode) == 0o600

    data = tmp_path / "brebis é.csv"
    data.write_bytes(CSV)
    result = run(*upload_args(data))

    assert result.returncode == 0, result.stderr
    assert "Loaded 2 animals and 3 samples" in result.stdout
    submission = Submission.objects.get(title="Sheep straws")
    assert submission_task(submission=submission).state == TaskState.SUCCEEDED
    assert submission.file_name == "brebis é.csv"
    assert submission.animals.count() == 2 and submission.samples.count() == 3


@pytest.mark.slow
def test_it_shows_lists_downloads_and_deletes(server, run, tmp_path):
    login(run, server)
    (tmp_path / "sent").mkdir()
    data = tmp_path / "sent" / "crb.csv"
    data.write_bytes(CSV)
    created = json.loads(run(*upload_args(data), "--json").stdout)
    pk = created["id"]
    assert created["status"] == "loaded" and created["counts"]["samples"] == 3

    status = run("status", str(pk))
    assert status.returncode == 0
    assert "Loaded" in status.stdout and "2 animals, 3 samples" in status.stdout
    assert json.loads(run("status", str(pk), "--json").stdout)["id"] == pk

    listing = run("list")
    assert "Sheep straws" in listing.stdout and str(pk) in listing.stdout
    assert [s["id"] for s in json.loads(run("--json", "list").stdout)] == [pk]

    out = tmp_path / "copy.csv"
    assert run("download", str(pk), "-o", str(out)).returncode == 0
    assert out.read_bytes() == CSV
    refused = run("download", str(pk), "-o", str(out))
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert run("download", str(pk)).returncode == 0  # the original name, in the cwd
    assert (tmp_path / "crb.csv").read_bytes() == CSV

    # The records as files: CSV of either kind, and a filled template.
    animals_csv = tmp_path / "animals.csv"
    assert run("export", str(pk), "--type", "csv", "-o", str(animals_csv)).returncode == 0
    assert animals_csv.read_text().splitlines()[0].startswith("name,breed,species,country,sex")
    assert len(animals_csv.read_text().splitlines()) == 3
    exported = run("export", str(pk), "--type", "csv", "--kind", "samples", "-o", "-")
    assert len(exported.stdout.splitlines()) == 4
    book = tmp_path / "records.xlsx"
    assert run("export", str(pk), "--type", "xlsx", "-o", str(book)).returncode == 0
    assert book.read_bytes()[:2] == b"PK"  # a workbook (a zip)

    deleted = run("delete", str(pk))
    assert deleted.returncode == 0 and f"Deleted submission #{pk}" in deleted.stdout
    gone = run("status", str(pk))
    assert gone.returncode == 1 and f"there is no submission #{pk} of yours" in gone.stderr


@pytest.mark.slow
def test_it_imports_a_corrected_file_into_a_submission(server, run, tmp_path):
    login(run, server)
    data = tmp_path / "crb.csv"
    data.write_bytes(CSV)
    pk = json.loads(run(*upload_args(data), "--json").stdout)["id"]
    corrected = tmp_path / "crb-corrected.csv"
    # One more ewe with her straw.
    extra = (
        "ewe-2,female,Ovis aries,DE,Merinolandschaf,2017-02-01,oocyte-2,oocyte,,2019-06-01,,,,,\n"
    )
    corrected.write_bytes(CSV + extra.encode())

    result = run("reload", str(pk), str(corrected), "--timeout", "180", "--interval", "0.3")

    assert result.returncode == 0, result.stderr
    assert f"Loaded 3 animals and 4 samples (submission #{pk})." in result.stdout
    submission = Submission.objects.get(pk=pk)
    assert submission.file_name == "crb-corrected.csv"
    assert submission.animals.count() == 3

    missing = run("reload", "999999", str(corrected))
    assert missing.returncode == 1 and "there is no submission #999999 of yours" in missing.stderr


@pytest.mark.slow
def test_it_exits_non_zero_with_the_servers_message(server, run, tmp_path):
    assert run("login", server.url, "--username", "alice", "--password-stdin",
               input="wrong").returncode == 1  # fmt: skip
    login(run, server)
    data = tmp_path / "crb.csv"
    data.write_bytes(CSV)

    refused = run(*upload_args(data, **{"--gene-bank-country": "Atlantis"}))
    assert refused.returncode == 1
    assert "--gene-bank-country: Unknown country 'Atlantis'" in refused.stderr

    broken = tmp_path / "broken.csv"
    broken.write_bytes(CSV.replace(b"Ovis aries", b"Ovis fantastica"))
    failed = run(*upload_args(broken, **{"--title": "Broken"}))
    assert failed.returncode == 1
    submission = Submission.objects.get(title="Broken")
    task = submission_task(submission=submission)
    assert task.state == TaskState.FAILED
    assert f"the import of submission #{submission.pk} failed: {task.message}" in (failed.stderr)
    assert run("status", str(submission.pk)).returncode == 1


@pytest.mark.slow
def test_it_takes_the_url_and_token_from_the_environment(server, tmp_path):
    token = Cli(tmp_path)
    login(token, server)
    stored = json.loads(token.config.read_text())
    bare = tmp_path / "elsewhere"
    bare.mkdir()
    run = Cli(bare, INJECTTOOL_URL=stored["url"], INJECTTOOL_TOKEN=stored["token"])

    result = run("list")
    assert result.returncode == 0, result.stderr
    assert "No submissions yet." in result.stdout
    assert not run.config.exists()


@pytest.mark.slow
@pytest.mark.attack
def test_it_says_when_its_token_has_expired_and_asks_to_log_in_again(server, run):
    from accounts.models import ApiToken

    login(run, server)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    result = run("list")

    assert result.returncode == 1
    assert "Your token has expired" in result.stderr
    assert "injecttool login URL" in result.stderr
    login(run, server)
    assert run("list").returncode == 0


@pytest.mark.slow
@pytest.mark.attack
def test_it_logs_out_revoking_its_token(server, run):
    login(run, server)
    token = json.loads(run.config.read_text())["token"]

    result = run("logout")

    assert result.returncode == 0, result.stderr
    assert "token" not in json.loads(run.config.read_text())
    again = Cli(run.folder, INJECTTOOL_URL=server.url, INJECTTOOL_TOKEN=token)("list")
    assert again.returncode == 1 and "Invalid token" in again.stderr


def test_it_parses_attachment_names():
    class Answer:
        headers = {"Content-Disposition": "attachment; filename*=utf-8''b%C3%A9lier.csv"}

    assert cli._attachment_name(Answer()) == "bélier.csv"
    Answer.headers = {"Content-Disposition": 'attachment; filename="a \\"b\\".csv"'}
    assert cli._attachment_name(Answer()) == 'a "b".csv'


@pytest.mark.slow
def test_it_uploads_and_downloads_through_nginx_on_the_stack(stack, tmp_path):
    # The production path: nginx in front of uWSGI, and the download handed back to nginx
    # by X-Accel-Redirect (a name outside ASCII checks the header's percent-encoding).
    name = f"cli-{uuid.uuid4().hex[:8]}"
    stack.manage("shell", "-c", (
        "from django.contrib.auth import get_user_model\n"
        "from allauth.account.models import EmailAddress\n"
        f"u = get_user_model().objects.create_user({name!r}, '{name}@example.org', {PASSWORD!r})\n"
        "EmailAddress.objects.create(user=u, email=u.email, primary=True, verified=True)\n"
    ))  # fmt: skip
    run = Cli(tmp_path)
    result = run("login", stack.url, "--username", name, "--password-stdin", input=PASSWORD)
    assert result.returncode == 0, result.stderr
    (tmp_path / "sent").mkdir()
    data = tmp_path / "sent" / "béliers.csv"
    data.write_bytes(CSV)

    result = run(*upload_args(data), "--json")
    assert result.returncode == 0, result.stderr + stack.output()[-3000:]
    submission = json.loads(result.stdout)
    assert submission["status"] == "loaded" and submission["counts"]["animals"] == 2

    out = tmp_path / "copy.csv"
    result = run("download", str(submission["id"]), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CSV
    answer = requests.get(
        f"{stack.url}/api/v1/submissions/{submission['id']}/file/",
        headers={"Authorization": f"Token {json.loads(run.config.read_text())['token']}"},
        timeout=30,
    )
    assert answer.content == CSV and "X-Accel-Redirect" not in answer.headers
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename*=utf-8''b%C3%A9liers.csv"
    )


@pytest.mark.slow
def test_it_validates_waits_and_prints_the_summary(server, run, tmp_path):
    from validation.services import terms_seed

    terms_seed()
    login(run, server)
    data = tmp_path / "straws.csv"
    data.write_bytes(CSV)
    assert run(*upload_args(data)).returncode == 0
    pk = Submission.objects.get(title="Sheep straws").pk

    result = run("validate", str(pk), "--timeout", "180", "--interval", "0.3")

    # Alice's profile lacks what IMAGE asks of a submitter: every record has errors.
    assert result.returncode == 3, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == (
        f"Submission #{pk}: 5 records checked: 0 pass, 0 with warnings only, 5 with errors. "
        "Status: Need revision."
    )
    assert (
        "Error   Person last name: Person last name is missing (mandatory) (2 animals, 3 samples)"
        in result.stdout
    )
    assert run("validate", "999999").returncode == 1
