"""Changes a curator makes to single records (the records workbench builds on these)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from uid.models import Record
from uid.services.tasks import submission_status_refresh, task_active_check

# What identifies a record or belongs to its life cycle: not changed by hand.
_NOT_EDITABLE = {"id", "owner", "submission", "accession", "status", "last_changed",
                 "edited_at", "last_submitted"}  # fmt: skip


def record_update(*, record: Record, **changes) -> Record:
    """Change fields of one record; it is marked edited (a reload asks before it
    overwrites it). Refused (SubmissionBusy) while a task works on its submission."""
    refused = set(changes) & _NOT_EDITABLE
    if refused:
        raise ValueError(f"these fields are not changed by hand: {sorted(refused)}")
    task_active_check(submission=record.submission)
    for name, value in changes.items():
        setattr(record, name, value)
    record.edited_at = timezone.now()
    record.full_clean(exclude=["owner", "submission"])
    with transaction.atomic():
        record.save(update_fields=[*changes, "edited_at", "last_changed"])
        submission_status_refresh(submission_id=record.submission_id)
    return record
