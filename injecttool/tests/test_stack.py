"""The `make stack` topology end to end: nginx in front of uWSGI and daphne, Celery behind."""

import base64
import http.client
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _websocket_handshake(url: str, path: str) -> str:
    """Open a websocket handshake on ``path``; return the status line of the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as conn:
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {path} HTTP/1.1\r\n"
            f"Host: {parts.netloc}\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        )
        conn.sendall(request.encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


def _wait_for_output(stack, text: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in stack.output():
            return True
        time.sleep(0.2)
    return False


def test_it_serves_the_home_page_through_nginx(stack):
    status, headers, body = _get(f"{stack.url}/")
    assert status == 200
    assert headers["Server"] == "nginx"
    assert b"InjectTool" in body


def test_it_serves_the_login_page(stack):
    status, _, body = _get(f"{stack.url}/accounts/login/")
    assert status == 200
    assert b'name="password"' in body


def test_it_serves_static_files_from_the_static_root(stack):
    status, headers, body = _get(f"{stack.url}/static/bootstrap/css/bootstrap.min.css")
    assert status == 200
    assert headers["Content-Type"] == "text/css"
    assert body.startswith(b"@charset") or b"Bootstrap" in body[:200]
    # A file that appears after the stack started: Django (WhiteNoise) never saw it,
    # so only nginx, reading the folder, can serve it.
    probe = stack.data_dir / "static" / f"probe-{secrets.token_hex(4)}.txt"
    probe.write_text("served by nginx\n")
    try:
        status, _, body = _get(f"{stack.url}/static/{probe.name}")
    finally:
        probe.unlink()
    assert (status, body) == (200, b"served by nginx\n")


def test_it_upgrades_websockets_to_daphne(stack):
    path = f"/ws/stack-probe-{secrets.token_hex(4)}/"
    # Without an upgrade the same path is an ordinary page that Django does not have.
    assert _get(f"{stack.url}{path}")[0] == 404
    # With one, daphne opens a websocket connection (its log says WSCONNECTING) and
    # Channels' origin check turns it down: 403, not the 404 of a page.
    assert _websocket_handshake(stack.url, path) == "HTTP/1.1 403 Access denied"
    assert _wait_for_output(stack, f'"WSCONNECTING {path}"'), stack.output()[-3000:]


def test_it_keeps_protected_uploads_from_direct_download(stack):
    folder = stack.data_dir / "protected"
    folder.mkdir(exist_ok=True)
    secret = folder / f"upload-{secrets.token_hex(4)}.txt"
    secret.write_text("private genebank data\n")
    try:
        status, _, body = _get(f"{stack.url}/protected/{secret.name}")
    finally:
        secret.unlink()
    assert status == 404
    assert b"private genebank data" not in body


def test_it_takes_an_upload_of_200_mb(stack):
    """nginx lets the body through to Django (which refuses it for want of a CSRF token)
    instead of answering 413 itself."""
    size = 200 * 1024 * 1024 + 4096
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    chunk = b"\0" * (1024 * 1024)
    body = (chunk[: min(len(chunk), size - offset)] for offset in range(0, size, len(chunk)))
    conn.request(
        "POST",
        "/",
        body=body,
        headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
    )
    status = conn.getresponse().status
    conn.close()
    assert status == 403


def test_it_refuses_an_upload_far_over_the_limit(stack):
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest("POST", "/")
    conn.putheader("Content-Length", str(400 * 1024 * 1024))
    conn.endheaders()  # nginx answers from the header alone
    status = conn.getresponse().status
    conn.close()
    assert status == 413


def test_it_runs_a_celery_worker(stack):
    # The stack names its worker worker@<host>; naming it lets ping return on its answer.
    worker = f"worker@{socket.gethostname()}"
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "injecttool", "inspect", "ping"]
        + ["--destination", worker, "--timeout", "10"],
        cwd=BASE_DIR,
        env=stack.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pong" in result.stdout
    # Its broker is its own: a worker a test starts on the test database never takes
    # the stack's tasks.
    assert stack.env["REDIS_URL"] != settings.REDIS_URL


@pytest.mark.parametrize("protocol, offset", [("uwsgi", 1), ("http", 2)])
def test_it_reports_health_like_the_container_checks(stack, protocol, offset):
    port = urlsplit(stack.url).port + offset
    result = subprocess.run(
        [sys.executable, str(BASE_DIR / "compose" / "healthcheck"), protocol, f"127.0.0.1:{port}"],
        env={**stack.env, "ALLOWED_HOSTS": "127.0.0.1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "healthy: HTTP/1.1 200" in result.stdout


def test_it_runs_manage_py_against_the_database_the_site_uses(stack):
    username, password = f"stack-{secrets.token_hex(4)}", secrets.token_urlsafe(12)
    stack.manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser({username!r}, 'admin@example.org', {password!r})",
    )
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(f"{stack.url}/admin/login/", timeout=30) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    with browser.open(
        f"{stack.url}/admin/login/?next=/admin/", data=urlencode(form).encode(), timeout=30
    ) as response:
        assert response.url == f"{stack.url}/admin/"
        assert b"Site administration" in response.read()
