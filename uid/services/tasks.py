"""Background tasks on submissions: queue one, run it, report its progress, finish it.

Every kind of task (import, validate, submit, sync, delete, batch) goes through this one
mechanism; a kind only brings its runner (``task_runner_register``). The rules:

- At most one task of a submission is active (queued or running); a database constraint
  holds it, so two requests racing to queue one get one task and one ``SubmissionBusy``.
- A running task holds a PostgreSQL session advisory lock keyed on its submission for as
  long as it runs. A worker that dies drops its connection and with it the lock, so an
  active task whose lock is free (or that no worker took within QUEUE_TIMEOUT) is stale:
  it is marked interrupted (by the next request that needs the submission, or by beat's
  reaper) and may be run again at once.
- A runner raises ``TaskFailed`` for a failure the curator can act on (its message is
  shown as it is); anything else is an unexpected failure, logged, and retryable.
- The data keep their own status: a failed task changes no record, and the submission's
  status is refreshed from its records (``submission_status_refresh``) whenever a task
  changes them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from uid import events
from uid.models import (
    ACTIVE_STATES,
    Animal,
    Sample,
    Status,
    Submission,
    Task,
    TaskState,
)

log = logging.getLogger(__name__)

# The first key of the two-key advisory locks taken here (the second is the submission's pk).
_LOCK_CLASS = 7411
# A queued task that no worker starts within this time is given up (no worker running?).
QUEUE_TIMEOUT = timedelta(hours=6)
_PROGRESS_EVERY = 0.5  # seconds between progress reports
INTERRUPTED = "The {kind} was interrupted (its worker stopped) and changed nothing; run it again."


class SubmissionStateError(Exception):
    """What was asked is not allowed in the submission's current state (the message says
    why); the pages and the API show it as it is."""


class SubmissionBusy(SubmissionStateError):
    """A task is working on the submission; wait for it to end."""


class TaskFailed(Exception):
    """A failure the curator can act on; ``message`` is shown as it is.

    ``retryable``: running the task again, unchanged, may succeed (after the curator did
    something elsewhere, such as mapping words). ``result`` is kept on the task.
    """

    def __init__(self, message: str, *, retryable: bool = False, result: dict | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.result = result or {}


@dataclass
class TaskRun:
    """The running task as its runner sees it: report progress, succeed inside the
    transaction that writes the task's work (so that both commit or neither does)."""

    task: Task
    succeeded: bool = False
    _last: float = field(default=0.0)

    def progress(
        self, phase: str, done: int, total: int, text: str, *, force: bool = False
    ) -> None:
        """Say how far the task is: its phase (read, check, write, ...), ``done`` of
        ``total`` (the bar) and ``text`` (what the curator reads under it, the numbers
        formatted as ``format_count`` does). Throttled; a new phase always goes through.
        The database hears it (it is the heartbeat) where it can see it, outside a
        transaction; the browser always."""
        now = time.monotonic()
        if not force and now - self._last < _PROGRESS_EVERY and phase == self.task.phase:
            return
        self._last = now
        task = self.task
        task.phase, task.progress_done, task.progress_total = phase, done, total
        task.message = text
        if not connection.in_atomic_block:
            task.heartbeat_at = timezone.now()
            Task.objects.filter(pk=task.pk).update(
                phase=phase, progress_done=done, progress_total=total, message=text,
                heartbeat_at=task.heartbeat_at,
            )  # fmt: skip
        _notify(task, on_commit=False)

    def succeed(self, message: str, *, result: dict | None = None) -> None:
        """Finish the task as done; call it inside the transaction of the task's writes."""
        _finish(self.task, TaskState.SUCCEEDED, message, result=result, data_changed=True)
        self.succeeded = True


Runner = Callable[[TaskRun], None]
_RUNNERS: dict[str, Runner] = {}
# Per kind, the share of the whole that each phase is (start and end percent), so that
# one bar goes from 0 to 100 through all of them; a phase not listed fills the bar.
_PHASES: dict[str, dict[str, tuple[int, int]]] = {}


def task_phases_register(kind: str, phases: dict[str, tuple[int, int]]) -> None:
    _PHASES[kind] = phases


def task_percent(task: Task) -> int | None:
    """How far the whole task is, 0 to 100 (None: no measure yet)."""
    if not task.progress_total:
        return None
    start, end = _PHASES.get(task.kind, {}).get(task.phase, (0, 100))
    share = min(1.0, task.progress_done / task.progress_total)
    return round(start + (end - start) * share)


def task_runner_register(kind: str, runner: Runner) -> None:
    """Say which function does the work of tasks of ``kind`` (apps call it in ready())."""
    _RUNNERS[kind] = runner


# --- Queue ------------------------------------------------------------------------------


def task_queue(
    *, submission: Submission, kind: str, user, message: str = "", params: dict | None = None
) -> Task:
    """Queue a task of ``kind`` on ``submission``; SubmissionBusy while another is active.

    A stale active task (its worker died) is marked interrupted first. The task is sent to
    a worker when the surrounding transaction commits.
    """
    task_active_check(submission=submission)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                owner=submission.owner,
                submission=submission,
                submission_title=submission.title,
                kind=kind,
                created_by=user,
                message=message or "Waiting for a worker to start it.",
                params=params or {},
            )
    except IntegrityError:  # another request queued one a moment ago
        raise SubmissionBusy(_busy_message(submission)) from None
    from uid.tasks import task_run_task

    pk = task.pk
    transaction.on_commit(lambda: task_run_task.delay(pk))
    _notify(task)
    return task


def task_active_check(*, submission: Submission) -> None:
    """Raise SubmissionBusy when a live task works on ``submission``; a stale one is marked
    interrupted (and then no longer stands in the way)."""
    active = task_active(submission=submission)
    if active is None:
        return
    if task_is_stale(task=active):
        task_interrupt(task=active)
        return
    raise SubmissionBusy(_busy_message(submission, active))


def task_active(*, submission: Submission) -> Task | None:
    return Task.objects.filter(submission=submission, state__in=ACTIVE_STATES).first()


def task_latest(*, submission: Submission, kind: str | None = None) -> Task | None:
    tasks = Task.objects.filter(submission=submission)
    if kind is not None:
        tasks = tasks.filter(kind=kind)
    return tasks.order_by("-created_at", "-pk").first()


def _busy_message(submission: Submission, active: Task | None = None) -> str:
    active = active or task_active(submission=submission)
    what = active.get_kind_display().lower() if active else "task"
    return f"a task ({what}) is working on this submission; wait for it to end"


# --- Stale tasks -------------------------------------------------------------------------


def task_is_stale(*, task: Task) -> bool:
    """True when the task is active but no live worker works on it."""
    if task.state not in ACTIVE_STATES:
        return False
    if task.state == TaskState.QUEUED:
        return timezone.now() - task.created_at > QUEUE_TIMEOUT
    return task.submission_id is None or not _lock_is_held(task.submission_id)


def task_interrupt(*, task: Task) -> bool:
    """Mark an active task interrupted (its worker is gone); False if it ended meanwhile."""
    message = INTERRUPTED.format(kind=task.get_kind_display().lower())
    changed = Task.objects.filter(pk=task.pk, state__in=ACTIVE_STATES).update(
        state=TaskState.INTERRUPTED, message=message, retryable=True, finished_at=timezone.now()
    )
    if changed:
        task.refresh_from_db()
        _after_finish(task)
        _notify(task)
    return bool(changed)


def tasks_reap_stale() -> int:
    """Mark every stale active task interrupted; return how many (run by beat)."""
    return sum(
        task_interrupt(task=task)
        for task in Task.objects.filter(state__in=ACTIVE_STATES).select_related("submission")
        if task_is_stale(task=task)
    )


def _lock_is_held(submission_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, submission_id])
        (got,) = cursor.fetchone()
        if got:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, submission_id])
    return not got


# --- Run -----------------------------------------------------------------------------------


def task_run(*, task_id: int) -> Task | None:
    """Claim a queued task and run it; it ends succeeded or failed.

    Returns None when there was nothing to claim (not queued any more, or a live task of
    its submission holds the lock).
    """
    task = Task.objects.filter(pk=task_id, state=TaskState.QUEUED).first()
    if task is None or task.submission_id is None:
        return None
    key = [_LOCK_CLASS, task.submission_id]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        (locked,) = cursor.fetchone()
    if not locked:
        return None
    try:
        now = timezone.now()
        claimed = Task.objects.filter(pk=task_id, state=TaskState.QUEUED).update(
            state=TaskState.RUNNING, started_at=now, heartbeat_at=now, message=""
        )
        if not claimed:
            return None
        task.refresh_from_db()
        _notify(task)
        _run(task)
        return task
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def _run(task: Task) -> None:
    run = TaskRun(task)
    try:
        _RUNNERS[task.kind](run)
        if not run.succeeded:
            _finish(task, TaskState.SUCCEEDED, "Done.", data_changed=True)
    except TaskFailed as exc:
        _finish(task, TaskState.FAILED, str(exc), result=exc.result, retryable=exc.retryable)
    except Exception as exc:
        log.exception("%s task %s failed", task.kind, task.pk)
        _finish(
            task, TaskState.FAILED,
            f"The {task.get_kind_display().lower()} failed unexpectedly "
            f"({type(exc).__name__}) and changed nothing. Run it again; if it fails again, "
            "tell the administrators.",
            retryable=True,
        )  # fmt: skip
        raise


def _finish(
    task: Task,
    state: str,
    message: str,
    *,
    result: dict | None = None,
    retryable: bool = False,
    data_changed: bool = False,
) -> None:
    now = timezone.now()
    task.state, task.message, task.retryable = state, message, retryable
    task.finished_at = task.heartbeat_at = now
    if result is not None:
        task.result = result
    if state == TaskState.SUCCEEDED and task.progress_total:
        task.progress_done = task.progress_total
    # The progress too: a task's last reports inside a transaction never reached the row.
    Task.objects.filter(pk=task.pk).update(
        state=state, message=message, retryable=retryable, finished_at=now, heartbeat_at=now,
        result=task.result, phase=task.phase, progress_done=task.progress_done,
        progress_total=task.progress_total,
    )  # fmt: skip
    if data_changed and task.submission_id is not None:
        submission_status_refresh(submission_id=task.submission_id)
    _after_finish(task)
    _notify(task)


# What a kind does once its task has ended, however it ended (the import sets the
# outcome of its file): kind -> function(task).
_AFTER: dict[str, Callable[[Task], None]] = {}


def task_after_register(kind: str, after: Callable[[Task], None]) -> None:
    _AFTER[kind] = after


def _after_finish(task: Task) -> None:
    from uid.services.timeline import event_from_task

    event_from_task(task)
    after = _AFTER.get(task.kind)
    if after is not None:
        after(task)


# --- Data status ---------------------------------------------------------------------------

# The least advanced status of any record is the submission's.
_ORDER = (Status.NEED_REVISION, Status.LOADED, Status.READY, Status.SUBMITTED, Status.COMPLETED)


def submission_status_refresh(*, submission_id: int) -> str:
    """Set the submission's status from its records' and return it."""
    present = set()
    for model in (Animal, Sample):
        present.update(
            model.objects.filter(submission_id=submission_id)
            .values_list("status", flat=True)
            .annotate(n=Count("id"))
            .order_by()
        )
    status = next((s for s in _ORDER if s in present), Status.EMPTY)
    Submission.objects.filter(pk=submission_id).update(status=status)
    return status


# --- What the browser hears ---------------------------------------------------------------


def _notify(task: Task, *, on_commit: bool = True) -> None:
    """Tell the submission's browsers: the whole state once the change is committed, or
    (progress) only the task, at once."""
    if task.submission_id is None:
        return
    pk = task.submission_id

    def send() -> None:
        submission = Submission.objects.filter(pk=pk).first()
        if submission is not None:
            events.event_send(pk, events.state_event(submission, task))

    if on_commit:
        transaction.on_commit(send)
    else:
        events.event_send(pk, events.task_event(task))


def format_count(n: int) -> str:
    """How every count is written for curators: 120,000."""
    return f"{n:,}"
