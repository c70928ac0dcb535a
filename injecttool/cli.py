"""injecttool: the command-line client of the InjectTool REST API.

    injecttool login https://injecttool.example.org --username alice
    injecttool upload animals.csv --type crbanim --gene-bank-name Cryobank \\
        --gene-bank-country Germany --datasource-version 2024
    injecttool list | status ID | download ID [-o PATH] | retry ID | delete ID
    injecttool export ID --type csv|xlsx [--kind animals|samples] [-o PATH]
    injecttool reload ID corrected.csv
    injecttool validate ID
    injecttool submit ID [--webin-username Webin-12345] [--release-date 2031-01-01]

The server URL and the API token are kept in ~/.config/injecttool/config.json (mode
600); INJECTTOOL_CONFIG names another file, and INJECTTOOL_URL / INJECTTOOL_TOKEN
override what it holds. ``--json`` prints machine-readable JSON on standard output.
The exit status is 0 on success, 1 on any failure (the server's message goes to
standard error; a task that fails or is interrupted is a failure), 2 on a usage error.

Only the standard library and requests are used: the client runs on a curator's
machine without Django.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import os
import re
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote

import requests

API = "/api/v1"
ENDED_BADLY = ("failed", "interrupted")  # task states of a failure
DATASOURCE_TYPES = ("cryoweb", "crbanim", "template")
_CHUNK = 256 * 1024
# The upload command's option for each field of the API, for the server's messages.
UPLOAD_OPTIONS = {
    "title": "--title",
    "description": "--description",
    "gene_bank_name": "--gene-bank-name",
    "gene_bank_country": "--gene-bank-country",
    "organisation": "--organisation",
    "datasource_type": "--type",
    "datasource_version": "--datasource-version",
}


class CliError(Exception):
    """A failure to report on standard error; the command exits with status 1."""


# --- Configuration -------------------------------------------------------------------------


def config_path() -> Path:
    """Where the URL and token are kept: INJECTTOOL_CONFIG, else the XDG config folder."""
    if os.environ.get("INJECTTOOL_CONFIG"):
        return Path(os.environ["INJECTTOOL_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "injecttool" / "config.json"


def config_load() -> dict[str, str]:
    path = config_path()
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read the configuration {path}: {exc}") from exc


def config_save(data: dict[str, str]) -> Path:
    """Write the configuration readable by its owner only (it holds a token)."""
    path = config_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # Created with mode 600 from the start: the token is never readable by others.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=2)
        out.write("\n")
    os.chmod(partial, 0o600)
    os.replace(partial, path)
    return path


def _base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not re.match(r"^https?://", url):
        raise CliError(f"'{url}' is not a server address: give it as https://host[:port]")
    return url.removesuffix(API)


# --- Talking to the server ---------------------------------------------------------------


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("injecttool")
    except Exception:  # running from a source tree that is not installed
        return "dev"


def _server_message(response: requests.Response, options: dict[str, str] | None = None) -> str:
    """The server's own words for a refusal: detail, or each field with its errors.

    ``options`` names the command-line option of a field, so that the message says what
    to change on the command line.
    """
    try:
        body = response.json()
    except ValueError:
        text = " ".join(response.text.split())[:300]
        return f"HTTP {response.status_code} {response.reason}" + (f": {text}" if text else "")
    if isinstance(body, dict):
        if "detail" in body and len(body) == 1:
            return str(body["detail"])
        parts = []
        for field, errors in body.items():
            errors = errors if isinstance(errors, list) else [errors]
            text = " ".join(str(e) for e in errors).rstrip(".")
            if field in {"non_field_errors", "detail"}:
                parts.append(text)
            else:
                parts.append(f"{(options or {}).get(field, field)}: {text}")
        return "; ".join(parts)
    return str(body)


class Client:
    """An authenticated session with one InjectTool server."""

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 60) -> None:
        self.url = _base_url(url)
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"injecttool-cli/{_version()}"
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"Token {token}"

    def request(
        self,
        method: str,
        path: str,
        *,
        not_found: str | None = None,
        options: dict[str, str] | None = None,
        passes: tuple[int, ...] = (),
        **kwargs,
    ) -> requests.Response:
        """Send a request; any refusal becomes a CliError with the server's message, but
        for the statuses of ``passes``, which the caller reads itself."""
        url = path if path.startswith("http") else f"{self.url}{API}{path}"
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            raise CliError(f"cannot reach {self.url}: {exc}") from exc
        if response.status_code == 404 and not_found:
            raise CliError(not_found)
        if response.status_code >= 400 and response.status_code not in passes:
            message = _server_message(response, options)
            if response.status_code == 401 and "injecttool login" not in message:
                # An expired or revoked token: the server says which; the way on is the same.
                message += " (log in again: injecttool login URL)"
            raise CliError(message)
        return response

    def json(self, method: str, path: str, **kwargs) -> Any:
        return self.request(method, path, **kwargs).json()


def _no_such(submission_id: int) -> str:
    return f"there is no submission #{submission_id} of yours"


def _client() -> Client:
    stored = config_load()
    url = os.environ.get("INJECTTOOL_URL") or stored.get("url")
    token = os.environ.get("INJECTTOOL_TOKEN") or stored.get("token")
    if not url or not token:
        raise CliError(
            "not logged in: run `injecttool login URL` (or set INJECTTOOL_URL and INJECTTOOL_TOKEN)"
        )
    return Client(url, token)


class MultipartBody:
    """A multipart/form-data body read from the file as it is sent, with a known length.

    requests would build the whole body in memory; this streams it (a Content-Length
    is still sent, which every WSGI server needs) and reports the bytes sent.
    """

    def __init__(
        self,
        fields: dict[str, str],
        file_field: str,
        path: Path,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.boundary = uuid.uuid4().hex
        head = b""
        for name, value in fields.items():
            head += (
                f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n"
            ).encode()
        quoted = path.name.replace("\\", "\\\\").replace('"', '\\"')
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{quoted}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.file_size = path.stat().st_size
        self._parts: list[bytes | IO[bytes]] = [head, path.open("rb"), tail]
        self._length = len(head) + self.file_size + len(tail)
        self._sent = 0
        self._progress = progress

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(_CHUNK):
            yield chunk

    def read(self, size: int = -1) -> bytes:
        size = _CHUNK if size is None or size < 0 else size
        out = b""
        while self._parts and len(out) < size:
            part = self._parts[0]
            if isinstance(part, bytes):
                take = size - len(out)
                out += part[:take]
                if len(part) > take:
                    self._parts[0] = part[take:]
                else:
                    self._parts.pop(0)
            else:
                data = part.read(size - len(out))
                if data:
                    out += data
                else:
                    part.close()
                    self._parts.pop(0)
        self._sent += len(out)
        if self._progress:
            self._progress(self._sent, self._length)
        return out

    def close(self) -> None:
        for part in self._parts:
            if not isinstance(part, bytes):
                part.close()


# --- Progress and output --------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal; plain lines when the output is a file."""

    def __init__(self, *, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty()
        self.last_line = ""
        self.shown = False

    def update(self, text: str, done: int = 0, total: int = 0) -> None:
        if self.quiet:
            return
        if self.tty:
            if total:
                filled = min(30, 30 * done // total)
                bar = f"[{'#' * filled}{'.' * (30 - filled)}] {100 * done // total:3d}% "
            else:
                bar = ""
            line = f"\r{bar}{text}"[:200]
            self.stream.write(line.ljust(len(self.last_line)))
            self.stream.flush()
            self.last_line = line
            self.shown = True
        elif text != self.last_line:  # a log file gets each new state once
            print(text, file=self.stream, flush=True)
            self.last_line = text

    def end(self) -> None:
        if self.tty and self.shown and not self.quiet:
            self.stream.write("\n")
            self.stream.flush()
        self.shown = False


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _task(submission: dict) -> dict:
    """The submission's current (or last) task; an empty one when it never had any."""
    return submission.get("task") or {"active": False, "state": "", "message": ""}


def _failed(submission: dict) -> bool:
    return _task(submission)["state"] in ENDED_BADLY


def _summary(submission: dict) -> str:
    counts = submission.get("counts") or {}
    return (
        f"Loaded {_plural(counts.get('animals', 0), 'animal')} and "
        f"{_plural(counts.get('samples', 0), 'sample')}"
    )


def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


# --- Commands ----------------------------------------------------------------------------


def cmd_login(args: argparse.Namespace) -> int:
    url = _base_url(args.url)
    username = args.username or input("Username or e-mail: ").strip()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
    if not username or not password:
        raise CliError("a user name and a password are needed")
    answer = Client(url).json(
        "POST",
        "/auth/token/",
        json={"username": username, "password": password,
              "name": f"injecttool CLI on {socket.gethostname()}"[:100]},
    )  # fmt: skip
    path = config_save({"url": url, "token": answer["token"]})
    expires = answer.get("expires_at", "")
    if args.json:
        _print_json({"url": url, "username": username, "config": str(path), "expires_at": expires})
    else:
        until = f" until {expires[:10]}" if expires else ""
        print(f"Logged in to {url} as {username}; the token, valid{until}, is kept in {path}.")
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    """Revoke the kept token on the server and forget it here."""
    stored = config_load()
    if not stored.get("token"):
        raise CliError("not logged in")
    try:
        _client().request("DELETE", "/auth/token/")
    except CliError as exc:
        # An expired or revoked token is as good as gone: forget it all the same.
        if "token" not in str(exc).lower():
            raise
    config_save({key: value for key, value in stored.items() if key != "token"})
    if args.json:
        _print_json({"url": stored.get("url"), "logged_out": True})
    else:
        print(f"Logged out of {stored.get('url')}; the token is revoked.")
    return 0


def _wait(client: Client, submission: dict, args: argparse.Namespace) -> dict:
    """Poll the submission until no task works on it; return its last state."""
    progress = Progress(quiet=args.quiet or args.json)
    started = time.monotonic()
    try:
        while _task(submission)["active"]:
            task = _task(submission)
            text = f"{task['kind_label']}: {task['message'] or task['state_label']}"
            progress.update(text, task["done"], task["total"])
            if args.timeout and time.monotonic() - started > args.timeout:
                raise CliError(
                    f"submission #{submission['id']} is still processing after {args.timeout} s; "
                    f"see `injecttool status {submission['id']}`"
                )
            time.sleep(args.interval)
            submission = client.json("GET", f"/submissions/{submission['id']}/")
    finally:
        progress.end()
    return submission


def _report_final(submission: dict, args: argparse.Namespace) -> int:
    if args.json:
        _print_json(submission)
    task = _task(submission)
    if _failed(submission):
        print(
            f"injecttool: the {task['kind_label'].lower()} of submission #{submission['id']} "
            f"{task['state_label'].lower()}: {task['message']}",
            file=sys.stderr,
        )
        return 1
    if not args.json:
        if task["state"] == "succeeded" and task["kind"] == "import":
            print(f"{_summary(submission)} (submission #{submission['id']}).")
        else:
            print(f"Submission #{submission['id']} is {submission['status_label'].lower()}.")
    return 0


def cmd_upload(args: argparse.Namespace) -> int:
    path = _existing_file(args.file)
    fields = {
        "title": args.title or path.stem,
        "description": args.description or "",
        "gene_bank_name": args.gene_bank_name or "",
        "gene_bank_country": args.gene_bank_country or "",
        "datasource_type": args.type,
        "datasource_version": args.datasource_version or "",
    }
    if args.organisation:
        fields["organisation"] = args.organisation
    if args.again:
        fields["upload_again"] = "true"
    fields = {k: v for k, v in fields.items() if v != "" or k == "description"}
    client = _client()
    submission = _send_file(client, "/submissions/", fields, path, args)
    queued = f"Submission #{submission['id']} created; its import is queued."
    return _queued(client, submission, args, queued)


def cmd_reload(args: argparse.Namespace) -> int:
    path = _existing_file(args.file)
    client = _client()
    fields = {"overwrite_edits": "true"} if args.overwrite_changes else {}
    submission = _send_file(
        client, f"/submissions/{args.id}/reload/", fields, path, args, not_found=_no_such(args.id)
    )
    queued = f"The new file of submission #{args.id} is uploaded; its import is queued."
    return _queued(client, submission, args, queued)


def _existing_file(name: str) -> Path:
    path = Path(name)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    return path


def _send_file(
    client, url: str, fields: dict, path: Path, args: argparse.Namespace, **options
) -> dict:
    """POST ``fields`` and the file at ``path`` (streamed, with a progress bar) to ``url``."""
    progress = Progress(quiet=args.quiet or args.json)

    def sent(done: int, total: int) -> None:
        progress.update(f"Uploading {path.name} ({_size(body.file_size)})", done, total)

    body = MultipartBody(fields, "file", path, progress=sent)
    try:
        return client.json(
            "POST",
            url,
            data=body,
            headers={"Content-Type": body.content_type},
            options=UPLOAD_OPTIONS,
            # The server answers once it has stored the whole file.
            timeout=(30, max(600, body.file_size / 100_000)),
            **options,
        )
    finally:
        body.close()
        progress.end()


def cmd_retry(args: argparse.Namespace) -> int:
    client = _client()
    submission = client.json("POST", f"/submissions/{args.id}/retry/", not_found=_no_such(args.id))
    return _queued(
        client, submission, args, f"The import of submission #{args.id} is queued again."
    )


def _queued(client, submission: dict, args: argparse.Namespace, queued: str) -> int:
    """After an import was queued: say so (--no-wait), or wait for it and report its end."""
    if args.no_wait:
        if args.json:
            _print_json(submission)
        else:
            print(queued)
        return 0
    return _report_final(_wait(client, submission, args), args)


# The exit status of `validate` when the records have errors (0: none).
EXIT_RECORDS_HAVE_ERRORS = 3
_FINDINGS_PRINTED = 10


def cmd_validate(args: argparse.Namespace) -> int:
    client = _client()
    client.json("POST", f"/submissions/{args.id}/validate/", not_found=_no_such(args.id))
    submission = client.json("GET", f"/submissions/{args.id}/")
    if args.no_wait:
        print(f"The validation of submission #{args.id} is queued.")
        return 0
    submission = _wait(client, submission, args)
    if _failed(submission):
        return _report_final(submission, args)
    summary = client.json("GET", f"/submissions/{args.id}/validation/")
    if args.json:
        _print_json(summary)
    else:
        print(_validation_text(submission, summary))
    counts = summary.get("counts") or {}
    errors = sum(kind.get("Error", 0) for kind in counts.values())
    return EXIT_RECORDS_HAVE_ERRORS if errors else 0


def _validation_text(submission: dict, summary: dict) -> str:
    counts = summary.get("counts") or {}
    total = {name: sum(kind.get(name, 0) for kind in counts.values())
             for name in ("Pass", "Warning", "Error")}  # fmt: skip
    lines = [
        f"Submission #{submission['id']}: {sum(total.values()):,} records checked: "
        f"{total['Pass']:,} pass, {total['Warning']:,} with warnings only, "
        f"{total['Error']:,} with errors. Status: {submission['status_label']}."
    ]
    findings = summary.get("findings") or []
    for finding in findings[:_FINDINGS_PRINTED]:
        who = ", ".join(
            _plural(finding[kind], kind[:-1]) for kind in ("animals", "samples") if finding[kind]
        )
        lines.append(f"  {finding['severity']:<7} {finding['field']}: {finding['message']} ({who})")
    if len(findings) > _FINDINGS_PRINTED:
        lines.append(f"  … and {len(findings) - _FINDINGS_PRINTED:,} more (see the web page)")
    return "\n".join(lines)


# The exit status of `submit` when BioSamples refused records (0: none).
EXIT_RECORDS_REFUSED = 3
# How the finding a refusal leaves on its record begins (biosample.services).
REFUSED = "BioSamples refused it"
SUBMIT_OPTIONS = {
    "webin_username": "--webin-username",
    "webin_password": "Webin password",
    "release_date": "--release-date",
}


def cmd_submit(args: argparse.Namespace) -> int:
    """Submit the records to BioSamples, wait, and print each record's accession."""
    client = _client()
    _submit_start(client, args)
    if args.no_wait:
        print(f"The submission of #{args.id} to BioSamples is queued.")
        return 0
    submission = _wait(client, client.json("GET", f"/submissions/{args.id}/"), args)
    if _failed(submission):
        return _report_final(submission, args)
    task = _task(submission)
    records = _records_sent(client, args.id)
    refused = [record for record in records if record["refused"]]
    if args.json:
        _print_json({"submission": args.id, "task": task, "records": records})
    else:
        print(f"Submission #{args.id}: {task['message']}")
        print(_records_text(records))
    if refused or (task.get("result") or {}).get("refused"):
        print(
            f"injecttool: BioSamples refused {_plural(len(refused), 'record')} of submission "
            f"#{args.id}; each says why above. Correct them, validate and submit again.",
            file=sys.stderr,
        )
        return EXIT_RECORDS_REFUSED
    return 0


def _submit_start(client: Client, args: argparse.Namespace) -> dict:
    """Start the submit: with a token kept from an earlier sign-in when the server has
    one, else with the Webin password, asked for without echo (or read from standard
    input). The password goes to the server once and is not kept here either."""
    path = f"/submissions/{args.id}/submit/"
    body = {"webin_username": args.webin_username, "release_date": args.release_date}
    body = {name: value for name, value in body.items() if value}
    ask = {"not_found": _no_such(args.id), "options": SUBMIT_OPTIONS}
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        return client.json("POST", path, json={**body, "webin_password": password}, **ask)
    response = client.request("POST", path, json=body, passes=(400,), **ask)
    if response.status_code != 400:
        return response.json()
    try:
        errors = response.json()
    except ValueError:
        errors = {}
    if not isinstance(errors, dict) or set(errors) != {"webin_password"}:
        raise CliError(_server_message(response, SUBMIT_OPTIONS))
    # No kept token serves: the password is needed, once.
    account = args.webin_username or "your Webin account"
    password = getpass.getpass(f"Webin password of {account}: ")
    if not password:
        raise CliError(_server_message(response, SUBMIT_OPTIONS))
    return client.json("POST", path, json={**body, "webin_password": password}, **ask)


def _records_sent(client: Client, submission_id: int) -> list[dict]:
    """Every record of the submission: its kind, name, accession, and the message of
    BioSamples when it refused the record (else None)."""
    found = []
    for kind in ("animals", "samples"):
        page: str | None = f"/submissions/{submission_id}/{kind}/?page_size=1000"
        while page:
            body = client.json("GET", page)
            for record in body["results"]:
                findings = (record.get("validation") or {}).get("findings") or []
                refusals = [f["message"] for f in findings if f["message"].startswith(REFUSED)]
                found.append({"kind": kind[:-1], "name": record["name"],
                              "accession": record["accession"],
                              "refused": "; ".join(refusals) or None})  # fmt: skip
            page = body["next"]
    return found


def _records_text(records: list[dict]) -> str:
    width = min(40, max((len(r["name"]) for r in records), default=4))
    lines = []
    for record in records:
        said = record["accession"] or "not sent"
        if record["refused"]:
            said = f"{record['accession'] or 'refused'}: {record['refused']}"
        lines.append(f"  {record['kind']:<6} {record['name']:<{width}}  {said}")
    return "\n".join(lines)


def cmd_status(args: argparse.Namespace) -> int:
    submission = _client().json("GET", f"/submissions/{args.id}/", not_found=_no_such(args.id))
    if args.json:
        _print_json(submission)
    else:
        counts = submission["counts"]
        print(f"#{submission['id']} {submission['title']}")
        task = _task(submission)
        print(f"  status:   {submission['status_label']}")
        if task["state"]:
            print(f"  task:     {task['kind_label']}, {task['state_label'].lower()}")
        if task["message"]:
            print(f"  message:  {task['message']}")
        print(
            f"  records:  {_plural(counts['animals'], 'animal')}, "
            f"{_plural(counts['samples'], 'sample')}"
        )
        print(
            f"  source:   {submission['datasource_type']} {submission['datasource_version']}, "
            f"{submission['gene_bank_name']} ({submission['gene_bank_country']})"
        )
        if submission["file"]:
            f = submission["file"]
            print(f"  file:     {f['name']} ({_size(f['size'])}, sha256 {f['sha256']})")
    return 1 if _failed(submission) else 0


def cmd_list(args: argparse.Namespace) -> int:
    client = _client()
    items: list[dict] = []
    page: str | None = "/submissions/?page_size=1000"
    while page:
        body = client.json("GET", page)
        items.extend(body["results"])
        page = body["next"]
    if args.json:
        _print_json(items)
        return 0
    if not items:
        print("No submissions yet.")
        return 0
    print(f"{'ID':>6}  {'RECORDS':<14} {'TASK':<24} {'ANIMALS':>9} {'SAMPLES':>9}  TITLE")
    for s in items:
        task = _task(s)
        what = f"{task['kind_label']}: {task['state_label'].lower()}" if task["state"] else "—"
        print(
            f"{s['id']:>6}  {s['status_label']:<14} {what:<24} {s['counts']['animals']:>9,} "
            f"{s['counts']['samples']:>9,}  {s['title']}"
        )
    return 0


def _attachment_name(response: requests.Response) -> str | None:
    header = response.headers.get("Content-Disposition", "")
    match = re.search(r"filename\*=(?:UTF-8|utf-8)''([^;]+)", header)
    if match:
        return unquote(match.group(1))
    match = re.search(r'filename="((?:[^"\\]|\\.)*)"', header)
    return match.group(1).replace('\\"', '"') if match else None


def _target(args: argparse.Namespace, name: str) -> Path:
    """Where a download goes: -o's file or folder, else ``name`` here; an existing file
    only with --force. (Standard output, -o -, has no path: the caller writes there.)"""
    target = Path(args.output) if args.output else Path(Path(name).name)
    if args.output == "-":
        return target
    if target.is_dir():
        target = target / Path(name).name
    if target.exists() and not args.force:
        raise CliError(f"{target} exists; use --force to replace it")
    return target


def cmd_export(args: argparse.Namespace) -> int:
    """The submission's records as CSV (animals or samples) or as a filled IMAGE template."""
    params = {"type": args.type, "kind": args.kind}
    response = _client().request(
        "GET",
        f"/submissions/{args.id}/export/",
        params=params,
        headers={"Accept": "application/octet-stream"},
        not_found=_no_such(args.id),
    )
    name = _attachment_name(response) or f"submission-{args.id}.{args.type}"
    to_stdout = args.output == "-"
    target = _target(args, name)
    if to_stdout:
        sys.stdout.buffer.write(response.content)
        return 0
    target.write_bytes(response.content)
    if args.json:
        _print_json({"id": args.id, "path": str(target), "size": len(response.content)})
    else:
        print(f"Saved {target} ({_size(len(response.content))}).")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    client = _client()
    submission = client.json("GET", f"/submissions/{args.id}/", not_found=_no_such(args.id))
    if not submission["file"]:
        raise CliError(f"submission #{args.id} has no file")
    response = client.request(
        "GET",
        f"/submissions/{args.id}/file/",
        stream=True,
        headers={"Accept": "application/octet-stream"},
    )
    name = _attachment_name(response) or submission["file"]["name"]
    to_stdout = args.output == "-"
    target = _target(args, name)
    digest = hashlib.sha256()
    size = 0
    partial = target.with_name(target.name + ".partial") if not to_stdout else None
    out = sys.stdout.buffer if to_stdout else partial.open("wb")
    try:
        for chunk in response.iter_content(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    finally:
        if not to_stdout:
            out.close()
    if digest.hexdigest() != submission["file"]["sha256"]:
        if partial:
            partial.unlink(missing_ok=True)
        raise CliError("the downloaded file does not match its SHA-256; try again")
    if partial:
        os.replace(partial, target)
    if args.json:
        _print_json({"id": submission["id"], "path": str(target), "size": size})
    elif not to_stdout:
        print(f"Saved {target} ({_size(size)}, SHA-256 checked).")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    _client().request("DELETE", f"/submissions/{args.id}/", not_found=_no_such(args.id))
    if args.json:
        _print_json({"id": args.id, "deleted": True})
    else:
        print(f"Deleted submission #{args.id} (its records and files are being removed).")
    return 0


# --- Entry point ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="injecttool",
        description="Upload genebank files to InjectTool and follow their import.",
        epilog="Configuration: ~/.config/injecttool/config.json (INJECTTOOL_CONFIG), "
        "overridden by INJECTTOOL_URL and INJECTTOOL_TOKEN.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--json", action="store_true", help="print JSON on standard output")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    # The same options after the command; SUPPRESS keeps a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS)
    waiting = argparse.ArgumentParser(add_help=False)
    waiting.add_argument("--no-wait", action="store_true", help="do not wait for the import")
    waiting.add_argument("--interval", type=float, default=1.0, help="seconds between checks")
    waiting.add_argument("--timeout", type=float, default=0, help="give up after so many seconds")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    login = commands.add_parser("login", parents=[common], help="get and keep an API token")
    login.add_argument("url", help="the server, e.g. https://injecttool.example.org")
    login.add_argument("--username", help="user name or e-mail address (asked if absent)")
    login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    login.set_defaults(handler=cmd_login)

    logout = commands.add_parser("logout", parents=[common], help="revoke and forget the token")
    logout.set_defaults(handler=cmd_logout)

    upload = commands.add_parser(
        "upload", parents=[common, waiting], help="upload a file as a new submission"
    )
    upload.add_argument("file")
    upload.add_argument("--type", required=True, choices=DATASOURCE_TYPES, help="file format")
    upload.add_argument("--title", help="default: the file name")
    upload.add_argument("--description")
    upload.add_argument("--gene-bank-name")
    upload.add_argument("--gene-bank-country", help="country name (any case) or id")
    upload.add_argument("--datasource-version")
    upload.add_argument("--organisation", help="organisation name")
    upload.add_argument(
        "--again", action="store_true", help="upload a file you uploaded before once more"
    )
    upload.set_defaults(handler=cmd_upload)

    reload = commands.add_parser(
        "reload",
        parents=[common, waiting],
        help="import a new file into a submission (records with an accession are kept)",
    )
    reload.add_argument("id", type=int)
    reload.add_argument("file")
    reload.add_argument(
        "--overwrite-changes",
        action="store_true",
        help="replace records changed on the site since their import too",
    )
    reload.set_defaults(handler=cmd_reload)

    validate = commands.add_parser(
        "validate",
        parents=[common, waiting],
        help="validate a submission's records against the IMAGE rules and print the summary "
        f"(exit status {EXIT_RECORDS_HAVE_ERRORS} when records have errors)",
    )
    validate.add_argument("id", type=int)
    validate.set_defaults(handler=cmd_validate)

    submit = commands.add_parser(
        "submit",
        parents=[common, waiting],
        help="submit a submission's validated records to BioSamples, wait, and print each "
        f"record's accession (exit status {EXIT_RECORDS_REFUSED} when BioSamples refused records)",
    )
    submit.add_argument("id", type=int)
    submit.add_argument(
        "--webin-username", help="the Webin account, e.g. Webin-12345 (default: your profile's)"
    )
    submit.add_argument(
        "--release-date", metavar="YYYY-MM-DD",
        help="keep the records private in BioSamples until this day (default: the "
        "submission's release date)",
    )  # fmt: skip
    submit.add_argument(
        "--password-stdin", action="store_true",
        help="read the Webin password from standard input (else it is asked for when no "
        "token from an earlier sign-in serves)",
    )  # fmt: skip
    submit.set_defaults(handler=cmd_submit)

    status = commands.add_parser("status", parents=[common], help="show a submission")
    status.add_argument("id", type=int)
    status.set_defaults(handler=cmd_status)

    listing = commands.add_parser("list", parents=[common], help="list your submissions")
    listing.set_defaults(handler=cmd_list)

    download = commands.add_parser(
        "download", parents=[common], help="download a submission's original file"
    )
    download.add_argument("id", type=int)
    download.add_argument("-o", "--output", help="file or folder to write ('-': standard output)")
    download.add_argument("--force", action="store_true", help="replace an existing file")
    download.set_defaults(handler=cmd_download)

    export = commands.add_parser(
        "export", parents=[common], help="a submission's records as CSV or a filled template"
    )
    export.add_argument("id", type=int)
    export.add_argument("--type", choices=["csv", "xlsx"], required=True)
    export.add_argument(
        "--kind", choices=["animals", "samples"], default="animals",
        help="which records a CSV holds (a template holds both)",
    )  # fmt: skip
    export.add_argument("-o", "--output", help="file or folder to write ('-': standard output)")
    export.add_argument("--force", action="store_true", help="replace an existing file")
    export.set_defaults(handler=cmd_export)

    retry = commands.add_parser(
        "retry", parents=[common, waiting], help="queue a failed import again"
    )
    retry.add_argument("id", type=int)
    retry.set_defaults(handler=cmd_retry)

    delete = commands.add_parser("delete", parents=[common], help="delete a submission")
    delete.add_argument("id", type=int)
    delete.set_defaults(handler=cmd_delete)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CliError as exc:
        print(f"injecttool: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("injecttool: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
