"""Loading the settings starts no server: the commands that need PostgreSQL and Redis do.

Each test runs Python in a subprocess on a fresh data folder with neither DATABASE_URL nor
REDIS_URL, as a new clone would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from injecttool import embedded

BASE_DIR = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); from django.conf import settings; "


@pytest.fixture
def data(tmp_path):
    """A fresh data folder; whatever a failing run started in it is stopped afterwards."""
    folder = tmp_path / "data"
    folder.mkdir()
    yield folder
    embedded.stop(folder)


def _run(data: Path, *args: str, module: str = "injecttool.settings.local"):
    drop = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(DJANGO_SETTINGS_MODULE=module, INJECTTOOL_DATA=str(data))
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _servers_of(data: Path) -> list[str]:
    """Processes working in the data folder (postgres in postgres/, redis-server in redis/)."""
    found = []
    for process in psutil.process_iter(["pid", "name", "cmdline", "cwd"]):
        cwd, cmdline = process.info["cwd"] or "", " ".join(process.info["cmdline"] or ())
        if cwd.startswith(str(data)) or str(data) in cmdline:
            found.append(f"{process.info['pid']} {process.info['name']}: {cmdline}")
    return found


def assert_nothing_started(data: Path) -> None:
    assert _servers_of(data) == []
    # Nothing written but the local settings' secret key and the test settings' static
    # folder: no server folder, pid file, lock or socket.
    assert {path.name for path in data.iterdir()} <= {"secret_key", "static"}
    assert not embedded.socket_answers(embedded.postgres_socket(data))


@pytest.mark.parametrize("module", ["injecttool.settings.local", "injecttool.settings.test"])
def test_it_starts_no_server_when_the_settings_load(data, module):
    result = _run(data, "-c", SETUP + "print(settings.REDIS_URL)", module=module)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"unix://{data / 'redis' / 'redis.sock'}"
    assert_nothing_started(data)


@pytest.mark.parametrize(
    "command",
    [["check"], ["help"], ["makemigrations", "--check", "--dry-run"], ["migrate", "--help"]],
    ids=" ".join,
)
def test_it_starts_no_server_for_commands_without_a_database(data, command):
    result = _run(data, "manage.py", *command)

    assert result.returncode == 0, result.stdout + result.stderr
    assert_nothing_started(data)


def test_it_says_how_to_start_the_database_when_it_is_not_running(data):
    result = _run(data, "-c", SETUP + "from django.db import connection; connection.cursor()")

    assert result.returncode != 0
    assert (
        f"the embedded PostgreSQL of {data} is not running: start InjectTool with `make run`"
        in result.stderr
    )
    assert "or set DATABASE_URL" in result.stderr
    assert_nothing_started(data)


@pytest.mark.parametrize(
    ("argv", "needs"),
    [
        ([], False),
        (["help", "migrate"], False),
        (["--version"], False),
        (["check", "--deploy"], False),
        (["collectstatic", "--no-input"], False),
        (["seed_dictionaries", "--help"], False),
        (["embedded", "stop"], False),
        (["embedded", "status"], True),
        (["migrate", "--no-input"], True),
        (["shell", "-c", "print(1)"], True),
        (["bench", "--formats", "template"], True),
    ],
)
def test_it_starts_the_servers_for_the_commands_that_need_them(argv, needs):
    assert embedded.command_needs_servers(argv) is needs


@pytest.mark.slow
def test_it_starts_the_servers_of_a_folder_too_long_for_a_socket(tmp_path):
    """Sockets go to a short private folder named after the data folder; URLs stay fixed."""
    data = tmp_path / ("a-long-folder-name-" * 4) / "django_data"
    data.mkdir(parents=True)
    code = SETUP + (
        "from injecttool import embedded; from django.db import connection; import redis; "
        "embedded.ensure_started(); connection.ensure_connection(); "
        "print(redis.Redis.from_url(settings.REDIS_URL).ping()); "
        "print(settings.REDIS_URL); print(settings.DATABASES['default']['OPTIONS']['host'])"
    )
    try:
        first = _run(data, "-c", code)
        again = _run(data, "-c", code)  # finds them running at the same addresses
    finally:
        embedded.stop(data)

    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    pong, redis_url, db_host = first.stdout.split()
    short = embedded.socket_dir(data)
    assert pong == "True"
    assert redis_url == f"unix://{short / 'redis.sock'}"
    assert db_host == str(short)
    assert short.parent.stat().st_mode & 0o077 == 0
