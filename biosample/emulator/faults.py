"""Fault injection: what the emulator does to a request instead of (or on top of) answering.

Two ways to ask for faults, both on ``Emulator.faults`` (or over the control endpoint):

- a script, consumed one outcome per matching request, first in first out::

      emulator.faults.script(
          500, "429:2", "drop-after-write", method="POST", path="/biosamples/samples"
      )

- rates, rolled for every request the script does not cover::

      emulator.faults.configure(error_rate=0.1, drop_after_write_rate=0.02, seed=7)

Outcomes (ints or strings, so the control endpoint's JSON can say them too):

``500`` (any 4xx/5xx status)
    answer that status with a Spring Boot error body, before doing anything.
``429`` or ``"429:N"``
    answer 429 with ``Retry-After: N`` (default ``retry_after``), before doing anything.
``"drop"``
    close the connection without an answer, before doing anything.
``"drop-after-write"``
    do the request (a POST or PUT stores the sample), then close the connection without
    an answer: the client cannot know whether its write happened.
``"slow:S"``
    wait S seconds, then answer normally.
``"ok"``
    answer normally (a gap in a script).

``delay`` adds that many seconds to every answer, scripted or not.
"""

from __future__ import annotations

import random
import threading
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass

OK = "ok"
ERROR = "error"
THROTTLE = "throttle"
DROP = "drop"
DROP_AFTER_WRITE = "drop-after-write"
SLOW = "slow"


@dataclass(frozen=True)
class Fault:
    """One decision for one request."""

    kind: str = OK
    status: int = 200
    retry_after: float = 0.0
    seconds: float = 0.0

    @classmethod
    def parse(cls, outcome: int | str, *, retry_after: float = 1.0) -> Fault:
        """A Fault from the script vocabulary of the module docstring."""
        text = str(outcome).strip().lower()
        name, _, argument = text.partition(":")
        if name == OK:
            return cls()
        if name == DROP:
            return cls(kind=DROP)
        if name == DROP_AFTER_WRITE:
            return cls(kind=DROP_AFTER_WRITE)
        if name == SLOW:
            return cls(kind=SLOW, seconds=float(argument or 1))
        if name.isdigit() and 400 <= int(name) <= 599:
            status = int(name)
            if status == 429:
                return cls(kind=THROTTLE, status=429, retry_after=float(argument or retry_after))
            return cls(kind=ERROR, status=status)
        raise ValueError(f"not a fault: {outcome!r}")


class Faults:
    """The faults the emulator injects; safe to change while it serves."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.injected: Counter[str] = Counter()
        self.reset()

    def reset(self) -> None:
        """No faults: an empty script, zero rates, no delay. The ``injected`` counts stay."""
        with self._lock:
            self._script: deque[tuple[frozenset[str] | None, str | None, Fault]] = deque()
            self.error_rate = 0.0
            self.error_status = 500
            self.throttle_rate = 0.0
            self.retry_after = 1.0
            self.drop_rate = 0.0
            self.drop_after_write_rate = 0.0
            self.delay = 0.0
            self.methods: frozenset[str] | None = None
            self.path: str | None = None
            self._random = random.Random()  # noqa: S311 (fault rolls, not secrets)

    def configure(
        self,
        *,
        error_rate: float = 0.0,
        error_status: int = 500,
        throttle_rate: float = 0.0,
        retry_after: float = 1.0,
        drop_rate: float = 0.0,
        drop_after_write_rate: float = 0.0,
        delay: float = 0.0,
        methods: Iterable[str] | None = None,
        path: str | None = None,
        seed: int | None = None,
    ) -> None:
        """Set the rates (fractions of requests, 0 to 1) and the delay; the script stays.

        ``methods`` limits the rates to those HTTP methods (all when None), ``path`` to
        the paths starting with it;
        ``drop_after_write_rate`` applies to POST and PUT only. ``seed`` makes the rolls
        repeatable.
        """
        for rate in (error_rate, throttle_rate, drop_rate, drop_after_write_rate):
            if not 0 <= rate <= 1:
                raise ValueError(f"a rate is a fraction between 0 and 1, not {rate}")
        with self._lock:
            self.error_rate = error_rate
            self.error_status = error_status
            self.throttle_rate = throttle_rate
            self.retry_after = retry_after
            self.drop_rate = drop_rate
            self.drop_after_write_rate = drop_after_write_rate
            self.delay = delay
            self.methods = frozenset(m.upper() for m in methods) if methods else None
            self.path = path
            self._random = random.Random(seed)  # noqa: S311 (fault rolls, not secrets)

    def script(
        self,
        *outcomes: int | str,
        method: str | Iterable[str] | None = None,
        path: str | None = None,
    ) -> None:
        """Queue outcomes for the next requests of ``method`` (any when None) whose path
        starts with ``path`` (e.g. ``/biosamples/samples``, which leaves out Webin's
        token endpoint; any path when None)."""
        if isinstance(method, str):
            method = [method]
        methods = frozenset(m.upper() for m in method) if method else None
        faults = [Fault.parse(outcome, retry_after=self.retry_after) for outcome in outcomes]
        with self._lock:
            self._script.extend((methods, path, fault) for fault in faults)

    def pending(self) -> int:
        """How many scripted outcomes are still to come."""
        with self._lock:
            return len(self._script)

    def decide(self, method: str, path: str = "/") -> Fault:
        """The fault for one request: the first scripted one for it, else a roll."""
        with self._lock:
            for index, (methods, prefix, fault) in enumerate(self._script):
                if (methods is None or method in methods) and path.startswith(prefix or ""):
                    del self._script[index]
                    return self._count(fault)
            if self.methods is not None and method not in self.methods:
                return Fault()
            if self.path is not None and not path.startswith(self.path):
                return Fault()
            roll = self._random.random()
            throttle = Fault(kind=THROTTLE, status=429, retry_after=self.retry_after)
            for rate, fault in (
                (self.error_rate, Fault(kind=ERROR, status=self.error_status)),
                (self.throttle_rate, throttle),
                (self.drop_rate, Fault(kind=DROP)),
            ):
                if roll < rate:
                    return self._count(fault)
                roll -= rate
            if method in ("POST", "PUT") and self._random.random() < self.drop_after_write_rate:
                return self._count(Fault(kind=DROP_AFTER_WRITE))
            return Fault()

    def _count(self, fault: Fault) -> Fault:
        if fault.kind != OK:
            self.injected[fault.kind if fault.kind != ERROR else str(fault.status)] += 1
        return fault

    def settings(self) -> dict[str, object]:
        """The rates, delay and script length, for the control endpoint."""
        with self._lock:
            return {
                "error_rate": self.error_rate,
                "error_status": self.error_status,
                "throttle_rate": self.throttle_rate,
                "retry_after": self.retry_after,
                "drop_rate": self.drop_rate,
                "drop_after_write_rate": self.drop_after_write_rate,
                "delay": self.delay,
                "methods": sorted(self.methods) if self.methods else None,
                "path": self.path,
                "scripted": len(self._script),
                "injected": dict(self.injected),
            }
