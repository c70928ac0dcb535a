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


class StatusEvent(TypedDict):
    type: Literal["status"]
    status: str
    status_label: str
    message: str
    counts: dict


class ProgressEvent(TypedDict):
    type: Literal["progress"]
    stage: str
    done: int
    total: int


class MessageEvent(TypedDict):
    type: Literal["message"]
    level: str
    text: str


Event = StatusEvent | ProgressEvent | MessageEvent


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


def status_event(submission) -> StatusEvent:
    return StatusEvent(
        type="status",
        status=submission.status,
        status_label=submission.get_status_display(),
        message=submission.message,
        counts=submission.counts,
    )
