"""The `make stack` topology end to end: nginx in front of uWSGI and daphne, Celery behind."""

import base64
import http.client
import http.cookiejar
import json
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


def _websocket_open(url: str, path: str, *, cookie: str) -> tuple[str, socket.socket]:
    """A websocket handshake as a logged-in browser makes it; the status line and socket."""
    parts = urlsplit(url)
    conn = socket.create_connection((parts.hostname, parts.port), timeout=30)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        f"Origin: {url}\r\n"
        f"Cookie: {cookie}\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n"
    )
    conn.sendall(request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        byte = conn.recv(1)  # byte by byte: the first frame may follow the head at once
        if not byte:
            break
        head += byte
    return head.split(b"\r\n", 1)[0].decode("latin-1"), conn


def _recv_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    return data


def _websocket_read(conn: socket.socket) -> tuple[int, bytes]:
    """One frame from the server (unmasked, unfragmented): (opcode, payload)."""
    first, second = _recv_exactly(conn, 2)
    size = second & 0x7F
    if size == 126:
        size = int.from_bytes(_recv_exactly(conn, 2), "big")
    elif size == 127:
        size = int.from_bytes(_recv_exactly(conn, 8), "big")
    return first & 0x0F, _recv_exactly(conn, size)


def _websocket_ping(conn: socket.socket, payload: bytes) -> None:
    """A client ping frame (clients must mask what they send)."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    conn.sendall(bytes([0x89, 0x80 | len(payload)]) + mask + masked)


def _login(stack, username: str, password: str) -> str:
    """Log in through the login page; return the session cookie as a Cookie header."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(f"{stack.url}/accounts/login/", timeout=30) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"login": username, "password": password, "csrfmiddlewaretoken": token}
    with browser.open(f"{stack.url}/accounts/login/", data=urlencode(form).encode(), timeout=30):
        pass
    return "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "sessionid")


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


def _owner_with_submission(stack) -> tuple[str, str, int]:
    username, password = f"ws-{secrets.token_hex(4)}", secrets.token_urlsafe(12)
    result = stack.manage(
        "shell", "--verbosity", "0", "-c",
        "from django.contrib.auth import get_user_model\n"
        "from allauth.account.models import EmailAddress\n"
        "from uid.models import Country, Submission\n"
        f"u = get_user_model().objects.create_user({username!r}, '{username}@example.org', "
        f"{password!r})\n"
        "EmailAddress.objects.create(user=u, email=u.email, primary=True, verified=True)\n"
        "s = Submission.objects.create(owner=u, title='websocket', gene_bank_name='Bank', "
        "gene_bank_country=Country.objects.first(), datasource_type='crbanim', "
        "datasource_version='1')\n"
        "print(s.pk)\n",
    )  # fmt: skip
    return username, password, int(result.stdout.strip())


def test_it_opens_the_owners_submission_websocket_through_nginx(stack):
    username, password, pk = _owner_with_submission(stack)
    status, conn = _websocket_open(
        stack.url, f"/ws/submissions/{pk}/", cookie=_login(stack, username, password)
    )
    with conn:
        assert status == "HTTP/1.1 101 Switching Protocols"
        opcode, payload = _websocket_read(conn)
    # The consumer's first message: the submission's state, from the database.
    assert opcode == 0x1
    assert json.loads(payload)["type"] == "state"


def test_it_keeps_an_idle_websocket_open(stack):
    username, password, pk = _owner_with_submission(stack)
    status, conn = _websocket_open(
        stack.url, f"/ws/submissions/{pk}/", cookie=_login(stack, username, password)
    )
    with conn:
        assert status == "HTTP/1.1 101 Switching Protocols"
        assert _websocket_read(conn)[0] == 0x1
        time.sleep(12)  # a status page with nothing new to say
        _websocket_ping(conn, b"still there?")
        assert _websocket_read(conn) == (0xA, b"still there?")


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
    """nginx lets the body of an upload route through to Django (which sends the anonymous
    client to log in) instead of answering 413 itself."""
    size = 200 * 1024 * 1024 + 4096
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    chunk = b"\0" * (1024 * 1024)
    body = (chunk[: min(len(chunk), size - offset)] for offset in range(0, size, len(chunk)))
    conn.request(
        "POST",
        "/submissions/new/",  # an upload route: the others take 10 MB at most
        body=body,
        # A session cookie (a stale one here) gets the body past nginx's look at credentials.
        headers={
            "Content-Length": str(size),
            "Content-Type": "application/octet-stream",
            "Cookie": "sessionid=stale",
        },
    )
    status = conn.getresponse().status
    conn.close()
    assert status in (302, 403)  # Django's answer (log in first, or CSRF), not nginx's 413


def test_it_refuses_an_upload_far_over_the_limit(stack):
    parts = urlsplit(stack.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest("POST", "/")
    conn.putheader("Content-Length", str(400 * 1024 * 1024))
    conn.endheaders()  # nginx answers from the header alone
    answer = conn.getresponse()
    status, body = answer.status, answer.read()
    conn.close()
    assert status == 413
    assert body == b"The request (or its file) is larger than this InjectTool accepts.\n"


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
        "from allauth.account.models import EmailAddress; "
        f"u = User.objects.create_superuser({username!r}, 'admin@example.org', {password!r}); "
        "EmailAddress.objects.create(user=u, email=u.email, primary=True, verified=True)",
    )
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    # The admin's log-in page hands over to the site's rate-limited one.
    with browser.open(f"{stack.url}/admin/login/?next=/admin/", timeout=30) as response:
        login_url = response.url
        page = response.read().decode()
    assert login_url.startswith(f"{stack.url}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"login": username, "password": password, "csrfmiddlewaretoken": token}
    with browser.open(login_url, data=urlencode(form).encode(), timeout=30) as response:
        assert response.url == f"{stack.url}/admin/"
        assert b"Site administration" in response.read()
