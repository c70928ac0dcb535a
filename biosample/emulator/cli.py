"""``python -m biosample.emulator``: the emulator as a process of its own (make run, make stack).

Its archive and its secrets live in ``DATA_DIR/biosamples-emulator``: ``archive.sqlite3``,
``webin-password`` (the demo account's, when EMULATOR_WEBIN_PASSWORD is not set) and
``control-secret`` (the path segment of the control endpoint).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import secrets
import signal
import sys
from pathlib import Path

from biosample.emulator.server import Emulator


def secret_file_ensure(path: Path, *, length: int = 18) -> tuple[str, bool]:
    """The secret kept in ``path``, made (mode 600) on first use; (secret, created)."""
    try:
        return path.read_text().strip(), False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(length)
        path.touch(mode=0o600)
        path.write_text(secret)
        return secret, True


def demo_password_ensure(*, folder: Path, configured: str) -> tuple[str, bool]:
    """The demo Webin account's password: EMULATOR_WEBIN_PASSWORD when set, else one made
    on first start and kept in the data folder; (password, generated now)."""
    if configured:
        return configured, False
    return secret_file_ensure(folder / "webin-password", length=12)


def main(argv: list[str] | None = None) -> int:
    """Serve the emulator until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m biosample.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--data-dir", type=Path, help="default: DATA_DIR/biosamples-emulator")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds added to each answer")
    parser.add_argument("--error-rate", type=float, default=0.0, help="fraction answered 500")
    parser.add_argument("--throttle-rate", type=float, default=0.0, help="fraction answered 429")
    parser.add_argument(
        "--drop-after-write-rate",
        type=float,
        default=0.0,
        help="fraction of POST/PUT stored, then left without an answer",
    )
    parser.add_argument("--search-delay", type=float, default=0.0, help="indexing lag, seconds")
    parser.add_argument("--seed", type=int, help="makes the fault rolls repeatable")
    parser.add_argument("--verbose", action="store_true", help="log every request line")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")
    from django.conf import settings

    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    folder = (args.data_dir or Path(settings.DATA_DIR) / "biosamples-emulator").resolve()
    username = settings.EMULATOR_WEBIN_USERNAME
    password, generated = demo_password_ensure(
        folder=folder, configured=settings.EMULATOR_WEBIN_PASSWORD
    )
    control_secret, _ = secret_file_ensure(folder / "control-secret")
    emulator = Emulator(
        storage=folder / "archive.sqlite3",
        host=args.host,
        port=args.port,
        accounts={username: password},
        token_lifetime=settings.EMULATOR_WEBIN_TOKEN_LIFETIME,
        search_delay=args.search_delay,
        control_secret=control_secret,
    )
    emulator.faults.configure(
        delay=args.delay,
        error_rate=args.error_rate,
        throttle_rate=args.throttle_rate,
        drop_after_write_rate=args.drop_after_write_rate,
        seed=args.seed,
    )
    if generated:
        print(
            f"Created the emulator's Webin account '{username}' with password: {password}\n"
            f"It is kept in {folder / 'webin-password'}.",
            flush=True,
        )
    elif settings.EMULATOR_WEBIN_PASSWORD:
        print(f"Webin account '{username}' (password from EMULATOR_WEBIN_PASSWORD).", flush=True)
    else:
        print(f"Webin account '{username}' (password in {folder / 'webin-password'}).", flush=True)
    print(
        f"BioSamples emulator on http://{args.host}:{args.port}/biosamples, Webin tokens from "
        f"http://{args.host}:{args.port}/ena/submit/webin/auth/token "
        f"(fault control: see {folder / 'control-secret'})",
        flush=True,
    )
    # honcho stops its processes with SIGTERM: leave through the finally of serve_forever.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt):
        emulator.serve_forever()
    return 0
