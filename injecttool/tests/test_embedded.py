import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection


def test_it_runs_on_a_throwaway_data_folder():
    data = Path(os.environ["INJECTTOOL_DATA"])
    assert data.name.startswith("injecttool-test-")
    assert data.resolve() == settings.DATA_DIR


def test_it_uses_the_embedded_postgresql_of_that_folder(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        (data_directory,) = cursor.fetchone()
    assert Path(data_directory).resolve() == (settings.DATA_DIR / "postgres").resolve()


def test_it_uses_the_embedded_redis_of_that_folder():
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.ping()
    assert f"unix://{settings.DATA_DIR / 'redis' / 'redis.sock'}" == settings.REDIS_URL
    assert client.config_get("dir")["dir"] == str(settings.DATA_DIR / "redis")


def _manage(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**env, "INJECTTOOL_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


_NOT_PASSED = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_it_starts_the_servers_again_after_a_crash(tmp_path):
    """A laptop that lost power leaves stale pid files; the next command just works."""
    data = tmp_path / "django_data"
    try:
        first = _manage(data, "embedded", "status")
        assert first.returncode == 0, first.stderr
        assert f"injecttool on {data / 'postgres'} (embedded PostgreSQL)" in first.stdout
        postgres = int((data / "postgres" / "postmaster.pid").read_text().split()[0])
        redis_pid = int((data / "redis" / "redis.pid").read_text().split()[0])
        for pid in (postgres, redis_pid):
            os.kill(pid, signal.SIGKILL)

        # At once, while the dead server may linger as a zombie: its pid still answers.
        again = _manage(data, "migrate", "--no-input", "--verbosity", "0")
        assert again.returncode == 0, again.stderr
        assert (data / "postgres" / "postmaster.pid").exists()
        assert int((data / "postgres" / "postmaster.pid").read_text().split()[0]) != postgres
    finally:
        _manage(data, "embedded", "stop")
