"""What the server tells a submission's websocket group; the database row stays the truth.

Events go to the channel-layer group of one submission (``submission_group``); the
consumer forwards them to the owner's browser as JSON with the same ``type``.
"""

from __future__ import annotations

import logging
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


# A task as uid.serializers.TaskSerializer writes it (one shape for the API and here).
TaskPayload = dict


class StateEvent(TypedDict):
    """The data status and the current task, side by side, as the page shows them."""

    type: Literal["state"]
    status: str
    status_label: str
    counts: dict
    task: TaskPayload | None


class TaskEvent(TypedDict):
    """A running task's progress."""

    type: Literal["task"]
    task: TaskPayload


Event = StateEvent | TaskEvent


def submission_group(submission_id: int) -> str:
    return f"submission-{submission_id}"


def event_send(submission_id: int, event: Event) -> None:
    """Push ``event`` to the browsers watching the submission; never fails the caller."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        # The consumer's handler method is named after the event type (status, progress, ...).
        async_to_sync(layer.group_send)(submission_group(submission_id), dict(event))
    except Exception:  # a missed notice is harmless: the page reloads state from the database
        log.warning(
            "could not send %s to submission %s", event["type"], submission_id, exc_info=True
        )


def task_payload(task) -> TaskPayload:
    from uid.serializers import TaskSerializer

    return dict(TaskSerializer(task).data)


def task_event(task) -> TaskEvent:
    return TaskEvent(type="task", task=task_payload(task))


def state_event(submission, task) -> StateEvent:
    from uid import selectors

    return StateEvent(
        type="state",
        status=submission.status,
        status_label=submission.get_status_display(),
        counts=selectors.submission_record_counts(submission=submission),
        task=task_payload(task) if task is not None else None,
    )
