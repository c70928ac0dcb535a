"""`make bench`, the record tables: 20 curators at once page, search, sort and filter the
animals and samples of one large submission through `make stack` (nginx, uWSGI, daphne,
Celery), driven by locust; p95 per kind of request against the issue's 300 ms."""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

USERS = 20
SECONDS = 60
WARM_UP_SECONDS = 15
TARGET_P95_MS = 300
PER_PAGE = 25
LOCUSTFILE = Path(__file__).resolve().parent.parent / "injecttool" / "loadtest.py"


def sessions_create(*, user, count: int) -> list[str]:
    """Session keys of ``user`` logged in, as a browser would hold them."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys.append(session.session_key)
    return keys


def tables_bench(*, submission_id: int, data_dir: Path, write) -> list[dict]:
    """Drive the tables of the submission with USERS users for SECONDS; one row a kind."""
    from injecttool.testing.stack import stack_running
    from uid.models import Animal, Sample, Submission

    submission = Submission.objects.get(pk=submission_id)
    animals = Animal.objects.filter(submission=submission)
    samples = Sample.objects.filter(submission=submission)
    # A search that finds a handful: part of a name from the middle of the table.
    middle_animal = animals.order_by("name")[animals.count() // 2].name
    middle_sample = samples.order_by("name")[samples.count() // 2].name
    env = dict(
        os.environ,
        BENCH_SUBMISSION=str(submission_id),
        BENCH_SESSIONS=",".join(sessions_create(user=submission.owner, count=USERS)),
        BENCH_ANIMALS_LAST=str(math.ceil(animals.count() / PER_PAGE)),
        BENCH_SAMPLES_LAST=str(math.ceil(samples.count() / PER_PAGE)),
        BENCH_ANIMALS_SEARCH=middle_animal[-6:],
        BENCH_SAMPLES_SEARCH=middle_sample[-6:],
    )
    with stack_running(data_dir=data_dir) as stack, tempfile.TemporaryDirectory() as tmp:
        write(f"tables: {USERS} users for {SECONDS} s through make stack at {stack.url}…")
        # A first, shorter run warms the workers up (code, templates, connections); the
        # figures are the second run's.
        for seconds, name in ((WARM_UP_SECONDS, "warm-up"), (SECONDS, "locust")):
            prefix = Path(tmp) / name
            done = _locust(stack.url, seconds, prefix, env)
        stats = Path(f"{prefix}_stats.csv")
        if not stats.exists():
            raise RuntimeError(f"locust wrote no figures:\n{done.stdout}\n{done.stderr}")
        with stats.open(newline="") as f:
            rows = [row for row in csv.DictReader(f) if row["Name"] != "Aggregated"]
    return [
        {
            "name": row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "max_ms": float(row["Max Response Time"]),
        }
        for row in sorted(rows, key=lambda row: row["Name"])
    ]


def _locust(url: str, seconds: int, prefix: Path, env: dict) -> subprocess.CompletedProcess:
    locust = Path(sys.executable).with_name("locust")
    return subprocess.run(
        [str(locust), "-f", str(LOCUSTFILE),
         "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
         "--run-time", f"{seconds}s", "--host", url, "--csv", str(prefix),
         "--only-summary", "--loglevel", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def tables_print(rows: list[dict], write) -> None:
    write(f"{'request':<22} {'count':>6} {'errors':>6} {'median':>8} {'p95':>8} {'max':>8}")
    for row in rows:
        verdict = "ok" if row["p95_ms"] <= TARGET_P95_MS and not row["failures"] else "OVER"
        write(
            f"{row['name']:<22} {row['requests']:>6} {row['failures']:>6} "
            f"{row['median_ms']:>6.0f}ms {row['p95_ms']:>6.0f}ms {row['max_ms']:>6.0f}ms  {verdict}"
        )
    worst = max((row["p95_ms"] for row in rows), default=0)
    errors = sum(row["failures"] for row in rows)
    write(f"tables: worst p95 {worst:.0f} ms (target {TARGET_P95_MS} ms), {errors} errors")
