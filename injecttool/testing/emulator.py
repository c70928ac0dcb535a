"""The BioSamples emulator as a process of its own (as `make run` starts it), on a free
port with a fresh archive: for `make bench` and for tests that need it to outlive, or to
be apart from, the process that talks to it (a Celery worker killed mid-submission)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from injecttool.testing.live import BASE_DIR, free_port

START_TIMEOUT = 60  # seconds; two cores are shared with the rest of the suite


@dataclass
class EmulatorProcess:
    """A running ``python -m biosample.emulator``: where it listens, its control secret."""

    process: subprocess.Popen = field(repr=False)
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def biosamples_url(self) -> str:
        return f"{self.url}/biosamples"

    @property
    def webin_auth_url(self) -> str:
        return f"{self.url}/ena/submit/webin/auth"

    @property
    def control_url(self) -> str:
        secret = (self.folder / "control-secret").read_text().strip()
        return f"{self.url}/_emulator/{secret}"

    def faults(self, **settings) -> dict:
        """Set the faults (``delay``, ``error_rate``, ``drop_after_write_rate``, ``seed``…,
        see biosample.emulator.faults); none given: no faults."""
        if settings:
            answer = requests.post(f"{self.control_url}/faults", json=settings, timeout=10)
        else:
            answer = requests.delete(f"{self.control_url}/faults", timeout=10)
        answer.raise_for_status()
        return answer.json()

    def stats(self) -> dict:
        """Samples stored, duplicate names, faults injected (the control endpoint's stats)."""
        answer = requests.get(f"{self.control_url}/stats", timeout=10)
        answer.raise_for_status()
        return answer.json()

    def cpu_seconds(self) -> float:
        """The CPU time the emulator has used so far (user + system, all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def emulator_running(
    folder: Path, *, username: str, password: str, args: tuple[str, ...] = ()
) -> Iterator[EmulatorProcess]:
    """``python -m biosample.emulator`` with its archive in ``folder`` (fresh when the
    folder is) and one Webin account, until the block ends. ``args`` go to its command
    line (``--delay 0.05``, ``--error-rate 0.1``…)."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMULATOR_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="injecttool.settings.local", INJECTTOOL_DATA=str(folder),
        EMULATOR_WEBIN_USERNAME=username, EMULATOR_WEBIN_PASSWORD=password,
        PYTHONUNBUFFERED="1",
    )  # fmt: skip
    log = folder / "emulator.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "biosample.emulator", "--port", str(port),
             "--data-dir", str(folder), *args],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    running = EmulatorProcess(process=process, port=port, folder=folder)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                requests.get(f"{running.biosamples_url}", timeout=2)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the emulator did not start:\n{log.read_text(errors='replace')}"
                    ) from None
                time.sleep(0.1)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
