"""pytest plugin: the `stack` fixture, the `make stack` topology for end-to-end tests.

nginx, uWSGI, daphne, a Celery worker and Celery beat run from `python -m injecttool.stack`
for the whole session, on the embedded PostgreSQL of the session's throwaway data folder.
The stack uses the database "injecttool" there, not pytest-django's test database, so
what a test writes through `stack.manage()` or the browser stays for the rest of the
session: give your data unique names.

The stack has a Redis of its own (in data_dir/stack/redis): a Celery worker that a test
starts on the test database must never take the stack's tasks, nor the other way round.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from injecttool import embedded
from injecttool.stack import NGINX
from injecttool.testing.live import free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT = 120  # seconds; uWSGI, daphne and Celery share two cores with the tests
STOP_TIMEOUT = 30


@dataclass
class Stack:
    """A running stack: its address, its data folder and its manage.py."""

    url: str  # "http://127.0.0.1:PORT", no trailing slash
    data_dir: Path  # the stack's e-mails land in data_dir / "mail"
    log: Path  # everything the stack's processes printed
    env: dict[str, str] = field(repr=False)

    def manage(self, *args: str, check: bool = True, input: str | None = None):
        """Run ``manage.py *args`` against the stack's database; return the CompletedProcess.

        With ``check`` (the default) a non-zero exit fails the test with the output.
        """
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} exited with {result.returncode}:\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def output(self) -> str:
        """What the stack's processes have printed so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port_triple() -> int:
    """A port N with N+1 (uWSGI) and N+2 (daphne) free as well."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + 2 < 65536 and _port_is_free(port + 1) and _port_is_free(port + 2):
            return port
    raise RuntimeError("found no three consecutive free ports on 127.0.0.1")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own URL)
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(text: str, lines: int = 150) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the stack; honcho passes it on to each process group it started."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def stack_running(*, data_dir: Path) -> Iterator[Stack]:
    """nginx + uWSGI + daphne + Celery worker and beat on the embedded PostgreSQL of
    ``data_dir`` (with the test settings), until the block ends. `make bench` uses it too."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="injecttool.settings.test", PYTHONUNBUFFERED="1")
    env["INJECTTOOL_DATA"] = str(data_dir)
    env["REDIS_URL"] = embedded.redis_start(data_dir / "stack")
    port = _free_port_triple()
    # Its own BioSamples emulator, on a port of its own (`make run` may hold 8081).
    env["EMULATOR_PORT"] = str(free_port())
    for name in ("BIOSAMPLES_URL", "WEBIN_AUTH_URL"):
        env.pop(name, None)
    log = data_dir / "stack-output.log"
    runner = Stack(url=f"http://127.0.0.1:{port}", data_dir=data_dir, log=log, env=env)
    process = None
    try:
        runner.manage("migrate", "--no-input", "--verbosity", "0")
        runner.manage("seed_dictionaries")
        runner.manage("terms_seed")
        runner.manage("collectstatic", "--no-input", "--verbosity", "0")
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "injecttool.stack", "--port", str(port)],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(f"{runner.url}/healthz/"):
            if process.poll() is not None:
                raise RuntimeError(
                    f"the stack exited with {process.returncode} before it answered:\n"
                    f"{_tail(runner.output())}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the stack did not answer {runner.url}/healthz/ within "
                    f"{START_TIMEOUT} s:\n{_tail(runner.output())}"
                )
            time.sleep(0.5)
        yield runner
    finally:
        if process is not None:
            _stop(process)
        # Its Redis is a daemon: it would outlive the throwaway folder.
        embedded.stop(data_dir / "stack")


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """nginx + uWSGI + daphne + Celery worker and beat, started once per session."""
    if not os.access(NGINX, os.X_OK):
        pytest.skip(f"{NGINX} is not installed (apt-get install nginx); the stack needs it")
    from django.conf import settings

    with stack_running(data_dir=Path(settings.DATA_DIR)) as running:
        yield running
