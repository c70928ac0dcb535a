"""Locust users for `make bench`: curators paging, searching, sorting and filtering the
record tables of one large submission (started by uid.bench_tables, which passes what
to ask for in the environment). Not imported by the application."""

from __future__ import annotations

import itertools
import os
import random

from locust import HttpUser, between, task

SUBMISSION = os.environ.get("BENCH_SUBMISSION", "0")
SESSIONS = itertools.cycle(os.environ.get("BENCH_SESSIONS", "").split(","))
LAST = {"animals": os.environ.get("BENCH_ANIMALS_LAST", "1"),
        "samples": os.environ.get("BENCH_SAMPLES_LAST", "1")}  # fmt: skip
SEARCH = {"animals": os.environ.get("BENCH_ANIMALS_SEARCH", ""),
          "samples": os.environ.get("BENCH_SAMPLES_SEARCH", "")}  # fmt: skip
FILTER = {"animals": os.environ.get("BENCH_ANIMALS_FILTER", "sex=female"),
          "samples": os.environ.get("BENCH_SAMPLES_FILTER", "status=loaded")}  # fmt: skip
SORT = {"animals": "sort=-birth_date", "samples": "sort=organism_part"}


class Curator(HttpUser):
    """A curator who opens a table, then moves around in it; a second or two between
    clicks, as one reads a page."""

    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(SESSIONS))

    def _table(self, kind: str, query: str, name: str) -> None:
        url = f"/submissions/{SUBMISSION}/{kind}/" + (f"?{query}" if query else "")
        with self.client.get(url, name=f"{kind}: {name}", catch_response=True) as answer:
            if answer.status_code != 200 or 'data-testid="records"' not in answer.text:
                answer.failure(f"{answer.status_code}: not the table")

    @task
    def first_page(self) -> None:
        self._table(random.choice(("animals", "samples")), "", "first page")  # noqa: S311

    @task
    def last_page(self) -> None:
        kind = random.choice(("animals", "samples"))  # noqa: S311
        self._table(kind, f"page={LAST[kind]}", "last page")

    @task
    def search(self) -> None:
        kind = random.choice(("animals", "samples"))  # noqa: S311
        self._table(kind, f"search={SEARCH[kind]}", "search")

    @task
    def sort(self) -> None:
        kind = random.choice(("animals", "samples"))  # noqa: S311
        self._table(kind, SORT[kind], "sort")

    @task
    def filter(self) -> None:
        kind = random.choice(("animals", "samples"))  # noqa: S311
        self._table(kind, FILTER[kind], "filter")
