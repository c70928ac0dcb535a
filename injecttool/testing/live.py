"""A live InjectTool for tests: `make run`'s web server and a real Celery worker, as processes.

They use the test database (its rows are the test's own) and a Redis of their own, so a
test drives them over real HTTP exactly as a client would.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings

from injecttool import embedded
from injecttool.runner import web_args
from injecttool.testing.db import current_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT = 90  # seconds; two cores are shared with the rest of the suite


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class LiveServer:
    """The web server and a Celery worker on the test database and a Redis of their own."""

    def __init__(self, folder: Path, **extra_env: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "injecttool.settings.test",
            "DATABASE_URL": current_database_url(),
            # A Redis of its own: a worker of the stack (session-wide, on the session's
            # Redis) must not take this server's tasks, nor this worker the stack's.
            "REDIS_URL": embedded.redis_start(folder),
            "INJECTTOOL_DATA": str(settings.DATA_DIR),
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def _start(self, name: str, args: list[str]) -> None:
        self.logs[name] = self.folder / f"{name}.log"
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.logs[name].open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        self._start("web", web_args(self.port))  # the web server of `make run`
        self._start("worker", ["celery", "-A", "injecttool", "worker", "--pool", "solo",
                               "--concurrency", "1", "--loglevel", "INFO",
                               "--hostname", f"live-test-{self.port}@%h"])  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        web_ready = worker_ready = False
        while time.monotonic() < deadline and not (web_ready and worker_ready):
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{_tail(self.logs[name])}")
            if not web_ready:
                with contextlib.suppress(requests.RequestException):
                    web_ready = requests.get(f"{self.url}/healthz/", timeout=2).status_code == 200
            worker_ready = worker_ready or " ready." in self.logs["worker"].read_text(
                errors="replace"
            )
            time.sleep(0.3)
        if not (web_ready and worker_ready):
            self.stop()
            logs = "\n".join(f"--- {n}\n{_tail(p)}" for n, p in self.logs.items())
            raise RuntimeError(f"the server did not start in {START_TIMEOUT} s:\n{logs}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        embedded.stop(self.folder)
