"""`make stack`: the docker compose topology on one machine, without docker.

nginx (static files, /ws/ to daphne, the rest to uWSGI, protected downloads by
X-Accel-Redirect), uWSGI, daphne, a Celery worker and Celery beat run under one honcho
manager, from the same nginx/nginx.conf.template and uwsgi/uwsgi.ini that docker compose
uses. When BIOSAMPLES_URL is not set in the environment, the BioSamples emulator runs too
(``python -m biosample.emulator`` on 127.0.0.1:8081, where the default BIOSAMPLES_URL and
WEBIN_AUTH_URL point), as with `make run`. With ``--port N``: nginx listens on
127.0.0.1:N, uWSGI on N+1, daphne on N+2.
Ctrl-C (or SIGTERM) stops them all; the embedded PostgreSQL and Redis keep running, as
with `make run`.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from honcho.manager import Manager

from injecttool.runner import run_processes

BASE_DIR = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = BASE_DIR / "nginx" / "nginx.conf.template"
ENVELOPE_BYTES = 16 * 1024 * 1024  # form fields and multipart boundaries around a file
UWSGI_INI = BASE_DIR / "uwsgi" / "uwsgi.ini"
NGINX = "/usr/sbin/nginx"

# Our placeholders are ${UPPER_CASE}; nginx's own variables ($host, $scheme) are lower case,
# so they are never touched. compose/start-nginx picks the names with the same pattern.
_PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def nginx_conf_placeholders(*, template: str) -> set[str]:
    """The names of the ``${NAME}`` placeholders in an nginx config template."""
    return set(_PLACEHOLDER.findall(template))


def nginx_conf_render(*, template: str, values: Mapping[str, str]) -> str:
    """Fill the ``${NAME}`` placeholders of ``template`` from ``values``, as envsubst does.

    A placeholder without a value is an error rather than an empty string, which nginx
    would report far less clearly.
    """
    missing = sorted(nginx_conf_placeholders(template=template) - set(values))
    if missing:
        raise KeyError(f"no value for the nginx template placeholders: {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def nginx_max_body(*, upload_max_bytes: int) -> str:
    """nginx's client_max_body_size: the upload limit plus room for the multipart envelope
    (compose/start-nginx computes the same from UPLOAD_MAX_BYTES)."""
    return str(upload_max_bytes + ENVELOPE_BYTES)


def stack_nginx_conf_write(
    *,
    port: int,
    data_dir: Path,
    static_root: Path,
    media_root: Path,
    protected_root: Path,
    upload_max_bytes: int,
) -> Path:
    """Render nginx/nginx.conf.template for a stack on ``port``; return the file written.

    Everything nginx writes (pid, request buffers) stays in ``data_dir``/stack/nginx, and
    its logs go to the terminal, like the other processes'.
    """
    folder = data_dir / "stack"
    run_dir = folder / "nginx"
    run_dir.mkdir(parents=True, exist_ok=True)
    for path in (static_root, media_root, protected_root):
        path.mkdir(parents=True, exist_ok=True)
    values = {
        "NGINX_LISTEN": f"127.0.0.1:{port}",
        "UWSGI_UPSTREAM": f"127.0.0.1:{port + 1}",
        "ASGI_UPSTREAM": f"127.0.0.1:{port + 2}",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "PROTECTED_ROOT": str(protected_root),
        "NGINX_RUN_DIR": str(run_dir),
        "NGINX_ACCESS_LOG": "/dev/stdout",
        "NGINX_ERROR_LOG": "stderr",
        "NGINX_MAX_BODY": nginx_max_body(upload_max_bytes=upload_max_bytes),
    }
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf_render(template=NGINX_TEMPLATE.read_text(), values=values))
    return conf


def stack_processes(
    *, port: int, conf: Path, settings: str, environ: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """The stack's (name, shell command) pairs: nginx, uWSGI, daphne, worker and beat, and
    the BioSamples emulator unless BIOSAMPLES_URL is set in ``environ`` (os.environ by
    default)."""
    py = sys.executable
    uwsgi = shutil.which("uwsgi", path=str(Path(py).parent)) or "uwsgi"
    q = shlex.quote
    celery = [
        (name, cmd)
        for name, cmd in run_processes(port=port, settings=settings, environ=environ)
        if name in {"worker", "beat", "biosamples"}
    ]
    return [
        (
            "nginx",
            f"exec {NGINX} -e stderr -p {q(str(conf.parent / 'nginx'))} -c {q(str(conf))}"
            " -g 'daemon off;'",
        ),
        # uWSGI keeps its database connections (as its compose service does); daphne does
        # not (its consumers query from a thread pool).
        (
            "uwsgi",
            f"CONN_MAX_AGE=${{CONN_MAX_AGE:-60}} exec {q(uwsgi)} --ini {q(str(UWSGI_INI))}"
            f" --virtualenv {q(sys.prefix)}",
        ),
        (
            "asgi",
            f"exec {q(py)} -m daphne --proxy-headers -b 127.0.0.1 -p {port + 2}"
            " injecttool.asgi:application",
        ),
        *[(name, f"exec {cmd}") for name, cmd in celery],
    ]


def stack_environment(*, port: int, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of every process of the stack."""
    env = dict(environ)
    env["PYTHONUNBUFFERED"] = "1"
    # Downloads go out through nginx, as in production.
    env["USE_X_ACCEL_REDIRECT"] = "true"
    env["UWSGI_SOCKET"] = f"127.0.0.1:{port + 1}"
    # As many uWSGI workers as its compose service: while one waits on PostgreSQL another
    # runs (20 curators at once on two cores: p95 well under the 2-worker figure).
    env.setdefault("UWSGI_PROCESSES", "4")
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    settings_module = os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")
    if not os.access(NGINX, os.X_OK):
        print(f"{NGINX} is missing: install nginx (apt-get install nginx)", file=sys.stderr)
        return 1

    # The settings know the folders; the embedded servers start before the processes.
    from django.conf import settings

    from injecttool import embedded

    embedded.ensure_started()

    conf = stack_nginx_conf_write(
        port=args.port,
        data_dir=settings.DATA_DIR,
        static_root=Path(settings.STATIC_ROOT),
        media_root=Path(settings.MEDIA_ROOT),
        protected_root=Path(settings.PROTECTED_ROOT),
        upload_max_bytes=settings.UPLOAD_MAX_BYTES,
    )
    env = stack_environment(port=args.port, environ=os.environ)
    manager = Manager()
    for name, cmd in stack_processes(port=args.port, conf=conf, settings=settings_module):
        manager.add_process(name, cmd, env=env, cwd=str(BASE_DIR))
    print(
        f"InjectTool stack (nginx, uWSGI, daphne, Celery worker and beat) is starting on "
        f"http://127.0.0.1:{args.port}/  (Ctrl-C stops it)",
        flush=True,
    )
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
