"""Changes a curator makes to single records (the records workbench builds on these)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from uid.models import Animal, EventKind, Record, Status
from uid.services.tasks import submission_status_refresh, task_active_check
from validation.registry import ACCESSION_RE

# What identifies a record or belongs to its life cycle: not changed by hand.
_NOT_EDITABLE = {"id", "owner", "submission", "accession", "status", "last_changed",
                 "edited_at", "last_submitted"}  # fmt: skip


# A record that was ready or in BioSamples needs revision once changed by hand.
_REVISED = (Status.READY, Status.COMPLETED)


def record_update(*, record: Record, user=None, **changes) -> Record:
    """Change fields of one record; it is marked edited (a reload asks before it
    overwrites it), and a ready or completed one goes to NEED_REVISION (with its
    submission's status); the submission's timeline says what changed and who changed it.
    Refused (SubmissionBusy) while a task works on its submission."""
    refused = set(changes) & _NOT_EDITABLE
    if refused:
        raise ValueError(f"these fields are not changed by hand: {sorted(refused)}")
    task_active_check(submission=record.submission)
    changes = {name: value for name, value in changes.items() if getattr(record, name) != value}
    if not changes:
        return record
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    record.edited_at = timezone.now()
    updated = [*changes, "edited_at", "last_changed"]
    if record.status in _REVISED:
        record.status = Status.NEED_REVISION
        updated.append("status")
    record.full_clean(exclude=["owner", "submission", "father", "mother", "animal"])
    with transaction.atomic():
        record.save(update_fields=updated)
        submission_status_refresh(submission_id=record.submission_id)
        _edit_recorded(record, before, changes, user=user)
    return record


def _edit_recorded(record: Record, before: dict, after: dict, *, user) -> None:
    from uid.services.timeline import changes_described, event_record
    from validation.registry import by_field

    kind = "animal" if isinstance(record, Animal) else "sample"
    labels = {}
    for name in after:
        found = by_field(kind, name)
        if found is None or len(found.fields(kind)) > 1:  # e.g. father and mother: Child of
            labels[name] = name.replace("_", " ").capitalize()
        else:
            labels[name] = found.name + (" unit" if name == found.unit_field else "")
    names, changed = changes_described(before, after, labels)
    event_record(
        submission_id=record.submission_id, kind=EventKind.EDIT, user=user,
        summary=f"Changed {kind} “{record.name}”: {names}.",
        detail={"record": kind, "id": record.pk, "name": record.name, "changes": changed},
    )  # fmt: skip


def date_checked(text: str) -> str:
    """A record's date as IMAGE writes it (YYYY-MM-DD, YYYY-MM or YYYY), a real one, or
    ValidationError saying so: the import's own rule."""
    text = text.strip()
    if not text:
        return ""
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = match.group(1), match.group(2), match.group(3)
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError(
            f"'{text}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"
        ) from None
    return text


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parent_for(*, submission, text: str, field: str):
    """The animal a file would name by ``text``: one of the submission's, by name, or
    one of its owner's, by BioSamples accession; ValidationError naming the field."""
    text = text.strip()
    if not text:
        return None
    found = Animal.objects.filter(submission=submission, name=text).first()
    if found is None and ACCESSION_RE.match(text):
        found = Animal.objects.filter(owner=submission.owner, accession=text).first()
    if found is None:
        raise ValidationError(
            {field: f"no animal '{text}' in this submission (nor one of yours with that accession)"}
        )
    return found
