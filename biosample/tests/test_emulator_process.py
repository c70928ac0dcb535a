"""``python -m biosample.emulator``: its own process, archive and demo Webin account."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from biosample.emulator.cli import demo_password_ensure
from injecttool.testing.live import BASE_DIR, free_port

from .documents import sample_document

START_TIMEOUT = 60


class EmulatorProcess:
    """One ``python -m biosample.emulator`` on a free port, its output read line by line."""

    def __init__(self, data: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("EMULATOR_", "DJANGO_"))
        }
        environment.update(
            INJECTTOOL_DATA=str(data), DJANGO_SETTINGS_MODULE="injecttool.settings.local", **env
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "biosample.emulator", "--port", str(self.port)],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = self._read_until("BioSamples emulator on")

    def _read_until(self, marker: str) -> str:
        lines, deadline = [], time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the emulator exited:\n{''.join(lines)}")
            lines.append(line)
            if marker in line:
                return "".join(lines)
        raise AssertionError(f"no {marker!r} within {START_TIMEOUT} s:\n{''.join(lines)}")

    def token(self, username: str, password: str) -> requests.Response:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                return requests.post(
                    f"{self.url}/ena/submit/webin/auth/token",
                    json={"authRealms": ["ENA"], "username": username, "password": password},
                    timeout=10,
                )
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.process.stdout.close()
        return code


def test_it_makes_a_demo_password_on_first_start_and_keeps_it(tmp_path):
    data = tmp_path / "data"
    first = EmulatorProcess(data)
    try:
        line = next(x for x in first.output.splitlines() if "with password:" in x)
        password = line.rsplit(": ", 1)[1]
        assert "Created the emulator's Webin account 'Webin-40001'" in line
        token = first.token("Webin-40001", password).text
        created = requests.post(
            f"{first.url}/biosamples/samples",
            json=sample_document(),
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert created.status_code == 201
    finally:
        assert first.stop() == 0
    folder = data / "biosamples-emulator"
    assert (folder / "webin-password").read_text() == password
    assert (folder / "webin-password").stat().st_mode & 0o077 == 0
    assert (folder / "archive.sqlite3").exists()

    second = EmulatorProcess(data)
    try:
        assert password not in second.output
        assert "password in" in second.output
        assert second.token("Webin-40001", password).status_code == 200
        sample = requests.get(f"{second.url}/biosamples/samples/SAMEA1", timeout=10).json()
        assert sample["name"] == sample_document()["name"]
    finally:
        assert second.stop() == 0


def test_it_takes_the_account_from_the_settings(tmp_path):
    running = EmulatorProcess(
        tmp_path / "data", EMULATOR_WEBIN_USERNAME="Webin-777", EMULATOR_WEBIN_PASSWORD="given-pw"
    )
    try:
        assert "given-pw" not in running.output
        assert "password from EMULATOR_WEBIN_PASSWORD" in running.output
        assert running.token("Webin-777", "given-pw").status_code == 200
    finally:
        running.stop()
    assert not (tmp_path / "data" / "biosamples-emulator" / "webin-password").exists()


def test_it_prefers_a_configured_password(tmp_path):
    assert demo_password_ensure(folder=tmp_path, configured="set") == ("set", False)
    made, generated = demo_password_ensure(folder=tmp_path, configured="")
    assert generated and len(made) >= 12
    assert demo_password_ensure(folder=tmp_path, configured="") == (made, False)
