"""Process manager of `make run`: uvicorn (HTTP and websockets), a Celery worker and beat,
and the BioSamples emulator (``python -m biosample.emulator`` on 127.0.0.1:8081, where the
default BIOSAMPLES_URL and WEBIN_AUTH_URL point) when BIOSAMPLES_URL is not set in the
environment; with BIOSAMPLES_URL set, the real service (or another emulator) is used.

One honcho manager runs them all in the foreground; Ctrl-C (or SIGTERM) stops them all.
The runner starts the embedded PostgreSQL and Redis first (unless DATABASE_URL / REDIS_URL
name other servers); they are daemons of the data folder and keep running; stop them with
`python manage.py embedded stop`.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Mapping

from honcho.manager import Manager


def _python() -> str:
    return sys.executable


def web_args(port: int) -> list[str]:
    """``python -m`` arguments of the web server (the test suite's live servers use them too).

    uvicorn hands request bodies to the application as they arrive (daphne reads a whole
    body first), so injecttool.request_limits can refuse one while it streams.
    """
    return [
        "uvicorn", "injecttool.asgi:application", "--host", "127.0.0.1", "--port", str(port),
        "--http", "httptools", "--ws", "websockets", "--lifespan", "off", "--no-server-header",
    ]  # fmt: skip


# The port of the default BIOSAMPLES_URL and WEBIN_AUTH_URL (injecttool/settings/base.py),
# unless EMULATOR_PORT says another.
EMULATOR_PORT = 8081


def run_processes(
    *, port: int, settings: str, environ: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """The (name, shell command) pairs of `make run`: web, worker, beat and, unless
    BIOSAMPLES_URL is set in ``environ`` (os.environ by default), the BioSamples emulator."""
    environ = os.environ if environ is None else environ
    py = _python()
    processes = [
        ("web", f"{py} -m {shlex.join(web_args(port))}"),
        (
            "worker",
            f"{py} -m celery -A injecttool worker --loglevel INFO --concurrency 2 "
            "--hostname worker@%h",
        ),
        ("beat", f"{py} -m celery -A injecttool beat --loglevel INFO"),
    ]
    if not environ.get("BIOSAMPLES_URL"):
        emulator_port = int(environ.get("EMULATOR_PORT") or EMULATOR_PORT)
        processes.append(("biosamples", f"{py} -m biosample.emulator --port {emulator_port}"))
    return processes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    settings = os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")
    from injecttool import embedded

    embedded.ensure_started()  # before the processes that use them
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    manager = Manager()
    for name, cmd in run_processes(port=args.port, settings=settings):
        manager.add_process(name, cmd, env=env)
    print(f"InjectTool is starting on http://127.0.0.1:{args.port}/  (Ctrl-C stops it)", flush=True)
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
