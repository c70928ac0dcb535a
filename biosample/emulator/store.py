"""The emulator's archive: samples in SQLite, apart from InjectTool's own database.

One connection behind a lock: the emulator serves from many threads, SQLite writes one
at a time anyway, and the lock keeps an accession counter and its sample in step.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS samples (
    number INTEGER PRIMARY KEY,
    accession TEXT NOT NULL UNIQUE,
    name TEXT,
    owner TEXT NOT NULL,
    release REAL NOT NULL,
    searchable_from REAL NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS samples_name ON samples (name);
CREATE TABLE IF NOT EXISTS relationships (
    number INTEGER NOT NULL,
    source TEXT NOT NULL,
    type TEXT NOT NULL,
    target TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS relationships_target ON relationships (target);
CREATE INDEX IF NOT EXISTS relationships_number ON relationships (number);
CREATE TABLE IF NOT EXISTS attributes (
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attributes_name_text ON attributes (name, text);
CREATE INDEX IF NOT EXISTS attributes_number ON attributes (number);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""

SAMPLE_PREFIX = "SAMEA"
SRA_PREFIX = "ERS"


@dataclass(frozen=True)
class Filter:
    """One ``filter=`` of a search: ``name:<value>``, ``attr:<name>[:<value>]``, ``acc:<re>``,
    ``webinId:<Webin account>``."""

    kind: str
    label: str
    value: str | None = None


@dataclass(frozen=True)
class StoredSample:
    """A sample as the archive holds it."""

    number: int
    accession: str
    owner: str
    release: float
    document: dict[str, Any]


def _regexp(pattern: str, value: str | None) -> bool:
    return value is not None and re.fullmatch(pattern, value) is not None


class SampleStore:
    """Samples, their relationships and attributes (for the filters), and the counters."""

    def __init__(self, path: Path | str, *, first_accession: int = 1, first_sra: int = 1):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.create_function("regexp", 2, _regexp, deterministic=True)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # A test double: losing the last writes in a power cut is fine, speed is not.
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.executescript(_SCHEMA)
            for name, first in (("accession", first_accession), ("sra", first_sra)):
                self._db.execute(
                    "INSERT OR IGNORE INTO counters (name, value) VALUES (?, ?)", (name, first - 1)
                )

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def _next(self, counter: str) -> int:
        (value,) = self._db.execute(
            "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", (counter,)
        ).fetchone()
        return value

    def sample_insert(
        self, document: dict[str, Any], *, owner: str, searchable_from: float
    ) -> dict[str, Any]:
        """Store a new sample under the next SAMEA and ERS accessions; return its document.

        Relationships without a source get the new accession as theirs, as on the server.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                number = self._next("accession")
                accession = f"{SAMPLE_PREFIX}{number}"
                sra = f"{SRA_PREFIX}{self._next('sra')}"
                document = _with_accessions(document, accession=accession, sra=sra)
                self._write(number, document, owner=owner, searchable_from=searchable_from)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return document

    def sample_replace(
        self, number: int, document: dict[str, Any], *, owner: str, searchable_from: float
    ) -> None:
        """Replace a stored sample whole (a PUT is not a merge)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM samples WHERE number = ?", (number,))
                self._db.execute("DELETE FROM relationships WHERE number = ?", (number,))
                self._db.execute("DELETE FROM attributes WHERE number = ?", (number,))
                self._write(number, document, owner=owner, searchable_from=searchable_from)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _write(
        self, number: int, document: dict[str, Any], *, owner: str, searchable_from: float
    ) -> None:
        self._db.execute(
            "INSERT INTO samples (number, accession, name, owner, release, searchable_from,"
            " document) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                document["accession"],
                document.get("name"),
                owner,
                document["release"],
                searchable_from,
                json.dumps(document, separators=(",", ":")),
            ),
        )
        self._db.executemany(
            "INSERT INTO relationships (number, source, type, target) VALUES (?, ?, ?, ?)",
            [(number, r["source"], r["type"], r["target"]) for r in document["relationships"]],
        )
        self._db.executemany(
            "INSERT INTO attributes (number, name, text) VALUES (?, ?, ?)",
            [
                (number, name, value.get("text", ""))
                for name, values in document["characteristics"].items()
                for value in values
            ],
        )

    def sample_get(self, accession: str) -> StoredSample | None:
        """The stored sample of an accession, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT number, accession, owner, release, document FROM samples"
                " WHERE accession = ?",
                (accession,),
            ).fetchone()
        return _stored(row) if row else None

    def incoming(self, accession: str) -> list[dict[str, str]]:
        """Relationships other samples declare towards this one, by source then type."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT source, type, target FROM relationships"
                " WHERE target = ? AND source != ? ORDER BY source, type",
                (accession, accession),
            ).fetchall()
        return [{"source": s, "type": k, "target": t} for s, k, t in rows]

    def search(
        self,
        *,
        viewer: str | None,
        now: float,
        filters: Sequence[Filter] = (),
        text: str | None = None,
        after: int = 0,
        offset: int = 0,
        limit: int = 20,
        count: bool = False,
    ) -> tuple[list[StoredSample], int | None]:
        """Samples the viewer may see (public ones and their own), in accession order.

        ``after`` continues past a sample number (cursor paging), ``offset`` skips rows
        (page paging); with ``count``, the total number of matches comes back too.
        """
        where = ["searchable_from <= ?", "(release <= ? OR owner = ?)"]
        parameters: list[Any] = [now, now, viewer]
        for item in filters:
            if item.kind == "name":
                where.append("name = ?")
                parameters.append(item.label)
            elif item.kind == "attr" and item.value is None:
                where.append(
                    "EXISTS (SELECT 1 FROM attributes a WHERE a.number = samples.number"
                    " AND a.name = ?)"
                )
                parameters.append(item.label)
            elif item.kind == "attr":
                where.append(
                    "EXISTS (SELECT 1 FROM attributes a WHERE a.number = samples.number"
                    " AND a.name = ? AND a.text = ?)"
                )
                parameters.extend([item.label, item.value])
            elif item.kind == "acc":
                where.append("regexp(?, accession)")
                parameters.append(item.label)
            elif item.kind == "webinId":
                where.append("owner = ?")
                parameters.append(item.label)
        if text:
            where.append("instr(lower(document), lower(?)) > 0")
            parameters.append(text)
        condition = " AND ".join(where)
        with self._lock:
            total = None
            if count:
                (total,) = self._db.execute(
                    f"SELECT count(*) FROM samples WHERE {condition}",  # noqa: S608 (our own SQL)
                    parameters,
                ).fetchone()
            select = (
                "SELECT number, accession, owner, release, document FROM samples"  # noqa: S608
                f" WHERE {condition} AND number > ? ORDER BY number LIMIT ? OFFSET ?"
            )
            rows = self._db.execute(
                select,
                [*parameters, after, limit, offset],
            ).fetchall()
        return [_stored(row) for row in rows], total

    def sample_count(self) -> int:
        """How many samples the archive holds."""
        with self._lock:
            (total,) = self._db.execute("SELECT count(*) FROM samples").fetchone()
        return total

    def names_count(self) -> dict[str, int]:
        """How many samples carry each name (duplicates show up as counts above 1)."""
        with self._lock:
            rows = self._db.execute("SELECT name, count(*) FROM samples GROUP BY name").fetchall()
        return dict(rows)


def _stored(row: tuple) -> StoredSample:
    number, accession, owner, release, document = row
    return StoredSample(number, accession, owner, release, json.loads(document))


def _with_accessions(document: dict[str, Any], *, accession: str, sra: str) -> dict[str, Any]:
    characteristics = dict(document["characteristics"])
    characteristics["SRA accession"] = [{"text": sra}]
    relationships = sorted(
        {(r["source"] or accession, r["type"], r["target"]) for r in document["relationships"]}
    )
    return {
        **document,
        "accession": accession,
        "sraAccession": sra,
        "characteristics": dict(sorted(characteristics.items())),
        "relationships": [{"source": s, "type": k, "target": t} for s, k, t in relationships],
    }
