"""Reads of the validation app's tables."""

from __future__ import annotations

from collections.abc import Iterable

from validation.models import OntologyTerm
from validation.terms import TermInfo


def terms_lookup(*, term_ids: Iterable[str] | None = None) -> dict[str, TermInfo]:
    """The term table as the engine reads it, in one query: the given ids, or every term.

    Ids the table lacks are simply absent (the engine warns that they cannot be verified).
    """
    rows = OntologyTerm.objects.all()
    if term_ids is not None:
        rows = rows.filter(id__in=set(term_ids))
    return {
        term: TermInfo(
            id=term,
            label=label,
            synonyms=tuple(synonyms or ()),
            ancestors=frozenset(ancestors or ()),
            obsolete=obsolete,
        )
        for term, label, synonyms, ancestors, obsolete in rows.values_list(
            "id", "label", "synonyms", "ancestors", "obsolete"
        )
    }


def record_validation(*, kind: str, record) -> dict | None:
    """What the last validation of its submission found of one record, as the pages and
    the API show it: ``{"status", "stale", "findings": [{"severity", "field", "message"}]}``
    (Errors first); None before any validation of it. ``stale``: changed by hand since."""
    return records_validation(kind=kind, records=[record]).get(record.pk)


def records_validation(*, kind: str, records) -> dict[int, dict]:
    """``record_validation`` of many records of one submission at once (a page of a
    table or of the API): three queries, whatever their number."""
    from validation.models import Finding, RecordResult, SubmissionValidation

    records = list(records)
    if not records:
        return {}
    validation = SubmissionValidation.objects.filter(submission_id=records[0].submission_id).first()
    if validation is None:
        return {}
    results = {
        record_id: (status, numbers)
        for record_id, status, numbers in RecordResult.objects.filter(
            kind=kind, record_id__in=[r.pk for r in records]
        ).values_list("record_id", "status", "findings")
    }
    wanted = {number for _, numbers in results.values() for number in numbers}
    findings = {
        f.number: f for f in Finding.objects.filter(validation=validation, number__in=wanted)
    }
    shown = {}
    for record in records:
        if record.pk not in results:
            continue
        status, numbers = results[record.pk]
        own = sorted((findings[n] for n in numbers if n in findings),
                     key=lambda f: (f.severity != "Error", f.field, f.number))  # fmt: skip
        shown[record.pk] = {
            "status": status,
            "stale": bool(record.edited_at and record.edited_at > validation.validated_at),
            "findings": [
                {"severity": f.severity, "field": f.field, "message": f.message} for f in own
            ],
        }
    return shown


def validation_summary(*, submission, findings_limit: int | None = None) -> dict:
    """The submission's last validation as the page and the API show it: when, with which
    ruleset, the counts, how many records changed since, and the findings grouped by
    message (Errors first, then by how many records have them)."""
    from django.db.models import Case, F, When

    from uid.models import Animal, Sample
    from validation.models import SubmissionValidation

    validation = SubmissionValidation.objects.filter(submission=submission).first()
    if validation is None:
        return {"validated_at": None, "ruleset_version": None, "counts": None,
                "stale_records": 0, "findings": []}  # fmt: skip
    stale = sum(
        model.objects.filter(submission=submission, edited_at__gt=validation.validated_at).count()
        for model in (Animal, Sample)
    )
    errors_first = Case(When(severity="Error", then=0), default=1)
    findings = validation.findings.order_by(
        errors_first, (F("animals") + F("samples")).desc(), "number"
    )
    if findings_limit is not None:
        findings = findings[:findings_limit]
    return {
        "validated_at": validation.validated_at,
        "ruleset_version": validation.ruleset_version,
        "counts": validation.counts,
        "stale_records": stale,
        "findings": list(
            findings.values(
                "number", "severity", "field", "message", "source", "animals", "samples"
            )
        ),
    }


# Where a finding is mended when it is not a record's own value.
_ELSEWHERE = (
    ("Person ", "profile", "your profile"),
    ("Organization ", "uid:submission_edit", "the submission's organisation"),
    ("Submission ", "uid:submission_edit", "the submission's details"),
    ("Gene bank ", "uid:submission_edit", "the submission's details"),
    ("Data source type", "uid:submission_edit", "the submission's details"),
    ("Data source version", "uid:submission_edit", "the submission's details"),
)


def finding_fix(*, submission, finding: dict) -> dict:
    """Where the curator mends a finding: ``{"where": "form"|"records"|"elsewhere",
    "url", "label", "kind"}``. A record's own value is corrected in a form of the records
    that have it; a relationship or context finding by opening those records; what
    describes the submitter or the submission on its own page."""
    from django.urls import reverse

    from uid.services.batch import batch_fields
    from validation import registry

    for prefix, url_name, label in _ELSEWHERE:
        if finding["field"].startswith(prefix):
            args = [] if url_name == "profile" else [submission.pk]
            return {"where": "elsewhere", "url": reverse(url_name, args=args), "label": label,
                    "kind": ""}  # fmt: skip
    kind = "animals" if finding["animals"] else "samples"
    try:
        attribute = registry.attribute(finding["field"])
    except KeyError:
        attribute = None
    field = attribute.field(kind[:-1]) if attribute is not None else None
    settable = field in batch_fields(kind=kind, submission=submission, user=submission.owner)
    if settable and finding["source"] != "context":
        url = reverse("uid:submission_finding", args=[submission.pk, finding["number"]])
        return {"where": "form", "url": f"{url}?kind={kind}", "label": "correct them",
                "kind": kind}  # fmt: skip
    url = reverse(f"uid:submission_{kind}", args=[submission.pk])
    from urllib.parse import urlencode

    return {"where": "records", "url": f"{url}?{urlencode({'finding': finding['message']})}",
            "label": f"open the {kind}", "kind": kind}  # fmt: skip
