"""Writes of the validation app: seeding the ontology term table."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from validation.models import OntologyTerm
from validation.terms import TERMS_PATH, term_iri

_FIELDS = ("iri", "label", "synonyms", "ancestors", "obsolete")


def terms_seed(*, path: Path = TERMS_PATH) -> tuple[int, int]:
    """Put the shipped terms into the term table; return (created, updated).

    One read and one bulk upsert, whatever the number of terms; a second run changes
    nothing. Terms that are not in the file (added by admins) are left alone; a shipped
    term is reset to the file's values, which are checked against their ontologies.
    """
    with path.open(encoding="utf-8") as handle:
        rows = json.load(handle)
    terms = []
    for row in rows:
        term = OntologyTerm(
            id=row["id"],
            iri=row.get("iri") or term_iri(row["id"]),
            label=row["label"],
            synonyms=list(row.get("synonyms", [])),
            ancestors=list(row.get("ancestors", [])),
            obsolete=bool(row.get("obsolete", False)),
        )
        term.full_clean(validate_unique=False, validate_constraints=False)
        terms.append(term)

    with transaction.atomic():
        existing = {
            row[0]: row[1:]
            for row in OntologyTerm.objects.filter(id__in=[term.id for term in terms])
            .select_for_update()
            .values_list("id", *_FIELDS)
        }
        changed = [
            term
            for term in terms
            if existing.get(term.id) != tuple(getattr(term, name) for name in _FIELDS)
        ]
        if changed:
            OntologyTerm.objects.bulk_create(
                changed, update_conflicts=True, unique_fields=["id"], update_fields=list(_FIELDS)
            )
    created = sum(1 for term in changed if term.id not in existing)
    return created, len(changed) - created


# --- Validating a submission ------------------------------------------------------------

# A submission may be validated from these statuses (its records' least advanced one).
VALIDATE_FROM = ("loaded", "ready", "need_revision")
_PROGRESS_EVERY = 2_000  # documents between progress reports
_COPY_LINES = 10_000  # result rows a write to COPY


def submission_validate_start(*, submission, user):
    """Queue the validation of ``submission``; SubmissionStateError when its status does
    not allow one, SubmissionBusy while a task works on it. Returns the task."""
    from uid.models import Status, TaskKind
    from uid.services.tasks import SubmissionStateError, task_queue

    if submission.status not in VALIDATE_FROM:
        label = Status(submission.status).label.lower()
        raise SubmissionStateError(
            f"a submission is validated once its records are loaded (it is “{label}”)"
        )
    return task_queue(
        submission=submission, kind=TaskKind.VALIDATE, user=user,
        message="Waiting for a worker to start the validation.",
    )  # fmt: skip


def results_clear(*, submission_id: int) -> None:
    """Forget a submission's validation (its records were replaced by an import)."""
    from validation.models import RecordResult, SubmissionValidation

    RecordResult.objects.filter(submission_id=submission_id).delete()
    SubmissionValidation.objects.filter(submission_id=submission_id).delete()


def validate_run(run) -> None:
    """The validation task: build every record's BioSamples document, check them all
    offline, store each record's result and the findings grouped by message, and set the
    records' status (READY without an Error, NEED_REVISION with one) in one transaction."""
    from django.utils import timezone

    from uid.models import Animal, Sample, Submission
    from uid.services.tasks import format_count
    from validation.documents import submission_documents
    from validation.engine import documents_check
    from validation.ruleset import ruleset_default
    from validation.selectors import terms_lookup

    submission = Submission.objects.select_related(
        "owner", "owner__profile", "organisation", "gene_bank_country"
    ).get(pk=run.task.submission_id)
    total = sum(m.objects.filter(submission=submission).count() for m in (Animal, Sample))
    run.progress("check", 0, total, f"Checking {format_count(total)} records…", force=True)
    terms = terms_lookup()
    if settings.OLS_URL:
        # Terms the records name that the table lacks: asked of OLS (and kept) first.
        from validation.engine import documents_term_ids
        from validation.ols import terms_fill_missing

        named = documents_term_ids(b.document for b in submission_documents(submission=submission))
        if terms_fill_missing(named - set(terms)):
            terms = terms_lookup()
    known = set(
        Animal.objects.filter(owner=submission.owner, accession__isnull=False)
        .exclude(submission=submission)
        .values_list("accession", flat=True)
    )
    index: dict[str, tuple] = {}  # document name → (kind, pk, import notes)

    def documents():
        for done, built in enumerate(submission_documents(submission=submission), start=1):
            name = built.document["name"]
            if name in index:  # an animal and a sample of one name: both are checked
                name = built.document["name"] = f"{name} ({built.kind})"
            index[name] = (built.kind, built.pk, built.import_notes)
            if done % _PROGRESS_EVERY == 0:
                text = f"Checking the records: {format_count(done)} of {format_count(total)}"
                run.progress("check", done, total, text)
            yield built.document

    ruleset = ruleset_default()
    found = documents_check(documents(), terms=terms, known_accessions=known, ruleset=ruleset)
    run.progress("write", 0, total, "Saving the results…", force=True)
    now = timezone.now()
    message, result = _results_write(submission, found, index, ruleset.version, now, run.task)
    run.succeed(message, result=result)
    if result["rewritten"] >= _VACUUM_AFTER:
        _records_vacuum()


# Records whose status a validation rewrote, from which the tables are vacuumed at once.
_VACUUM_AFTER = 10_000


def _records_vacuum() -> None:
    """VACUUM (and ANALYZE) the record tables after many statuses were rewritten: each
    update leaves a dead row and clears the page's visible flag, and until autovacuum
    comes by the tables read every page of ids from the heap (a last page of 200,000
    samples: 24 ms after, 180 ms before). Outside any transaction, as VACUUM must be."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) uid_animal, uid_sample")


def _import_findings(kind: str, notes: list) -> list[tuple[str, str, str, str]]:
    """Findings of what an import kept as the file gave it where the record holds
    something else (a dictionary term): the curator should look at the supplied value."""
    from validation.registry import by_field

    found = []
    for note in notes or ():
        if note.get("kind") != "kept" or note.get("stored") == note.get("supplied"):
            continue
        attribute = by_field(kind, note.get("field", ""))
        field = attribute.name if attribute is not None else note.get("field", "")
        found.append((
            "Warning", field,
            f"the file said “{note.get('supplied')}”, which is not an IMAGE value; the record "
            f"holds “{note.get('stored')}” until you correct it",
            "import",
        ))  # fmt: skip
    return found


def _results_write(submission, found: dict, index: dict, version: str, now, task):
    """Store the results with bulk writes and set the records' status; return the task's
    message and result."""
    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef

    from uid.models import Animal, Sample, Status
    from uid.services.tasks import format_count, submission_status_refresh
    from validation.models import Finding, RecordResult, SubmissionValidation

    numbers: dict[tuple, int] = {}
    # The engine hands the same finding object to every record that has it (a missing
    # submitter's name, say): its number is looked up once per object, not per record.
    by_object: dict[int, int] = {}
    severity_of: dict[int, str] = {}  # number → severity
    per_kind: tuple[list[int], list[int]] = ([], [])  # number - 1 → animals / samples
    counts = {"animals": {"Pass": 0, "Warning": 0, "Error": 0},
              "samples": {"Pass": 0, "Warning": 0, "Error": 0}}  # fmt: skip
    lines = []  # the results as COPY text rows
    prefix = f"{submission.pk}\t"

    def number_of(key: tuple) -> int:
        number = numbers.get(key)
        if number is None:
            number = numbers[key] = len(numbers) + 1
            severity_of[number] = key[0]
            per_kind[0].append(0)
            per_kind[1].append(0)
        return number

    for name, findings in found.items():
        kind, pk, notes = index[name]
        own = []
        for finding in findings:
            number = by_object.get(id(finding))
            if number is None:
                key = (finding.severity, finding.field, finding.message, finding.source)
                number = by_object[id(finding)] = number_of(key)
            own.append(number)
        own.extend(number_of(key) for key in _import_findings(kind, notes))
        own = list(dict.fromkeys(own))
        tally = per_kind[0 if kind == "animal" else 1]
        for number in own:
            tally[number - 1] += 1
        severities = {severity_of[number] for number in own}
        status = "Error" if "Error" in severities else "Warning" if severities else "Pass"
        counts[f"{kind}s"][status] += 1
        lines.append(f"{prefix}{kind}\t{pk}\t{status}\t{{{','.join(map(str, own))}}}\n")
    with transaction.atomic():
        results_clear(submission_id=submission.pk)
        validation = SubmissionValidation.objects.create(
            submission=submission, validated_at=now, ruleset_version=version, counts=counts,
            task=task,
        )  # fmt: skip
        Finding.objects.bulk_create(
            [
                Finding(
                    validation=validation,
                    number=number,
                    severity=key[0],
                    field=key[1],
                    message=key[2],
                    source=key[3],
                    animals=per_kind[0][number - 1],
                    samples=per_kind[1][number - 1],
                )  # fmt: skip
                for key, number in numbers.items()
            ],
            batch_size=5_000,
        )
        table = RecordResult._meta.db_table
        with connection.cursor() as cursor:
            copy_sql = f"COPY {table} (submission_id, kind, record_id, status, findings) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                # Rows as COPY's text, written in large pieces: far quicker than
                # psycopg adapting 300,000 Python rows with their arrays one by one.
                for start in range(0, len(lines), _COPY_LINES):
                    copy.write("".join(lines[start : start + _COPY_LINES]))
        # Records in BioSamples (submitted, completed) keep their status unless they fail;
        # a record already in the right status is not written again.
        rewritten = 0
        for model, kind in ((Animal, "animal"), (Sample, "sample")):
            records = model.objects.filter(submission=submission)
            # EXISTS, not IN: PostgreSQL plans NOT IN over 200,000 ids as a loop per row.
            failed = Exists(
                RecordResult.objects.filter(kind=kind, record_id=OuterRef("pk"), status="Error")
            )
            rewritten += (
                records.filter(failed)
                .exclude(status=Status.NEED_REVISION)
                .update(status=Status.NEED_REVISION)
            )
            rewritten += records.filter(
                ~failed, status__in=(Status.LOADED, Status.NEED_REVISION)
            ).update(status=Status.READY)
        status = submission_status_refresh(submission_id=submission.pk)
    errors = counts["animals"]["Error"] + counts["samples"]["Error"]
    warnings = counts["animals"]["Warning"] + counts["samples"]["Warning"]
    total = len(lines)
    message = (
        f"Checked {format_count(total)} records: {format_count(total - errors - warnings)} pass, "
        f"{format_count(warnings)} with warnings only, {format_count(errors)} with errors."
    )
    message += (
        " Correct the errors, then validate again."
        if errors
        else " The submission is ready for BioSamples."
    )
    return message, {"counts": counts, "status": status, "ruleset": version,
                     "rewritten": rewritten}  # fmt: skip
