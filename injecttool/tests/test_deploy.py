"""The deployment files: compose, start scripts, nginx, PostgreSQL init, production settings."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from injecttool import stack

BASE_DIR = Path(__file__).resolve().parent.parent.parent
COMPOSE_ENV = {
    "SECRET_KEY": "k" * 60,
    "ALLOWED_HOSTS": "injecttool.example.org",
    "POSTGRES_PASSWORD": "postgres-password",
    "DB_PASSWORD": "db-password",
}
DJANGO_SERVICES = ["migrate", "uwsgi", "asgi", "celery-worker", "celery-beat", "celery-flower"]
NGINX = Path(stack.NGINX)


def _compose(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    # Only what the test gives: an .env file or the caller's variables must not fill gaps.
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **env}
    with tempfile.NamedTemporaryFile(suffix=".env") as empty_env_file:
        return subprocess.run(
            [
                compose,
                "--project-directory",
                str(BASE_DIR),
                "-f",
                "docker-compose.yml",
                "--env-file",
                empty_env_file.name,
                *args,
            ],
            cwd=BASE_DIR,
            env=clean,
            capture_output=True,
            text=True,
            check=False,
        )


def _compose_config() -> dict:
    result = _compose("--profile", "dev", "config", env=COMPOSE_ENV)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in COMPOSE_ENV and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "injecttool.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "injecttool.example.org",
        # External servers, as in compose; `check` does not connect to them.
        "DATABASE_URL": "postgres://injecttool:secret@db.invalid:5432/injecttool",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        "INJECTTOOL_DATA": str(tmp_path),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- docker-compose.yml ------------------------------------------------------------------


def test_it_validates_the_compose_file():
    result = _compose("config", "-q", env=COMPOSE_ENV)
    assert result.returncode == 0, result.stderr


def test_it_refuses_the_compose_file_without_a_secret_key():
    env = {k: v for k, v in COMPOSE_ENV.items() if k != "SECRET_KEY"}
    result = _compose("config", "-q", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_runs_every_django_role_from_one_image():
    services = _compose_config()["services"]
    images = {services[name]["image"] for name in DJANGO_SERVICES}
    builds = {services[name]["build"]["context"] for name in DJANGO_SERVICES}
    assert images == {"injecttool:latest"}
    assert builds == {str(BASE_DIR)}
    assert services["celery-flower"]["profiles"] == ["dev"]
    for name in DJANGO_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "injecttool.settings.production"
        assert env["USE_X_ACCEL_REDIRECT"] == "true"
        assert env["DATABASE_URL"].startswith("postgres://injecttool:db-password@db:5432/")
        assert env["REDIS_URL"] == "redis://redis:6379/0"


def test_it_shares_the_protected_uploads_between_django_and_nginx():
    services = _compose_config()["services"]
    mounts = {
        name: {v.split(":")[0]: v.split(":")[1] for v in services[name]["volumes"]}
        for name in ("uwsgi", "celery-worker", "nginx")
    }
    for name, volumes in mounts.items():
        assert volumes.get("protected") == "/data/protected", name
        assert volumes.get("static") == "/data/static", name
    assert services["uwsgi"]["environment"]["PROTECTED_ROOT"] == "/data/protected"
    assert services["nginx"]["environment"]["PROTECTED_ROOT"] == "/data/protected"


def test_it_gives_nginx_a_value_for_every_placeholder_of_its_template():
    nginx_env = _compose_config()["services"]["nginx"]["environment"]
    template = stack.NGINX_TEMPLATE.read_text()
    # compose/start-nginx derives NGINX_MAX_BODY from Django's own upload limit.
    derived = {"NGINX_MAX_BODY"}
    assert stack.nginx_conf_placeholders(template=template) - derived <= set(nginx_env)
    assert (
        nginx_env["UPLOAD_MAX_BYTES"]
        == _compose_config()["services"]["uwsgi"]["environment"]["UPLOAD_MAX_BYTES"]
    )


def test_it_starts_with_healthy_dependencies():
    services = _compose_config()["services"]
    assert services["uwsgi"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("db", "redis", "uwsgi", "asgi", "celery-worker", "nginx"):
        assert services[name]["healthcheck"]["test"], name


# --- start scripts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    sorted(p.name for p in (BASE_DIR / "compose").glob("start-*")),
)
def test_it_starts_each_service_strictly_and_hands_over_with_exec(script):
    path = BASE_DIR / "compose" / script
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -o errexit -o pipefail -o nounset" in lines
    # The last command (continuation lines aside) replaces the shell.
    last = max(i for i, line in enumerate(lines) if not lines[i - 1].endswith("\\"))
    assert lines[last].startswith("exec "), lines[last]
    assert os.access(path, os.X_OK), f"{script} must be executable (git keeps the bit)"
    assert subprocess.run(["bash", "-n", str(path)], check=False).returncode == 0


def test_it_renders_the_template_with_envsubst_like_the_stack_does(tmp_path):
    """compose/start-nginx (envsubst) and injecttool.stack (Python) give the same file,
    and that file is a configuration nginx accepts."""
    if shutil.which("envsubst") is None:
        pytest.skip("envsubst is not installed (apt-get install gettext-base)")
    if not NGINX.exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    port = _free_port()
    python_conf = stack.stack_nginx_conf_write(
        port=port,
        data_dir=tmp_path,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        protected_root=tmp_path / "protected",
        upload_max_bytes=50 * 1024 * 1024,
    )
    values = {
        "NGINX_LISTEN": f"127.0.0.1:{port}",
        "UWSGI_UPSTREAM": f"127.0.0.1:{port + 1}",
        "ASGI_UPSTREAM": f"127.0.0.1:{port + 2}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PROTECTED_ROOT": str(tmp_path / "protected"),
        "NGINX_RUN_DIR": str(tmp_path / "stack" / "nginx"),
        "NGINX_ACCESS_LOG": "/dev/stdout",
        "NGINX_ERROR_LOG": "stderr",
    }
    shell_conf = tmp_path / "start-nginx.conf"
    process = subprocess.Popen(
        ["bash", str(BASE_DIR / "compose" / "start-nginx")],
        env={
            "PATH": f"{NGINX.parent}:{os.environ['PATH']}",
            "NGINX_TEMPLATE": str(stack.NGINX_TEMPLATE),
            "NGINX_CONF": str(shell_conf),
            "UPLOAD_MAX_BYTES": str(50 * 1024 * 1024),
            **values,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/nginx-healthz", timeout=2
                ) as r:
                    assert r.read() == b"ok\n"
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.communicate()[0].decode()) from None
                time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    assert shell_conf.read_text() == python_conf.read_text()


def test_it_stops_nginx_from_starting_with_a_placeholder_unset(tmp_path):
    if shutil.which("envsubst") is None:
        pytest.skip("envsubst is not installed (apt-get install gettext-base)")
    result = subprocess.run(
        ["bash", str(BASE_DIR / "compose" / "start-nginx")],
        env={
            "PATH": os.environ["PATH"],
            "NGINX_TEMPLATE": str(stack.NGINX_TEMPLATE),
            "NGINX_CONF": str(tmp_path / "nginx.conf"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "is not set" in result.stderr
    assert not (tmp_path / "nginx.conf").exists()


# --- nginx -------------------------------------------------------------------------------


def test_it_keeps_nginx_variables_when_rendering():
    template = stack.NGINX_TEMPLATE.read_text()
    values = {name: f"<{name}>" for name in stack.nginx_conf_placeholders(template=template)}
    conf = stack.nginx_conf_render(template=template, values=values)
    assert not re.search(r"\$\{[A-Z]", conf)
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "alias <PROTECTED_ROOT>/;" in conf


def test_it_refuses_to_render_with_a_value_missing():
    with pytest.raises(KeyError, match="ASGI_UPSTREAM"):
        stack.nginx_conf_render(template="server ${ASGI_UPSTREAM};", values={})


def test_it_writes_a_configuration_nginx_accepts(tmp_path):
    if not NGINX.exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    conf = stack.stack_nginx_conf_write(
        port=_free_port(),
        data_dir=tmp_path,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
        protected_root=tmp_path / "protected",
        upload_max_bytes=200 * 1024 * 1024,
    )
    result = subprocess.run(
        [str(NGINX), "-t", "-e", "stderr", "-p", str(conf.parent / "nginx"), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = conf.read_text()
    # Protected uploads leave only through X-Accel-Redirect from Django.
    assert (
        f"location /protected/ {{\n            internal;\n            alias {tmp_path}/protected/;"
        in text
    )
    # Django's limit plus 16 MB of multipart envelope: Django names the limit just over it.
    assert f"client_max_body_size {216 * 1024 * 1024};" in text


# --- PostgreSQL init script --------------------------------------------------------------


def test_it_creates_the_database_and_its_owner_once(tmp_path):
    import pgserver
    import psycopg

    psql_dir = Path(pgserver.__file__).parent / "pginstall" / "bin"
    host = settings.DATABASES["default"]["OPTIONS"].get("host")
    if not host:
        pytest.skip("the test database is not the embedded PostgreSQL")
    name = f"init_{secrets.token_hex(4)}"
    env = {
        "PATH": f"{psql_dir}:{os.environ['PATH']}",
        "PGHOST": host,
        "POSTGRES_USER": settings.DATABASES["default"]["USER"],
        "INJECTTOOL_DB_NAME": name,
        "INJECTTOOL_DB_USER": f"{name}_o'wner",
        "INJECTTOOL_DB_PASSWORD": "it's secret",
    }
    script = BASE_DIR / "postgres" / "init-injecttool.sh"
    for _ in range(2):  # the second run finds everything there
        result = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    admin = f"host={host} user={env['POSTGRES_USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        owner = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        superuser = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = %s", [env["INJECTTOOL_DB_USER"]]
        ).fetchone()
        try:
            assert owner == (env["INJECTTOOL_DB_USER"],)
            assert superuser == (False,)
        finally:
            conn.execute(f'DROP DATABASE "{name}"')
            conn.execute(f'DROP ROLE "{env["INJECTTOOL_DB_USER"]}"')


# --- production settings -----------------------------------------------------------------


def test_it_refuses_to_start_production_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "need these environment variables: SECRET_KEY" in result.stderr


def test_it_refuses_a_short_secret_key(tmp_path):
    result = _manage("check", env={**_production_env(tmp_path), "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_it_refuses_to_start_production_on_the_embedded_servers(tmp_path):
    env = _production_env(tmp_path)
    del env["DATABASE_URL"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert not (tmp_path / "postgres").exists()


def test_it_passes_the_deployment_checks(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- documentation -----------------------------------------------------------------------


def test_it_documents_every_environment_variable():
    """Each variable the settings or the compose file read is in docs/configuration.rst."""
    read = set()
    for module in (BASE_DIR / "injecttool" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', module.read_text()))
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    read |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose))
    documented = set(
        re.findall(r"``([A-Z][A-Z0-9_]*)``", (BASE_DIR / "docs" / "configuration.rst").read_text())
    )
    assert "SECRET_KEY" in read and "DB_PASSWORD" in read
    assert sorted(read - documented) == []
