"""Submissions: create one with its file, import it (as a Celery task), retry, reload, delete.

A long step claims its submission atomically: status WAITING plus ``claimed_at``, and a
PostgreSQL session advisory lock held by the worker's connection for as long as the
task runs. A worker that dies drops its connection and with it the lock, so a claim
whose lock is free is stale: the submission can be retried at once, and beat's reaper
turns it into ERROR so that nothing stays WAITING forever.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from datetime import timedelta
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from uid import events
from uid.compression import upload_decompressed
from uid.models import (
    Animal,
    FileOutcome,
    Sample,
    Status,
    Submission,
    SubmissionFile,
)
from uid.parsers import is_packed, parser_for
from uid.records import ParseError
from uid.services.loader import LoadError, UnknownSpeciesWords, records_analyze, records_load
from uid.sniff import HEAD_BYTES, wrong_file_hint

log = logging.getLogger(__name__)

# The first key of the two-key advisory locks this module takes (the second is the pk).
_LOCK_CLASS = 7411
# A queued task that no worker starts within this time is given up (no worker running?).
QUEUE_TIMEOUT = timedelta(hours=6)
_PROGRESS_EVERY = 0.5  # seconds between progress notices
INTERRUPTED = "The import was interrupted (its worker stopped). Nothing was loaded; retry it."


class SubmissionStateError(Exception):
    """What was asked is not allowed in the submission's current state (the message says
    why); the pages and the API show it as it is."""


class SubmissionBusy(SubmissionStateError):
    """A task is working on the submission; wait for it to end."""


# --- Create, reload, retry, delete ------------------------------------------------------


def submission_create(
    *,
    owner,
    title: str,
    gene_bank_name: str,
    gene_bank_country,
    datasource_type: str,
    datasource_version: str,
    file: File,
    description: str = "",
    organisation=None,
    upload_again: bool = False,
) -> Submission:
    """Create a submission with its file and queue its import.

    A file the owner uploaded before (the same SHA-256) is refused with where it went,
    unless ``upload_again``: three identical submissions made without a word are worse
    than a question.
    """
    _file_check(file, datasource_type=datasource_type)
    submission = Submission(
        owner=owner,
        title=title,
        description=description,
        gene_bank_name=gene_bank_name,
        gene_bank_country=gene_bank_country,
        organisation=organisation,
        datasource_type=datasource_type,
        datasource_version=datasource_version,
        status=Status.WAITING,
        task_name="import",
        message="Waiting for a worker to start the import.",
    )
    submission.full_clean(exclude=["file"])
    _file_store(submission=submission, file=file, user=owner, refuse_repeat=not upload_again)
    try:
        submission.save()
        _file_keep(submission)
    except Exception:
        submission.file.delete(save=False)
        raise
    _import_queue(submission)
    return submission


# What describes a submission and may change after it is created; the data source type
# belongs to the file and does not.
EDITABLE_FIELDS = ("title", "description", "gene_bank_name", "gene_bank_country", "release_date")


def submission_update(*, submission: Submission, **changes) -> Submission:
    """Change the description of a submission (any of EDITABLE_FIELDS)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"these fields cannot be changed: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(submission, name, value)
    submission.full_clean(exclude=["file"])
    submission.save(update_fields=[*changes, "updated_at"])
    return submission


def submission_reload(*, submission: Submission, file: File, user) -> Submission:
    """Import a new file into an existing submission (see loader.records_load for the rules)."""
    _file_check(file, datasource_type=submission.datasource_type)
    _claim_for_queue(submission)
    try:
        _file_store(submission=submission, file=file, user=user)
    except Exception:
        Submission.objects.filter(pk=submission.pk).update(status=Status.ERROR)
        raise
    submission.status = Status.WAITING
    submission.message = "Waiting for a worker to start the import of the new file."
    submission.save()
    # The earlier files stay: the records came from one of them until this one loads.
    _file_keep(submission)
    _import_queue(submission)
    return submission


def submission_retry(*, submission: Submission) -> Submission:
    """Queue the import again after an error or an interrupted task, and only then.

    Raises SubmissionBusy while a live task works on it, SubmissionStateError in any
    other state (a loaded submission is not imported again: reload sends a new file).
    """
    now = timezone.now()
    claimed = Submission.objects.filter(pk=submission.pk, status=Status.ERROR).update(
        status=Status.WAITING, claimed_at=None, task_name="import", updated_at=now
    )
    if not claimed:
        submission.refresh_from_db()
        if submission.status != Status.WAITING:
            raise SubmissionStateError(
                f"The submission is {submission.get_status_display().lower()}: only a failed "
                "or interrupted import can be retried (reload sends a new file)."
            )
        if not submission_is_stale(submission=submission):
            raise SubmissionBusy("a task is working on this submission; wait for it to end")
        Submission.objects.filter(pk=submission.pk).update(claimed_at=None, updated_at=now)
    submission.refresh_from_db()
    _import_queue(submission)
    return submission


def submission_delete(*, submission: Submission) -> None:
    """Delete a submission with its records and files; not while a task works on it.

    Refused (SubmissionStateError, naming them) when records of the submission have a
    BioSamples accession (those are withdrawn, never deleted) or when records of another
    submission depend on its records (a parent or a sample's animal named by accession).
    """
    if submission.status == Status.WAITING and not submission_is_stale(submission=submission):
        raise SubmissionBusy("a task is working on this submission; wait for it to end")
    _check_deletable(submission)
    names = {submission.file.name, *submission.files.values_list("file", flat=True)} - {""}
    storage = submission.file.storage
    records_analyze()  # fresh statistics keep the foreign-key checks of the delete quick
    pk = submission.pk
    try:
        with transaction.atomic():
            submission.delete()
            # The composite keys are deferred (for the loader): check them now, so that a
            # record of another submission that came to name one of these meanwhile
            # stops the delete here, whole.
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {_RECORD_KEYS} IMMEDIATE")
    except IntegrityError:
        submission.pk = pk  # delete() cleared it; the rollback kept the row
        _check_deletable(submission)
        raise
    for name in names:
        storage.delete(name)


_LISTED = 20
_RECORD_KEYS = (
    "uid_animal_father_same_owner, uid_animal_mother_same_owner, uid_sample_animal_same_owner"
)


def _check_deletable(submission: Submission) -> None:
    accessioned = [
        f"{kind} '{name}' ({accession})"
        for kind, model in (("animal", Animal), ("sample", Sample))
        for name, accession in model.objects.filter(
            submission=submission, accession__gt=""
        ).values_list("name", "accession")[:_LISTED]
    ]
    if accessioned:
        raise SubmissionStateError(
            "Records of this submission are in BioSamples and cannot be deleted (they will "
            "be withdrawn instead): " + ", ".join(accessioned[:_LISTED])
        )
    own = Animal.objects.filter(submission=submission)
    dependents = [
        f"submission #{pk}: {what} '{name}'"
        for what, query in (
            ("sample", Sample.objects.filter(animal__in=own)),
            ("animal", Animal.objects.filter(father__in=own)),
            ("animal", Animal.objects.filter(mother__in=own)),
        )
        for pk, name in query.exclude(submission=submission).values_list("submission_id", "name")[
            :_LISTED
        ]
    ]
    if dependents:
        raise SubmissionStateError(
            "Records of other submissions name records of this one (as parent or animal); "
            "delete or change those first: " + ", ".join(sorted(set(dependents))[:_LISTED])
        )


def submission_is_stale(*, submission: Submission) -> bool:
    """True when the submission is WAITING but no live task works on it."""
    if submission.status != Status.WAITING:
        return False
    if submission.claimed_at is None:
        return timezone.now() - submission.updated_at > QUEUE_TIMEOUT
    return not _lock_is_held(submission.pk)


def _claim_for_queue(submission: Submission) -> None:
    """Mark the submission WAITING for a new task, unless a live task has it."""
    now = timezone.now()
    changed = (
        Submission.objects.filter(pk=submission.pk)
        .exclude(status=Status.WAITING)
        .update(status=Status.WAITING, claimed_at=None, task_name="import", updated_at=now)
    )
    if not changed:
        submission.refresh_from_db()
        if not submission_is_stale(submission=submission):
            raise SubmissionBusy("a task is working on this submission; wait for it to end")
        Submission.objects.filter(pk=submission.pk).update(claimed_at=None, updated_at=now)
    submission.refresh_from_db()


def _import_queue(submission: Submission) -> None:
    from uid.tasks import submission_import_task

    pk = submission.pk
    transaction.on_commit(lambda: submission_import_task.delay(pk))
    events.event_send(pk, events.status_event(submission))


def _file_check(file: File, *, datasource_type: str) -> None:
    """Refuse, saying what it is and what to choose, a file plainly of another kind."""
    head = file.read(HEAD_BYTES)
    file.seek(0)
    hint = wrong_file_hint(head, datasource_type=datasource_type)
    if hint:
        raise ValidationError({"file": hint[0].upper() + hint[1:] + "."})


def _file_store(*, submission: Submission, file: File, user, refuse_repeat: bool = False) -> None:
    """Keep the original upload (protected storage) with its name, size and SHA-256.

    With ``refuse_repeat``, a file the owner uploaded before is refused, naming where.
    """
    limit = settings.UPLOAD_MAX_BYTES
    digest = hashlib.sha256()
    size = 0
    for chunk in file.chunks():
        size += len(chunk)
        if size > limit:
            raise ValidationError(
                {"file": f"the file is larger than the limit of {limit // (1024 * 1024)} MB"}
            )
        digest.update(chunk)
    if size == 0:
        raise ValidationError({"file": "the file is empty"})
    if refuse_repeat:
        _refuse_repeat(owner=submission.owner, sha256=digest.hexdigest())
    file.seek(0)
    original = (getattr(file, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    submission.file_name = original
    submission.file_size = size
    submission.file_sha256 = digest.hexdigest()
    submission.file_uploaded_by = user
    submission.file_uploaded_at = timezone.now()
    submission.file.save(original, file, save=False)


def _refuse_repeat(*, owner, sha256: str) -> None:
    earlier = (
        SubmissionFile.objects.filter(submission__owner=owner, sha256=sha256)
        .select_related("submission")
        .order_by("uploaded_at")
        .first()
    )
    if earlier is None:
        return
    raise ValidationError(
        {
            "file": f"You uploaded this file on {earlier.uploaded_at:%Y-%m-%d %H:%M} UTC as "
            f"“{earlier.name}” (submission “{earlier.submission.title}”, "
            f"#{earlier.submission_id}). To make another submission of it, tick “Upload it "
            "again”."
        }
    )


def _file_keep(submission: Submission) -> SubmissionFile:
    """Record the upload just stored as one of the submission's files."""
    return SubmissionFile.objects.create(
        submission=submission,
        file=submission.file.name,
        name=submission.file_name,
        size=submission.file_size,
        sha256=submission.file_sha256,
        uploaded_by=submission.file_uploaded_by,
        uploaded_at=submission.file_uploaded_at,
    )


def _file_outcome(submission: Submission, status: str, message: str) -> None:
    """Say on the file the import read how it went; a loaded one is the records' file."""
    current = submission.files.filter(file=submission.file.name).first()
    if current is None:
        return
    loaded = status == Status.LOADED
    SubmissionFile.objects.filter(pk=current.pk).update(
        outcome=FileOutcome.LOADED if loaded else FileOutcome.FAILED,
        message="" if loaded else message,
    )
    if loaded:
        Submission.objects.filter(pk=submission.pk).update(records_file=current)


# --- The import task's service ------------------------------------------------------------


def _lock_is_held(pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, pk])
        (got,) = cursor.fetchone()
        if got:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, pk])
    return not got


def submission_import(*, submission_id: int) -> Submission | None:
    """Claim a WAITING submission and import its file; leaves it LOADED or ERROR.

    Returns None when there was nothing to claim (another task has it, or it is done).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, submission_id])
        (locked,) = cursor.fetchone()
    if not locked:
        return None
    try:
        now = timezone.now()
        claimed = Submission.objects.filter(pk=submission_id, status=Status.WAITING).update(
            claimed_at=now, heartbeat_at=now, progress_done=0, progress_total=0,
            message="Reading the file…", updated_at=now,
        )  # fmt: skip
        if not claimed:
            return None
        submission = Submission.objects.get(pk=submission_id)
        events.event_send(submission_id, events.status_event(submission))
        _import(submission)
        return submission
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, submission_id])


def _import(submission: Submission) -> None:
    started = time.monotonic()
    notice = _Progress(submission.pk, total=submission.file_size)
    parse = parser_for(submission.datasource_type)
    # Hundreds of thousands of small records and no cycles among them: the collector would
    # only walk them again and again (about 10 % of an import's time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with submission.file.open("rb") as stored:
            hint = wrong_file_hint(
                stored.read(HEAD_BYTES), datasource_type=submission.datasource_type
            )
            stored.seek(0)
            if hint:
                raise ParseError(hint, file=submission.file_name)
            # Text formats may come gzip-compressed; a workbook is a zip archive already.
            stream = (
                stored
                if is_packed(submission.datasource_type)
                else upload_decompressed(stored, filename=submission.file_name)
            )
            records = list(parse(stream, filename=submission.file_name, progress=notice.rows_read))
            notice.rows_read(notice.rows, force=True)
        with transaction.atomic():
            result = records_load(submission=submission, records=records, progress=notice.loading)
            counts = {"animals": result.animals, "samples": result.samples,
                      "breeds_created": result.breeds_created, "removed": result.removed,
                      "kept_missing": result.kept_missing}  # fmt: skip
            message = (
                f"Loaded {_plural(result.animals, 'animal')} "
                f"and {_plural(result.samples, 'sample')}."
            )
            if result.kept_missing:
                message += (
                    f" {len(result.kept_missing)} record(s) with an accession are not in the new "
                    "file and were kept: " + ", ".join(result.kept_missing[:20])
                )
            _finish(submission, Status.LOADED, message, counts=counts)
        records_analyze(added=result.animals + result.samples)
    except UnknownSpeciesWords as exc:
        _finish(
            submission, Status.ERROR,
            f"{exc}. Say which species each word means (“Map them to species” on the "
            "submission's page); the import is then retried.",
            counts={"unknown_species_words": exc.words},
        )  # fmt: skip
    except (ParseError, LoadError) as exc:
        _finish(submission, Status.ERROR, str(exc))
    except Exception as exc:
        log.exception("import of submission %s failed", submission.pk)
        _finish(
            submission,
            Status.ERROR,
            f"The import failed unexpectedly ({type(exc).__name__}). "
            "Nothing was loaded. Retry it; if it fails again, tell the administrators.",
        )
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
        elapsed = time.monotonic() - started
        submission.refresh_from_db()
        if elapsed >= settings.IMPORT_MAIL_AFTER_SECONDS:
            _mail_owner(submission, elapsed)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _finish(
    submission: Submission, status: str, message: str, *, counts: dict | None = None
) -> None:
    now = timezone.now()
    updates = {"status": status, "message": message, "claimed_at": None, "heartbeat_at": now,
               "updated_at": now}  # fmt: skip
    if counts is not None:
        updates["counts"] = counts
    if status == Status.LOADED:
        updates["progress_done"] = updates["progress_total"] = counts.get(
            "animals", 0
        ) + counts.get("samples", 0)
    Submission.objects.filter(pk=submission.pk).update(**updates)
    _file_outcome(submission, status, message)
    submission.refresh_from_db()
    pk = submission.pk
    transaction.on_commit(lambda: events.event_send(pk, events.status_event(submission)))


def _mail_owner(submission: Submission, elapsed: float) -> None:
    owner = submission.owner
    if not owner.email:
        return
    outcome = "is loaded" if submission.status == Status.LOADED else "failed"
    try:
        send_mail(
            f"[InjectTool] The import of '{submission.title}' {outcome}",
            f"The import of your submission '{submission.title}' (#{submission.pk}) {outcome} "
            f"after {elapsed:.0f} seconds.\n\n{submission.message}\n",
            None,
            [owner.email],
        )
    except Exception:  # the result is in the database either way
        log.warning("could not mail the owner of submission %s", submission.pk, exc_info=True)


class _Progress:
    """Throttled progress: to the database (heartbeat) while parsing, to the browser always."""

    def __init__(self, pk: int, total: int) -> None:
        self.pk = pk
        self.rows = 0
        self.last = 0.0

    def rows_read(self, rows: int, force: bool = False) -> None:
        self.rows = rows
        now = time.monotonic()
        if not force and now - self.last < _PROGRESS_EVERY:
            return
        self.last = now
        Submission.objects.filter(pk=self.pk).update(
            progress_done=rows,
            heartbeat_at=timezone.now(),
            message=f"Reading the file: {rows} rows read",
        )
        events.event_send(
            self.pk, events.ProgressEvent(type="progress", stage="parse", done=rows, total=0)
        )

    def loading(self, stage: str, done: int, total: int) -> None:
        # Inside the load transaction: the database would not show it, the browser does.
        events.event_send(
            self.pk, events.ProgressEvent(type="progress", stage="load", done=done, total=total)
        )


def submissions_reap_stale() -> int:
    """Turn WAITING submissions that no live task works on into ERROR; return how many."""
    reaped = 0
    for submission in Submission.objects.filter(status=Status.WAITING):
        if submission_is_stale(submission=submission):
            changed = Submission.objects.filter(pk=submission.pk, status=Status.WAITING).update(
                status=Status.ERROR,
                claimed_at=None,
                message=INTERRUPTED,
            )
            reaped += changed
            if changed:
                _file_outcome(submission, Status.ERROR, INTERRUPTED)
                submission.refresh_from_db()
                events.event_send(submission.pk, events.status_event(submission))
    return reaped


def submission_file_open(*, submission: Submission) -> BinaryIO:
    return submission.file.open("rb")
