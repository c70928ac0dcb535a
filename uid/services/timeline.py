"""A submission's timeline: what happened to it, who did it, when, and how it ended.

Tasks write their entry when they end (uid.services.tasks calls ``event_from_task``);
changes made by hand (a record edited, the details changed) write theirs as they are saved.
"""

from __future__ import annotations

from uid.models import Submission, SubmissionEvent, Task, TaskKind, TaskState

# How a value is shown in an edit's entry when it is long.
_SHOWN = 80


def event_record(
    *,
    submission_id: int,
    kind: str,
    user,
    summary: str,
    outcome: str = TaskState.SUCCEEDED,
    detail: dict | None = None,
    task: Task | None = None,
) -> SubmissionEvent:
    """Add one entry to the submission's timeline."""
    return SubmissionEvent.objects.create(
        submission_id=submission_id, kind=kind, user=user, summary=summary,
        outcome=outcome, detail=detail or {}, task=task,
    )  # fmt: skip


def event_from_task(task: Task) -> SubmissionEvent | None:
    """The entry of a task that has ended (none for a delete that removed its submission)."""
    if task.submission_id is None or task.is_active:
        return None
    submission = Submission.objects.filter(pk=task.submission_id).first()
    if submission is None:
        return None
    detail: dict = {"task": task.pk}
    summary = task.message
    if task.kind == TaskKind.IMPORT and submission.file_name:
        detail["file"] = submission.file_name
        summary = f"{submission.file_name}: {task.message}"
    return event_record(
        submission_id=submission.pk, kind=task.kind, user=task.created_by, summary=summary,
        outcome=task.state, detail=detail, task=task,
    )  # fmt: skip


def changes_described(before: dict, after: dict, labels: dict[str, str]) -> tuple[str, dict]:
    """What an edit changed, for its entry: the labels joined, and per field the value it
    had and has (as text, long ones shortened)."""
    changed = {
        name: [_shown(before.get(name)), _shown(value)]
        for name, value in after.items()
        if before.get(name) != value
    }
    names = ", ".join(labels.get(name, name.replace("_", " ")) for name in changed)
    return names, changed


def _shown(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
