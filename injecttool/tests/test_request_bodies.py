"""Request bodies are refused while they stream, by the web server `make run` runs.

A real server process (uvicorn with the project's ASGI application, as `make run` starts
it), real sockets, and the server's own peak memory (VmHWM) read from /proc: an anonymous
1 GB chunked POST and an over-limit upload must neither be read to the end nor be held.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import select
import socket
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from accounts.tokens import token_create
from injecttool.testing.live import LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.attack]

LIMIT_MB = 5
PEAK_LIMIT_MB = 300
CHUNK = b"x" * (1024 * 1024)


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bodies")
    with LiveServer(folder, UPLOAD_MAX_BYTES=str(LIMIT_MB * 1024 * 1024)) as server:
        yield server


@pytest.fixture
def token(live, transactional_db, django_user_model) -> str:
    user = django_user_model.objects.create_user("alice", "alice@example.org", "pw-1234567")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return token_create(user=user)[1]


def peak_mb(server: LiveServer) -> int:
    status = Path(f"/proc/{server.processes['web'].pid}/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) // 1024
    print(f"web server peak memory: {peak} MB")
    return peak


def send_chunked(server: LiveServer, path: str, *, megabytes: int, headers=None):
    """POST up to ``megabytes`` in chunks until the server answers; (status, MB sent)."""
    host, port = server.url.removeprefix("http://").split(":")
    piece = CHUNK[: 64 * 1024]
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Transfer-Encoding: chunked",
                "Content-Type: application/octet-stream"]  # fmt: skip
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        answer = b""
        sent = 0
        while sent < megabytes * 1024 * 1024:
            if select.select([conn], [], [], 0)[0]:
                break  # the server has answered (or closed): stop sending, as a client does
            try:
                conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            except OSError:
                break
            sent += len(piece)
        with contextlib.suppress(OSError):
            answer = conn.recv(4096)
    status = int(answer.split()[1]) if answer.startswith(b"HTTP/1.1") else None
    return status, sent // (1024 * 1024)


def post_with_length(server: LiveServer, path: str, length: int, headers: dict) -> int:
    """Declare ``length`` bytes, send 1 MB of them, and return the status the server gives."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", path)
    conn.putheader("Content-Length", str(length))
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.endheaders()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        conn.send(CHUNK)
    status = conn.getresponse().status
    conn.close()
    return status


def test_it_refuses_an_anonymous_gigabyte_before_reading_it(live):
    status, sent_mb = send_chunked(live, "/api/v1/submissions/", megabytes=1024)

    assert status in (401, 413)
    assert sent_mb < 1024, "the server read the whole gigabyte"
    assert peak_mb(live) < PEAK_LIMIT_MB


def test_it_refuses_an_anonymous_gigabyte_on_any_route(live):
    status, sent_mb = send_chunked(live, "/accounts/login/", megabytes=1024)

    assert status == 413
    assert sent_mb < 1024
    assert peak_mb(live) < PEAK_LIMIT_MB


def test_it_refuses_an_upload_over_the_limit_from_its_length(live, token):
    size = 210 * 1024 * 1024
    status = post_with_length(
        live, "/api/v1/submissions/", size, {"Authorization": f"Token {token}"}
    )

    assert status == 413
    assert peak_mb(live) < PEAK_LIMIT_MB


def test_it_cuts_off_a_chunked_upload_at_the_limit(live, token):
    status, sent_mb = send_chunked(
        live, "/api/v1/submissions/", megabytes=300, headers={"Authorization": f"Token {token}"}
    )

    assert status == 413
    assert sent_mb < 300
    assert peak_mb(live) < PEAK_LIMIT_MB


def test_it_takes_no_body_on_a_get(live, token):
    status = post_with_length(live, "/api/v1/submissions/", 10, {"Authorization": f"Token {token}"})
    assert status != 413  # a small body on a POST route is fine (400: not a valid form)
    host, port = live.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/api/v1/submissions/", body=b"x" * 100,
                 headers={"Authorization": f"Token {token}"})  # fmt: skip
    assert conn.getresponse().status == 413


# --- the same server still speaks websockets (the live status of a submission) -------------


def test_it_serves_the_submission_websocket_to_its_owner_only(live, token, django_user_model):
    from django.test import Client
    from websockets.exceptions import InvalidStatus, WebSocketException
    from websockets.sync.client import connect

    from uid.models import Country, Submission, Task, TaskKind, TaskState
    from uid.services.dictionaries import dictionaries_seed

    dictionaries_seed()
    alice = django_user_model.objects.get(username="alice")
    submission = Submission.objects.create(
        owner=alice, title="t", gene_bank_name="g", datasource_version="1",
        gene_bank_country=Country.objects.get(label="Germany"), datasource_type="cryoweb",
    )  # fmt: skip
    Task.objects.create(
        owner=alice, submission=submission, kind=TaskKind.IMPORT, state=TaskState.SUCCEEDED,
        message="Loaded 1 animal.",
    )  # fmt: skip
    client = Client()
    client.force_login(alice)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = f"{live.url.replace('http', 'ws')}/ws/submissions/{submission.pk}/"

    with connect(url, additional_headers={"Cookie": cookie, "Origin": live.url}) as ws:
        first = json.loads(ws.recv(timeout=10))
    assert (first["type"], first["status"], first["task"]["message"]) == (
        "state",
        "empty",
        "Loaded 1 animal.",
    )

    # An outsider is shut out: refused at the handshake or closed at once.
    with (
        pytest.raises((InvalidStatus, WebSocketException)),
        connect(url, additional_headers={"Origin": live.url}) as ws,
    ):
        ws.recv(timeout=10)


# --- make stack: nginx refuses what is over a route's limit, buffering to disk -------------


@pytest.mark.browser
def test_the_stack_refuses_an_anonymous_gigabyte_while_it_streams(stack):
    status, sent_mb = send_chunked(stack, "/accounts/login/", megabytes=1024)
    assert status == 413
    assert sent_mb < 64, f"nginx took {sent_mb} MB of a form post"

    # No credentials at all: refused from the headers.
    status, sent_mb = send_chunked(stack, "/api/v1/submissions/", megabytes=1024)
    assert status == 401
    assert sent_mb < 64, f"nginx took {sent_mb} MB of an anonymous upload"
