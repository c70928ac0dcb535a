"""`make run`, as a new user runs it: on a data folder of its own, twice.

It migrates, seeds, makes an admin, serves the home and log-in pages on 127.0.0.1:$PORT,
stops everything on Ctrl-C, and a second run reuses what the first one made.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from injecttool.testing.live import BASE_DIR, free_port

pytestmark = pytest.mark.slow

START_TIMEOUT = 180  # seconds: a first run creates and migrates a database on two cores


class MakeRun:
    """One `make run` in the foreground of its own process group, as in a terminal."""

    def __init__(self, data: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        drop = (
            "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_SUPERUSER_",
            "BIOSAMPLES_URL", "WEBIN_AUTH_URL", "EMULATOR_",
        )  # fmt: skip
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
        self.env.update(INJECTTOOL_DATA=str(data), PORT=str(self.port), PYTHONUNBUFFERED="1",
                        EMULATOR_PORT=str(free_port()))  # fmt: skip
        self.process = subprocess.Popen(
            ["make", "run"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"make run exited:\n{self.output()[-4000:]}"
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/healthz/", timeout=2).status_code == 200:
                    return
            time.sleep(0.5)
        raise AssertionError(f"not serving after {START_TIMEOUT} s:\n{self.output()[-4000:]}")

    def ctrl_c(self) -> None:
        """What a terminal does on Ctrl-C: SIGINT to the whole foreground group."""
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=60)

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@pytest.fixture
def data(tmp_path):
    """The data folder of a new user; its embedded servers are stopped afterwards."""
    folder = tmp_path / "django_data"
    yield folder
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS_MODULE")}
    subprocess.run(
        [str(BASE_DIR / ".venv" / "bin" / "python"), "manage.py", "embedded", "stop"],
        cwd=BASE_DIR,
        env={**env, "INJECTTOOL_DATA": str(folder)},
        capture_output=True,
        check=False,
        timeout=60,
    )


def serve_and_stop(data: Path, log: Path) -> str:
    """One `make run`: check the pages it serves, Ctrl-C it, and return what it printed."""
    run = MakeRun(data, log)
    try:
        run.wait_until_serving()
        assert f"InjectTool is starting on {run.url}/" in run.output()
        home = requests.get(f"{run.url}/", timeout=30)
        assert home.status_code == 200 and "InjectTool" in home.text
        login = requests.get(f"{run.url}/accounts/login/", timeout=30)
        assert login.status_code == 200 and 'name="login"' in login.text
        assert requests.get(f"{run.url}/static/bootstrap/css/bootstrap.min.css", timeout=30).ok
        # Safe defaults (DEBUG off): a plain 404 that lists no URL patterns, and a
        # Content-Security-Policy on every page; the site's own styles still load.
        missing = requests.get(f"{run.url}/no/such/page/", timeout=30)
        assert missing.status_code == 404 and "Page not found" in missing.text
        assert "URLconf" not in missing.text and "admin/" not in missing.text
        assert "script-src 'self'" in home.headers["Content-Security-Policy"]
        # The BioSamples emulator answers where the default BIOSAMPLES_URL points (its port
        # from EMULATOR_PORT: 8081 unless set).
        emulator_port = run.env["EMULATOR_PORT"]
        emulator = requests.get(f"http://127.0.0.1:{emulator_port}/biosamples/samples", timeout=30)
        assert emulator.status_code == 200 and "_links" in emulator.json()
        css = re.search(r'href="(/static/injecttool/site[^"]*\.css)"', home.text)
        assert css and requests.get(f"{run.url}{css.group(1)}", timeout=30).ok

        run.ctrl_c()
        # daphne, the worker and beat all stopped with it: nothing left in the group.
        deadline = time.monotonic() + 30
        while run.group_alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not run.group_alive()
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{run.url}/", timeout=5)
    finally:
        if run.process.poll() is None or run.group_alive():
            run.kill()
    return run.output()


def test_it_serves_stops_on_ctrl_c_and_reuses_everything_the_second_time(data, tmp_path):
    first = serve_and_stop(data, tmp_path / "first.log")

    for step in ("migrating", "seeding the dictionaries", "checking for an admin account"):
        assert f"==> {step}" in first
    assert "Dictionaries seeded: 325 created, 0 updated." in first
    password = re.search(r"Created admin account 'admin' with password: (\S+)", first)
    assert password, first[-3000:]
    for name in ("web", "worker", "beat", "biosamples"):
        assert re.search(rf"\| {name} started", first)
    # The BioSamples emulator made its demo Webin account, whose password the second run
    # does not print again.
    webin = re.search(
        r"Created the emulator's Webin account 'Webin-40001' with password: (\S+)", first
    )
    assert webin and (data / "biosamples-emulator" / "webin-password").read_text() == webin.group(1)
    assert (data / "postgres").is_dir() and (data / "redis").is_dir()
    secret_key = (data / "secret_key").read_text()
    assert len(secret_key) >= 50 and (data / "secret_key").stat().st_mode & 0o077 == 0

    second = serve_and_stop(data, tmp_path / "second.log")

    assert "No migrations to apply." in second
    assert "Dictionaries seeded: 0 created, 0 updated." in second
    assert "Created admin account" not in second
    assert password.group(1) not in second
    assert webin.group(1) not in second
    assert (data / "secret_key").read_text() == secret_key  # sessions survive a restart
