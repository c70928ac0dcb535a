"""Submissions: create one with its file, import it (an import task), retry, reload, delete.

The import is one kind of task (uid.services.tasks: queue, claim, progress, finish); this
module brings what it does and the rules of when it may be asked for.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from uid.compression import upload_decompressed
from uid.models import (
    Animal,
    EventKind,
    FileOutcome,
    Sample,
    Submission,
    SubmissionFile,
    Task,
    TaskKind,
    TaskState,
)
from uid.parsers import is_packed, parser_for
from uid.records import MAX_KEPT, ParseError, problem_rows
from uid.services.loader import LoadError, UnknownSpeciesWords, records_analyze, records_load
from uid.services.tasks import (
    SubmissionBusy,
    SubmissionStateError,
    TaskFailed,
    TaskRun,
    format_count,
    task_active_check,
    task_after_register,
    task_latest,
    task_phases_register,
    task_queue,
    task_runner_register,
)
from uid.services.values import KEPT, MAPPED, notes_message
from uid.sniff import HEAD_BYTES, wrong_file_hint

__all__ = ["SubmissionBusy", "SubmissionStateError"]  # raised here, defined with the tasks

log = logging.getLogger(__name__)


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
    )
    submission.full_clean(exclude=["file"])
    _file_store(submission=submission, file=file, user=owner, refuse_repeat=not upload_again)
    try:
        with transaction.atomic():
            submission.save()
            _file_keep(submission)
            task_queue(submission=submission, kind=TaskKind.IMPORT, user=owner)
    except Exception:
        submission.file.delete(save=False)
        raise
    return submission


# What describes a submission and may change after it is created; the data source type
# belongs to the file and does not.
EDITABLE_FIELDS = ("title", "description", "gene_bank_name", "gene_bank_country", "release_date")


def submission_update(*, submission: Submission, user=None, **changes) -> Submission:
    """Change the description of a submission (any of EDITABLE_FIELDS); the timeline
    says what changed."""
    from uid.services.timeline import changes_described, event_record

    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"these fields cannot be changed: {sorted(unknown)}")
    before = {name: getattr(submission, name) for name in changes}
    for name, value in changes.items():
        setattr(submission, name, value)
    submission.full_clean(exclude=["file"])
    with transaction.atomic():
        submission.save(update_fields=[*changes, "updated_at"])
        names, changed = changes_described(before, changes, {})
        if changed:
            event_record(
                submission_id=submission.pk, kind=EventKind.DETAILS, user=user,
                summary=f"Changed the details: {names}.", detail={"changes": changed},
            )  # fmt: skip
    return submission


class EditedRecords(SubmissionStateError):
    """A reload would overwrite records a curator changed since their import; the
    message names them and how to go on."""


def submission_reload(
    *, submission: Submission, file: File, user, overwrite_edits: bool = False
) -> Submission:
    """Import a new file into an existing submission (see loader.records_load for the rules).

    Refused (SubmissionBusy) while a task works on the submission, and (EditedRecords)
    when records were changed by hand since their import, unless ``overwrite_edits``: the
    new file replaces every record, and what was typed into one would be lost silently.
    Until the new file loads, the records stay as they are; if it fails, they stay so.
    """
    _file_check(file, datasource_type=submission.datasource_type)
    task_active_check(submission=submission)
    if not overwrite_edits:
        _refuse_overwriting_edits(submission)
    _file_store(submission=submission, file=file, user=user)
    try:
        with transaction.atomic():
            # Only what _file_store set: the rest of the object may be older than the row.
            submission.save(update_fields=[*_FILE_FIELDS, "updated_at"])
            # The earlier files stay: the records came from one of them until this one loads.
            _file_keep(submission)
            task_queue(
                submission=submission, kind=TaskKind.IMPORT, user=user,
                message="Waiting for a worker to start the import of the new file.",
            )  # fmt: skip
    except Exception:
        submission.file.delete(save=False)
        raise
    return submission


def _refuse_overwriting_edits(submission: Submission) -> None:
    edited = [
        f"{kind} '{name}'"
        for kind, model in (("animal", Animal), ("sample", Sample))
        for name in model.objects.filter(submission=submission, edited_at__isnull=False)
        .order_by("-edited_at")
        .values_list("name", flat=True)[:_LISTED]
    ]
    if not edited:
        return
    total = sum(
        model.objects.filter(submission=submission, edited_at__isnull=False).count()
        for model in (Animal, Sample)
    )
    more = f" and {format_count(total - len(edited))} more" if total > len(edited) else ""
    raise EditedRecords(
        f"{format_count(total)} record(s) were changed here since their import, and the new "
        f"file would overwrite them: {', '.join(edited)}{more}. Put those changes into the "
        "file first, or tick “Overwrite my changes” to import it anyway."
    )


def submission_retry(*, submission: Submission, user=None) -> Task:
    """Queue the import again after it was interrupted or failed in a way a new run may
    mend (unexpectedly, or on words mapped since), and only then.

    Raises SubmissionBusy while a live task works on it, SubmissionStateError in any
    other case (a file the import refused needs a new file: reload sends one).
    """
    task_active_check(submission=submission)
    last = task_latest(submission=submission, kind=TaskKind.IMPORT)
    if last is None or last.state == TaskState.SUCCEEDED:
        raise SubmissionStateError(
            "The last import succeeded: there is nothing to retry (to load another file, "
            "import a new file)."
        )
    if not last.retryable:
        raise SubmissionStateError(
            "The import failed because of what the file holds; running it again would fail "
            "the same way. Correct the file and import it as a new file."
        )
    with transaction.atomic():
        task = task_queue(
            submission=submission, kind=TaskKind.IMPORT, user=user or submission.owner
        )
        # The file is being imported again: its "failed" is history until this run ends.
        submission.files.filter(file=submission.file.name).update(
            outcome=FileOutcome.IMPORTING, message=""
        )
    return task


def submission_delete(*, submission: Submission, user=None) -> Task:
    """Queue the delete of a submission with its records and files; it is gone from the
    owner's pages and lists at once, and the task removes it (a few seconds for 300,000
    records). Not while a task works on it.

    Refused (SubmissionStateError, naming them) when records of the submission have a
    BioSamples accession (those are withdrawn, never deleted) or when records of another
    submission depend on its records (a parent or a sample's animal named by accession).
    """
    task_active_check(submission=submission)
    _check_deletable(submission)
    with transaction.atomic():
        task = task_queue(
            submission=submission, kind=TaskKind.DELETE, user=user or submission.owner,
            message="Waiting for a worker to delete it.",
        )  # fmt: skip
        Submission.objects.filter(pk=submission.pk).update(deleting_since=timezone.now())
    return task


def _delete_run(run: TaskRun) -> None:
    """Delete the submission, its records (in batches, with progress) and its files."""
    submission = Submission.objects.get(pk=run.task.submission_id)
    try:
        _check_deletable(submission)
    except SubmissionStateError as exc:
        raise TaskFailed(str(exc)) from None
    names = {submission.file.name, *submission.files.values_list("file", flat=True)} - {""}
    storage = submission.file.storage
    total = sum(m.objects.filter(submission=submission).count() for m in (Animal, Sample))
    records_analyze()  # fresh statistics keep the foreign-key checks of the delete quick
    run.progress("delete", 0, total, f"Deleting {format_count(total)} records…", force=True)
    try:
        with transaction.atomic():
            done = 0
            for model in (Sample, Animal):  # samples name animals, not the reverse
                records = model.objects.filter(submission=submission)
                ids = list(records.order_by("pk").values_list("pk", flat=True))
                for start in range(0, len(ids), _DELETE_BATCH):
                    batch = ids[start : start + _DELETE_BATCH]
                    # A range of ids, not a list: one short statement per batch.
                    records.filter(pk__gte=batch[0], pk__lte=batch[-1]).delete()
                    done += len(batch)
                    run.progress("delete", done, total,
                                 f"Deleting the records: {format_count(done)} of "
                                 f"{format_count(total)}")  # fmt: skip
            title = submission.title
            submission.delete()
            # The composite keys are deferred (for the loader): check them now, so that a
            # record of another submission that came to name one of these meanwhile
            # stops the delete here, whole.
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {_RECORD_KEYS} IMMEDIATE")
            run.succeed(f"Deleted “{title}” with {_plural(total, 'record')}.",
                        result={"records": total})  # fmt: skip
            transaction.on_commit(lambda: [storage.delete(name) for name in names])
    except IntegrityError:
        submission.pk = run.task.submission_id  # delete() cleared it; the rollback kept it
        try:
            _check_deletable(submission)
        except SubmissionStateError as exc:
            raise TaskFailed(str(exc)) from None
        raise


_DELETE_BATCH = 20_000


def _delete_after(task: Task) -> None:
    """A delete that did not go through gives the submission back to its owner."""
    if task.state != TaskState.SUCCEEDED and task.submission_id is not None:
        Submission.objects.filter(pk=task.submission_id).update(deleting_since=None)


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


_FILE_FIELDS = (
    "file",
    "file_name",
    "file_size",
    "file_sha256",
    "file_uploaded_by",
    "file_uploaded_at",
)


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


# --- The import task ------------------------------------------------------------------------


def _import_run(run: TaskRun) -> None:
    """Read the submission's file and load its records; the task's runner for imports."""
    submission = Submission.objects.get(pk=run.task.submission_id)
    # Hundreds of thousands of small records and no cycles among them: the collector would
    # only walk them again and again (about 10 % of an import's time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        records = _import_read(run, submission)
        result = records_load(
            submission=submission,
            records=records,
            progress=lambda phase, done, total: _import_progress(run, phase, done, total),
            on_written=lambda result: _import_written(run, submission, result),
        )
        records_analyze(added=result.animals + result.samples)
    except UnknownSpeciesWords as exc:
        raise TaskFailed(
            f"{exc}. Say which species each word means (“Map them to species” on the "
            "submission's page); the import is then retried.",
            retryable=True,
            result={"unknown_species_words": exc.words},
        ) from None
    except ParseError as exc:
        found, total = problem_rows(exc)
        raise TaskFailed(str(exc), result=_problems(found, total)) from None
    except LoadError as exc:
        found = [{"problem": text} for text in exc.problems[:MAX_KEPT]]
        raise TaskFailed(str(exc), result=_problems(found, len(exc.problems))) from None
    finally:
        if gc_was_enabled:
            gc.enable()


def _import_written(run: TaskRun, submission: Submission, result) -> None:
    """The records are written (the transaction is still open): the earlier validation
    was of other records; the task is done."""
    from validation.services import results_clear

    results_clear(submission_id=submission.pk)
    run.succeed(_loaded_message(result), result=_counts(result))


def _import_read(run: TaskRun, submission: Submission) -> list:
    parse = parser_for(submission.datasource_type)
    size = submission.file_size
    with submission.file.open("rb") as stored:
        hint = wrong_file_hint(stored.read(HEAD_BYTES), datasource_type=submission.datasource_type)
        stored.seek(0)
        if hint:
            raise ParseError(hint, file=submission.file_name)

        def rows_read(rows: int, force: bool = False) -> None:
            # The bar follows the bytes read of the file as uploaded (compressed or not).
            done = min(stored.tell(), size)
            run.progress("read", done, size, f"Reading the file: {format_count(rows)} rows read",
                         force=force)  # fmt: skip

        run.progress("read", 0, size, "Reading the file…", force=True)
        # Text formats may come gzip-compressed; a workbook is a zip archive already.
        stream = (
            stored
            if is_packed(submission.datasource_type)
            else upload_decompressed(stored, filename=submission.file_name)
        )
        records = list(parse(stream, filename=submission.file_name, progress=rows_read))
    return records


def _import_progress(run: TaskRun, phase: str, done: int, total: int) -> None:
    if phase == "check":
        run.progress("check", 0, total, f"Checking {format_count(total)} records…", force=True)
    else:
        run.progress("write", done, total,
                     f"Writing the records: {format_count(done)} of {format_count(total)}",
                     force=done in (0, total))  # fmt: skip


def _problems(found: list[dict], total: int) -> dict:
    """A failed import's problems, all kept (up to MAX_KEPT) for the list to download."""
    return {"problems": found, "problems_total": total}


def _counts(result) -> dict:
    notes = {kind: {} for kind in (MAPPED, KEPT)}
    for (kind, name), n in result.notes.counts.items():
        notes.setdefault(kind, {})[name] = n
    return {"animals": result.animals, "samples": result.samples,
            "breeds_created": result.breeds_created, "removed": result.removed,
            "kept_missing": result.kept_missing, "mapped": notes[MAPPED], "kept": notes[KEPT],
            "conflicts": result.notes.conflicts[:1000]}  # fmt: skip


def _loaded_message(result) -> str:
    message = f"Loaded {_plural(result.animals, 'animal')} and {_plural(result.samples, 'sample')}."
    if result.kept_missing:
        message += (
            f" {len(result.kept_missing)} record(s) with an accession are not in the new "
            "file and were kept: " + ", ".join(result.kept_missing[:20])
        )
    said = notes_message(result.notes)
    return f"{message} {said}" if said else message


def _plural(n: int, word: str) -> str:
    return f"{format_count(n)} {word}" if n == 1 else f"{format_count(n)} {word}s"


def _import_after(task: Task) -> None:
    """Say on the file the import read how it went (a loaded one is the records' file);
    mail the owner when the import took long."""
    submission = Submission.objects.filter(pk=task.submission_id).first()
    if submission is None:
        return
    current = submission.files.filter(file=submission.file.name).first()
    loaded = task.state == TaskState.SUCCEEDED
    if current is not None:
        SubmissionFile.objects.filter(pk=current.pk).update(
            outcome=FileOutcome.LOADED if loaded else FileOutcome.FAILED,
            message="" if loaded else task.message,
        )
        if loaded:
            Submission.objects.filter(pk=submission.pk).update(records_file=current)
    task_mail_when_long(task)


def task_mail_when_long(task: Task) -> None:
    """Mail the owner that a task ended when it took long (IMPORT_MAIL_AFTER_SECONDS):
    they may have left the page. Kinds call it when their task ends."""
    submission = Submission.objects.filter(pk=task.submission_id).first()
    if submission is None or not (task.started_at and task.finished_at):
        return
    elapsed = (task.finished_at - task.started_at).total_seconds()
    if elapsed >= settings.IMPORT_MAIL_AFTER_SECONDS:
        # A success ends inside the records' transaction: mail once it has committed.
        transaction.on_commit(lambda: _mail_owner(task, submission, elapsed))


_OUTCOMES = {TaskKind.IMPORT: "is loaded", TaskKind.VALIDATE: "is done"}


def _mail_owner(task: Task, submission: Submission, elapsed: float) -> None:
    owner = submission.owner
    if not owner.email:
        return
    what = task.get_kind_display().lower()
    outcome = _OUTCOMES.get(task.kind, "is done") if task.state == TaskState.SUCCEEDED else "failed"
    try:
        send_mail(
            f"[InjectTool] The {what} of '{submission.title}' {outcome}",
            f"The {what} of your submission '{submission.title}' (#{submission.pk}) {outcome} "
            f"after {elapsed:.0f} seconds.\n\n{task.message}\n",
            None,
            [owner.email],
        )
    except Exception:  # the result is in the database either way
        log.warning("could not mail the owner of submission %s", submission.pk, exc_info=True)


task_runner_register(TaskKind.IMPORT, _import_run)
# Reading is most of an import's time, checking a little, writing the rest.
task_phases_register(TaskKind.IMPORT, {"read": (0, 60), "check": (60, 65), "write": (65, 100)})
task_after_register(TaskKind.IMPORT, _import_after)
task_runner_register(TaskKind.DELETE, _delete_run)
task_after_register(TaskKind.DELETE, _delete_after)


def submission_file_open(*, submission: Submission) -> BinaryIO:
    return submission.file.open("rb")


def submission_import(*, submission_id: int) -> Task | None:
    """Run the submission's queued import here and now, as a worker would (the bench and
    the tests use it); None when it has none queued."""
    from uid.services.tasks import task_run

    task = Task.objects.filter(
        submission_id=submission_id, kind=TaskKind.IMPORT, state=TaskState.QUEUED
    ).first()
    return task_run(task_id=task.pk) if task is not None else None
