"""Batch changes of a submission's records: set one field of many records to one value,
or delete many records, chosen by id or by the tables' filters.

The rules are the record page's: a value goes through the edit form's own field (the
import's rules), a ready or completed record needs revision once changed, and nothing
changes while a task works on the submission. A record with a BioSamples accession is
never deleted here (it is withdrawn from BioSamples instead); an animal goes with its
samples, and its children lose it as their parent. Up to INLINE_LIMIT records change at
once, in the request; more run as a task of kind BATCH with progress.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils import timezone

from uid import selectors
from uid.models import Animal, EventKind, Sample, Status, Submission, Task, TaskKind
from uid.services.tasks import (
    TaskRun,
    format_count,
    submission_status_refresh,
    task_active_check,
    task_queue,
    task_runner_register,
)

KINDS = ("animals", "samples")
SET, DELETE = "set", "delete"
# Batches up to this size change in the request; larger ones run as a task.
INLINE_LIMIT = 1_000
_CHUNK = 5_000  # records a statement, between progress reports
# Fields that name other records: chosen one record at a time, on its page.
_NOT_IN_BATCH = {"father", "mother", "animal"}
_REVISED = (Status.READY, Status.COMPLETED)


def _model(kind: str):
    if kind not in KINDS:
        raise ValueError(f"kind is one of {KINDS}, not {kind!r}")
    return Animal if kind == "animals" else Sample


def _singular(kind: str) -> str:
    return kind[:-1]


def _plural(n: int, kind: str) -> str:
    return f"{format_count(n)} {_singular(kind) if n == 1 else kind}"


# --- Which records -------------------------------------------------------------------------


def batch_records(
    *, submission: Submission, kind: str, ids: list[int] | None = None, query: str | None = None
) -> QuerySet:
    """The ``kind`` records of ``submission`` a batch works on: those of ``ids`` (other
    submissions' ids are ignored), or all that the table filters in ``query`` (a query
    string, as the table's address has it) select."""
    model = _model(kind)
    if ids is not None:
        return model.objects.filter(submission=submission, pk__in=ids)
    return selectors.submission_records_filtered(
        submission=submission, kind=kind, query=QueryDict(query or "")
    )


# --- Set one field ----------------------------------------------------------------------


def _form(kind: str, submission: Submission, user):
    """An edit form of a blank record of the submission: its fields hold the rules."""
    from uid import forms

    if kind == "animals":
        blank = Animal(submission=submission, birth_location_accuracy="")
        return forms.AnimalForm(animal=blank, user=user)
    blank = Sample(submission=submission, collection_place_accuracy="", storage="",
                   storage_processing="", animal_age_at_collection_unit="",
                   preparation_interval_unit="")  # fmt: skip
    return forms.SampleForm(sample=blank)


def batch_fields(*, kind: str, submission: Submission, user) -> dict:
    """The fields a batch may set, by name: the edit form's, bar those naming records."""
    form = _form(kind, submission, user)
    return {name: field for name, field in form.fields.items() if name not in _NOT_IN_BATCH}


def batch_value_clean(*, kind: str, submission: Submission, user, field: str, value):
    """``value`` as ``field`` stores it, by the edit form's rules; ValidationError
    ({field: [message]}) otherwise."""
    from uid.services.records import date_checked

    fields = batch_fields(kind=kind, submission=submission, user=user)
    if field not in fields:
        raise ValidationError({"field": [f"'{field}' is not a field a batch can set"]})
    try:
        cleaned = fields[field].clean("" if value is None else value)
        if field in ("birth_date", "collection_date"):
            cleaned = date_checked(cleaned)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if cleaned is None and not fields[field].required:
        model_field = _model(kind)._meta.get_field(field)
        cleaned = None if model_field.null else ""
    return cleaned


def _consistency_check(records: QuerySet, field: str, value) -> None:
    """A breed is of its animal's species: refuse a species or breed that would part them."""
    if field == "breed" and value is not None:
        apart = records.exclude(species_id=value.species_id).count()
        if apart:
            raise ValidationError({"breed": [
                f"{_plural(apart, 'animals')} of the chosen are not {value.species}, the "
                "species of this breed: choose them by species first"
            ]})  # fmt: skip
    if field == "species" and value is not None:
        apart = records.exclude(breed__species_id=value.pk).count()
        if apart:
            raise ValidationError({"species": [
                f"{_plural(apart, 'animals')} of the chosen have a breed of another species: "
                "change their breed first"
            ]})  # fmt: skip


# --- Delete -----------------------------------------------------------------------------


@dataclass
class DeletePreview:
    """What deleting the chosen records does, counted, for the confirmation page."""

    kind: str
    chosen: int
    deleted: int  # records of ``kind`` that go
    with_accession: int  # chosen but kept: they are in BioSamples
    kept_for_samples: int  # animals kept because a sample of theirs is in BioSamples
    samples: int  # the samples of deleted animals, which go with them
    children: int  # animals that lose a deleted animal as father or mother

    @property
    def kept(self) -> int:
        return self.with_accession + self.kept_for_samples


def _deletable(records: QuerySet, kind: str) -> QuerySet:
    with_accession = Q(accession__isnull=False) & ~Q(accession="")
    records = records.exclude(with_accession)
    if kind == "animals":
        # NOT EXISTS (an anti-join), not NOT IN, which PostgreSQL may loop over per row.
        accessioned = Sample.objects.filter(with_accession, animal_id=OuterRef("pk"))
        records = records.filter(~Exists(accessioned))
    return records


def batch_delete_preview(*, records: QuerySet, kind: str) -> DeletePreview:
    """Count what deleting ``records`` would delete, keep and change."""
    chosen = records.count()
    with_accession = records.filter(Q(accession__isnull=False) & ~Q(accession="")).count()
    deletable = _deletable(records, kind)
    deleted = deletable.count()
    samples = children = 0
    if kind == "animals":
        ids = deletable.values("pk")
        samples = Sample.objects.filter(animal_id__in=ids).count()
        going = Exists(deletable.filter(pk=OuterRef("pk")))
        children = (
            Animal.objects.filter(Q(father_id__in=ids) | Q(mother_id__in=ids))
            .filter(~going)
            .count()
        )
    return DeletePreview(
        kind=kind, chosen=chosen, deleted=deleted, with_accession=with_accession,
        kept_for_samples=chosen - with_accession - deleted, samples=samples, children=children,
    )  # fmt: skip


# --- Run ----------------------------------------------------------------------------------


@dataclass
class BatchOutcome:
    """A batch done at once (``message``) or queued (``task``)."""

    message: str = ""
    task: Task | None = None


def batch_start(
    *,
    submission: Submission,
    kind: str,
    action: str,
    user,
    ids: list[int] | None = None,
    query: str | None = None,
    field: str = "",
    value=None,
) -> BatchOutcome:
    """Check a batch and run it: at once when it is small, else as a task.

    Raises ValidationError for a field or value the edit form refuses, SubmissionBusy
    while a task works on the submission.
    """
    if action not in (SET, DELETE):
        raise ValidationError({"action": [f"one of {SET}, {DELETE}"]})
    task_active_check(submission=submission)
    records = batch_records(submission=submission, kind=kind, ids=ids, query=query)
    stored = None
    if action == SET:
        stored = batch_value_clean(
            kind=kind, submission=submission, user=user, field=field, value=value
        )
        _consistency_check(records, field, stored)
    label = ""
    if action == SET:
        label = batch_fields(kind=kind, submission=submission, user=user)[field].label
    params = {"kind": kind, "action": action, "field": field, "label": label,
              "value": getattr(stored, "pk", stored), "ids": ids, "query": query}  # fmt: skip
    if records.count() <= INLINE_LIMIT:
        with transaction.atomic():
            message, result = _apply(submission, params, user=user, progress=None)
            _batch_recorded(submission, params, message, result, user=user)
        return BatchOutcome(message=message)
    task = task_queue(submission=submission, kind=TaskKind.BATCH, user=user, params=params,
                      message="Waiting for a worker to start the batch change.")  # fmt: skip
    return BatchOutcome(task=task)


def _batch_run(run: TaskRun) -> None:
    task = run.task
    submission = Submission.objects.get(pk=task.submission_id)
    params = task.params
    with transaction.atomic():
        message, result = _apply(submission, params, user=task.created_by, progress=run)
        run.succeed(message, result=result)


def _apply(submission: Submission, params: dict, *, user, progress: TaskRun | None):
    kind, action = params["kind"], params["action"]
    records = batch_records(
        submission=submission, kind=kind, ids=params["ids"], query=params["query"]
    )
    if action == SET:
        return _set(submission, records, params, user=user, progress=progress)
    return _delete(submission, records, kind, progress=progress)


def _chunks(records: QuerySet) -> tuple[list[tuple[int, int]], int]:
    """The records' ids as ranges of up to _CHUNK ids (first, last), and how many."""
    ids = list(records.order_by("pk").values_list("pk", flat=True))
    ranges = [(ids[i], ids[min(i + _CHUNK, len(ids)) - 1]) for i in range(0, len(ids), _CHUNK)]
    return ranges, len(ids)


def _set(submission, records, params, *, user, progress) -> tuple[str, dict]:
    kind, field = params["kind"], params["field"]
    value = params["value"]
    model = _model(kind)
    if model._meta.get_field(field).is_relation:
        field = f"{field}_id"
    changing = (
        records.exclude(**{field: value})
        if value is not None
        else records.exclude(**{f"{field}__isnull": True})
    )
    ranges, total = _chunks(changing)
    now = timezone.now()
    done = 0
    revised = changing.filter(status__in=_REVISED).count()
    for first, last in ranges:
        done += changing.filter(pk__gte=first, pk__lte=last).update(
            **{field: value}, edited_at=now, last_changed=now,
            status=Case(When(status__in=_REVISED, then=Value(Status.NEED_REVISION)),
                        default=F("status")),
        )  # fmt: skip
        if progress is not None:
            progress.progress("write", done, total,
                              f"Changing the records: {format_count(done)} of "
                              f"{format_count(total)}")  # fmt: skip
    submission_status_refresh(submission_id=submission.pk)
    label = params.get("label") or params["field"].replace("_", " ")
    message = f"Set {label} on {_plural(done, kind)}."
    if revised:
        message += (
            f" {format_count(revised)} of them were ready or in BioSamples and now need revision."
        )
    return message, {"changed": done, "revised": revised}


def _delete(submission, records, kind, *, progress) -> tuple[str, dict]:
    preview = batch_delete_preview(records=records, kind=kind)
    deletable = _deletable(records, kind)
    ranges, _ = _chunks(deletable)
    total = preview.deleted + preview.samples
    done = 0
    for first, last in ranges:
        chunk = deletable.filter(pk__gte=first, pk__lte=last)
        if kind == "animals":
            ids = list(chunk.values_list("pk", flat=True))
            done += Sample.objects.filter(animal_id__in=ids).delete()[0]
            Animal.objects.filter(father_id__in=ids).update(father=None)
            Animal.objects.filter(mother_id__in=ids).update(mother=None)
            done += Animal.objects.filter(pk__in=ids).delete()[0]
        else:
            done += chunk.delete()[0]
        if progress is not None:
            progress.progress("delete", done, total,
                              f"Deleting the records: {format_count(done)} of "
                              f"{format_count(total)}")  # fmt: skip
    submission_status_refresh(submission_id=submission.pk)
    message = f"Deleted {_plural(preview.deleted, kind)}"
    if preview.samples:
        message += f" and their {_plural(preview.samples, 'samples')}"
    message += "."
    if preview.children:
        message += f" {_plural(preview.children, 'animals')} lost a parent."
    if preview.kept:
        message += (
            f" {_plural(preview.kept, kind)} with a BioSamples accession (or with samples "
            "that have one) were kept."
        )
    return message, {"deleted": preview.deleted, "samples": preview.samples,
                     "children": preview.children, "kept": preview.kept}  # fmt: skip


def _batch_recorded(submission, params, message, result, *, user) -> None:
    """A batch done at once has its timeline entry too (a task's comes when it ends)."""
    from uid.services.timeline import event_record

    event_record(
        submission_id=submission.pk, kind=EventKind.BATCH, user=user, summary=message,
        detail={"action": params["action"], "kind": params["kind"],
                "field": params["field"], **result},
    )  # fmt: skip


task_runner_register(TaskKind.BATCH, _batch_run)


class RecordErrors(ValidationError):
    """Values refused, by record id: ``errors`` = {record id: [messages]}."""

    def __init__(self, errors: dict[int, list[str]]) -> None:
        super().__init__("some values are refused")
        self.errors = errors


def records_values_set(
    *, submission: Submission, kind: str, field: str, values: dict[int, object], user
) -> int:
    """Give each record of ``values`` (id → value as typed) its own value of ``field``,
    by the edit form's rules, all or none (RecordErrors names each refused value).
    Records whose value does not change are left alone; the others are marked edited and,
    when ready or in BioSamples, need revision. Returns how many changed."""
    task_active_check(submission=submission)
    fields = batch_fields(kind=kind, submission=submission, user=user)
    if field not in fields:
        raise ValidationError({"field": [f"'{field}' is not a field a batch can set"]})
    model = _model(kind)
    cleaned: dict[object, list[int]] = {}
    errors: dict[int, list[str]] = {}
    for pk, raw in values.items():
        try:
            value = batch_value_clean(kind=kind, submission=submission, user=user, field=field,
                                      value=raw)  # fmt: skip
        except ValidationError as exc:
            errors[pk] = exc.message_dict.get(field, exc.messages)
            continue
        cleaned.setdefault(value, []).append(pk)
    if errors:
        raise RecordErrors(errors)
    column = f"{field}_id" if model._meta.get_field(field).is_relation else field
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        for value, ids in cleaned.items():
            records = model.objects.filter(submission=submission, pk__in=ids)
            _consistency_check(records, field, value)
            stored = getattr(value, "pk", value)
            differ = (records.exclude(**{column: stored}) if stored is not None
                      else records.exclude(**{f"{column}__isnull": True}))  # fmt: skip
            changed += differ.update(
                **{column: stored}, edited_at=now, last_changed=now,
                status=Case(When(status__in=_REVISED, then=Value(Status.NEED_REVISION)),
                            default=F("status")),
            )  # fmt: skip
        if changed:
            submission_status_refresh(submission_id=submission.pk)
            label = fields[field].label
            _batch_recorded(
                submission, {"action": SET, "kind": kind, "field": field},
                f"Corrected {label} of {_plural(changed, kind)}.", {"changed": changed},
                user=user,
            )  # fmt: skip
    return changed
