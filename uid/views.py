"""Submission pages: thin views over uid.services and uid.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from biosample.services import SUBMIT_FROM
from uid import forms, selectors
from uid.filters import AnimalFilter, SampleFilter
from uid.models import TaskKind, TaskState
from uid.services import submissions, tasks
from uid.tables import PAGE_SIZES, AnimalTable, IdsFirstPaginator, SampleTable
from uid.uploads import limit_message, upload_limited
from validation.services import VALIDATE_FROM


def _after_upload(request: HttpRequest, url: str) -> HttpResponse:
    """Where the browser goes once an upload is in: a redirect, or, for the page's own
    upload script (which shows the upload's progress), that address as JSON, so that the
    script navigates there itself and the page shows the message set for it."""
    if request.headers.get("X-Upload-Progress"):
        return JsonResponse({"redirect": url})
    return redirect(url)


def _form_errors_from(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    items = selectors.submission_list(user=request.user)
    deleting = selectors.tasks_deleting(user=request.user)
    return render(request, "uid/submission_list.html", {"submissions": items, "deleting": deleting})


@login_required
@upload_limited
def submission_create(request: HttpRequest) -> HttpResponse:
    initial = selectors.submission_form_defaults(user=request.user)
    form = forms.SubmissionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            form.add_error("file", limit_message())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                submission = submissions.submission_create(owner=request.user, **data)
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.info(request, "Your file is uploaded; the import has started.")
                url = reverse("uid:submission_detail", args=[submission.pk])
                return _after_upload(request, url)
    template_url = reverse("excel:template_download")
    return render(request, "uid/submission_form.html", {"form": form, "template_url": template_url})


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    task = selectors.submission_task(submission=submission)
    stale = task is not None and tasks.task_is_stale(task=task)
    ended_badly = task is not None and task.state in (TaskState.FAILED, TaskState.INTERRUPTED)
    percent = tasks.task_percent(task) if task is not None else None
    events = selectors.submission_events(submission=submission)
    unknown_words = task.result.get("unknown_species_words", []) if ended_badly else []
    validation = _validation_shown(submission)
    context = {
        "submission": submission,
        "task": task,
        "task_percent": percent,
        "bar_class": "progress-start" if task is not None and task.is_active else "progress-full",
        # Retry where a new run may mend it (unknown words: once mapped, which retries);
        # a file the import refused needs a new file.
        "can_retry": stale
        or (ended_badly and task.retryable and task.kind == TaskKind.IMPORT and not unknown_words),
        "needs_new_file": ended_badly and not task.retryable,
        "unknown_words": unknown_words,
        "record_counts": selectors.submission_record_counts(submission=submission),
        "edited_count": selectors.submission_edited_count(submission=submission),
        "status_counts": selectors.submission_status_counts(submission=submission),
        "charts": selectors.records_charts(submission=submission),
        "validation": validation,
        "can_validate": submission.status in VALIDATE_FROM,
        # Validated records can go (those with errors stay behind).
        "can_submit": bool(validation["validated_at"]) and submission.status in SUBMIT_FROM,
        # A submit the Webin token's expiry stopped: sign in again and go on.
        "submit_stopped": ended_badly
        and task.kind == TaskKind.SUBMIT
        and bool(task.result.get("token_expired")),
        "in_biosamples": _in_biosamples(submission),
        "events": events[:10],
        "events_total": events.count(),
        "reload_form": forms.ReloadForm(),
        "files": selectors.submission_files(submission=submission),
    }
    return render(request, "uid/submission_detail.html", context)


_FINDINGS_SHOWN = 15


def _validation_shown(submission) -> dict:
    """The last validation's summary for the page, each finding with where it is mended."""
    from validation.selectors import finding_fix, validation_summary

    summary = validation_summary(submission=submission, findings_limit=_FINDINGS_SHOWN + 1)
    findings = summary["findings"]
    summary["more_findings"] = len(findings) > _FINDINGS_SHOWN
    summary["findings"] = [
        finding | {"fix": finding_fix(submission=submission, finding=finding)}
        for finding in findings[:_FINDINGS_SHOWN]
    ]
    if summary["counts"]:
        summary["errors"] = sum(counts["Error"] for counts in summary["counts"].values())
        summary["warnings"] = sum(counts["Warning"] for counts in summary["counts"].values())
        summary["passes"] = sum(counts["Pass"] for counts in summary["counts"].values())
    return summary


@login_required
@require_POST
def submission_validate(request: HttpRequest, pk: int) -> HttpResponse:
    from validation.services import submission_validate_start

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    try:
        submission_validate_start(submission=submission, user=request.user)
    except submissions.SubmissionStateError as exc:
        messages.error(request, str(exc).capitalize() + ".")
    else:
        messages.info(request, "The validation has started; its progress is below.")
    return redirect("uid:submission_detail", pk=pk)


_FIX_PAGE = 50


@login_required
def submission_finding(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The records one validation message names, each with an input for the field it is
    about, and "set all to": mend them all in one request."""
    from urllib.parse import urlencode

    from django.core.paginator import Paginator

    from uid.services import batch
    from validation.models import Finding
    from validation.registry import attribute

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    finding = Finding.objects.filter(validation__submission=submission, number=number).first()
    if finding is None:
        raise Http404("no such finding")
    kind = "samples" if request.GET.get("kind") == "samples" or not finding.animals else "animals"
    fields = batch.batch_fields(kind=kind, submission=submission, user=request.user)
    try:
        field = attribute(finding.field).field(kind[:-1])
    except KeyError:
        field = None
    if field not in fields:
        raise Http404("this finding is not mended by a value of the records")
    query = urlencode({"finding": finding.message})
    records = selectors.submission_records_filtered(
        submission=submission, kind=kind, query=QueryDict(query)
    ).order_by("name", "pk")
    page = Paginator(records, _FIX_PAGE).get_page(request.GET.get("page"))
    here = f"{request.path}?kind={kind}&page={page.number}"
    forms_by_record = {}
    errors: dict[int, list[str]] = {}
    if request.method == "POST" and request.POST.get("action") == "all":
        try:
            outcome = batch.batch_start(
                submission=submission, kind=kind, action=batch.SET, user=request.user,
                query=query, field=field, value=request.POST.get("all-value"),
            )  # fmt: skip
        except tasks.SubmissionBusy as exc:
            messages.error(request, str(exc).capitalize() + ".")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.message_dict.get(field, exc.messages)))
        else:
            if outcome.task is not None:
                messages.info(request, "The change has started; its progress is below.")
                return redirect("uid:submission_detail", pk=pk)
            messages.success(request, outcome.message + " Validate again to check them.")
            return redirect(here)
    elif request.method == "POST":
        values = {
            record.pk: request.POST.get(f"{record.pk}-value", "") for record in page.object_list
        }
        try:
            changed = batch.records_values_set(
                submission=submission, kind=kind, field=field, values=values, user=request.user
            )
        except tasks.SubmissionBusy as exc:
            messages.error(request, str(exc).capitalize() + ".")
        except batch.RecordErrors as exc:
            errors = exc.errors
            messages.error(request, "Nothing is saved: correct the values marked below.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Saved: {changed} {kind if changed != 1 else kind[:-1]} changed. "
                "Validate again to check them.",
            )
            return redirect(here)
    data = request.POST if request.method == "POST" and "action" not in request.POST else None
    column = field + ("_id" if records.model._meta.get_field(field).is_relation else "")
    for record in page.object_list:
        initial = {"value": getattr(record, column)}
        form = forms.batch_value_form(fields[field], data, prefix=str(record.pk), initial=initial)
        if record.pk in errors:
            form.add_error(None, errors[record.pk])
        forms_by_record[record.pk] = form
    context = {
        "submission": submission,
        "finding": finding,
        "kind": kind,
        "field_label": fields[field].label,
        "page": page,
        "rows": [
            (record, getattr(record, field) or "", forms_by_record[record.pk])
            for record in page.object_list
        ],
        "all_form": forms.batch_value_form(fields[field], prefix="all"),
        "all_label": f"Set all {fields[field].label.lower()} to",
        "records_url": reverse(f"uid:submission_{kind}", args=[pk]) + f"?{query}",
        "busy": selectors.submission_task(submission=submission),
    }
    return render(request, "uid/submission_finding.html", context)


@login_required
def submission_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """Every entry of the submission's timeline, newest first, 50 a page."""
    from django.core.paginator import Paginator

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    events = selectors.submission_events(submission=submission)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "uid/submission_timeline.html", {"submission": submission, "page": page})


_RECORD_KINDS = {"animals": (AnimalFilter, AnimalTable), "samples": (SampleFilter, SampleTable)}


@login_required
def submission_records(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A table of the submission's animals or samples: search, filter, sort, page."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    filter_class, table_class = _RECORD_KINDS[kind]
    records = selectors.submission_records(submission=submission, kind=kind)
    found = filter_class(request.GET or None, queryset=records)
    table = table_class(found.qs if found.is_bound and found.is_valid() else records)
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    record_counts = selectors.submission_record_counts(submission=submission)
    paginate = {"per_page": per_page, "paginator_class": IdsFirstPaginator}
    filtered = found.is_bound and found.is_valid() and found.form.has_changed()
    if not filtered:
        paginate["count"] = record_counts[kind]  # all of them: counted already
    else:
        paginate["one_pass"] = bool(found.form.cleaned_data.get("search"))
    RequestConfig(request, paginate=paginate).configure(table)
    from validation.selectors import records_validation

    table.validation = records_validation(
        kind=kind[:-1], records=[row.record for row in table.page.object_list]
    )
    context = {
        "submission": submission,
        "kind": kind,
        "filter": found,
        "filtered": filtered,
        "table": table,
        "choices": [
            {
                "name": name,
                "label": name.replace("_", " ").capitalize(),
                "values": [
                    (v, v.casefold() == request.GET.get(name, "").casefold()) for v in values
                ],
            }
            for name, values in selectors.submission_record_choices(
                submission=submission, kind=kind
            ).items()
        ],
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "record_counts": record_counts,
        # The filters alone (not the page, its size or the sort): what a batch works on.
        "filter_query": _filter_query(request.GET),
        "busy": selectors.submission_task(submission=submission),
    }
    return render(request, "uid/submission_records.html", context)


def _filter_query(query) -> str:
    kept = query.copy()
    for name in ("page", "per_page", "sort"):
        kept.pop(name, None)
    return kept.urlencode()


@login_required
def submission_record(request: HttpRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    """One animal or sample: what it holds, what its import noted, what its validation
    found, and its edit form."""
    from uid.services import records as record_services
    from validation.selectors import record_validation

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    record = selectors.submission_record_get(submission=submission, kind=kind, pk=record_pk)
    data = request.POST if request.method == "POST" else None
    initial = forms.record_form_initial(record, kind)
    if kind == "animals":
        form = forms.AnimalForm(data, initial=initial, animal=record, user=request.user)
    else:
        form = forms.SampleForm(data, initial=initial, sample=record)
    if request.method == "POST" and form.is_valid():
        was = record.get_status_display()
        try:
            record_services.record_update(record=record, user=request.user, **form.cleaned_data)
        except submissions.SubmissionStateError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            text = f"“{record.name}” is saved."
            if record.status == "need_revision" and was != record.get_status_display():
                text += f" It was {was.lower()}; it now needs revision (validate it again)."
            messages.success(request, text)
            return redirect(request.path)
    context = {
        "submission": submission,
        "record": record,
        "kind": kind,
        "form": form,
        "busy": selectors.submission_task(submission=submission),
        "validation": record_validation(kind=kind[:-1], record=record),
        "biosample_link": _link_of(kind[:-1], record),
    }
    return render(request, "uid/submission_record.html", context)


def _in_biosamples(submission) -> dict | None:
    """The submission's records in BioSamples by what the last comparison saw (None: none
    are there)."""
    from django.db.models import Count

    from biosample.models import SampleLink

    found = dict(
        SampleLink.objects.filter(submission=submission, accession__isnull=False)
        .values_list("remote_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    if not found:
        return None
    return {"same": found.get("same", 0), "drift": found.get("drift", 0),
            "lost": found.get("lost", 0)}  # fmt: skip


def _link_of(kind: str, record):
    from biosample.models import SampleLink
    from biosample.services import environment

    return SampleLink.objects.filter(
        kind=kind, record_id=record.pk, environment=environment()
    ).first()


_NAMES_SHOWN = 30


@login_required
@require_POST
def submission_records_batch(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Change or delete the records ticked in a table, or all that its filters select:
    pick the field and its value (or see what a delete takes with it), then confirm."""
    from uid.services import batch

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    table_url = reverse(f"uid:submission_{kind}", args=[pk])
    query = request.POST.get("query", "")
    back = f"{table_url}?{query}" if query else table_url
    action = request.POST.get("action")
    every = request.POST.get("scope") == "all"
    ids = None if every else [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if action not in (batch.SET, batch.DELETE):
        return redirect(back)
    if ids == []:
        messages.error(request, f"Tick the {kind} to change first, or choose “all that match”.")
        return redirect(back)
    records = batch.batch_records(submission=submission, kind=kind, ids=ids, query=query)
    fields = batch.batch_fields(kind=kind, submission=submission, user=request.user)
    field = request.POST.get("field", "")
    value_form = None
    if action == batch.SET and field in fields:
        data = request.POST if "apply" in request.POST else None
        value_form = forms.batch_value_form(fields[field], data)
    if "apply" in request.POST and (action == batch.DELETE or value_form is not None):
        value = request.POST.get("value")
        try:
            outcome = batch.batch_start(
                submission=submission, kind=kind, action=action, user=request.user, ids=ids,
                query=query, field=field, value=value,
            )  # fmt: skip
        except tasks.SubmissionBusy as exc:
            messages.error(request, str(exc).capitalize() + ".")
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                if value_form is not None:
                    value_form.add_error("value" if name == field else None, errors)
                else:
                    messages.error(request, " ".join(errors))
        else:
            if outcome.task is not None:
                messages.info(request, "The batch change has started; its progress is below.")
                return redirect("uid:submission_detail", pk=pk)
            messages.success(request, outcome.message)
            return redirect(back)
    context = {
        "submission": submission,
        "kind": kind,
        "action": action,
        "every": every,
        "ids": ids or [],
        "query": query,
        "back": back,
        "count": records.count(),
        "names": list(records.order_by("name").values_list("name", flat=True)[:_NAMES_SHOWN]),
        "field": field if field in fields else "",
        "field_choices": [(name, f.label) for name, f in fields.items()],
        "value_form": value_form,
        "preview": batch.batch_delete_preview(records=records, kind=kind)
        if action == batch.DELETE
        else None,
        "accessioned": list(
            records.filter(accession__isnull=False)
            .exclude(accession="")
            .values_list("pk", flat=True)
        )
        if action == batch.DELETE
        else [],
        "busy": selectors.submission_task(submission=submission),
    }
    return render(request, "uid/submission_batch.html", context)


@login_required
def submission_animal_lookup(request: HttpRequest, pk: int) -> JsonResponse:
    """The animals a parent or animal field may name, for the text typed (JSON)."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    found = selectors.animals_lookup(
        submission=submission, text=request.GET.get("q", ""), sex=request.GET.get("sex", "")
    )
    return JsonResponse({"results": found})


@login_required
def submission_records_csv(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The records a table's filters select, as CSV (formula-safe)."""
    from django.http import StreamingHttpResponse

    from uid.exports import records_csv

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    records = selectors.submission_records_filtered(
        submission=submission, kind=kind, query=request.GET
    )
    response = StreamingHttpResponse(
        records_csv(records, kind=kind, submission_id=submission.pk),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="submission-{pk}-{kind}.csv"'
    return response


@login_required
def task_problems(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Every problem a failed import found, as CSV: row, line, sheet, column, value, problem."""
    from uid.exports import problems_csv

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    task = selectors.submission_task_get(submission=submission, pk=task_pk)
    if not task.result.get("problems"):
        raise Http404("no problems listed")
    response = HttpResponse("".join(problems_csv(task)), content_type="text/csv; charset=utf-8")
    name = f"submission-{pk}-problems.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner changes what describes a submission (not its data source type)."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    initial = {name: getattr(submission, name) for name in submissions.EDITABLE_FIELDS}
    form = forms.SubmissionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submissions.submission_update(
                submission=submission, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "The submission's details are saved.")
            return redirect("uid:submission_detail", pk=pk)
    return render(request, "uid/submission_edit.html", {"submission": submission, "form": form})


@login_required
@require_POST
def submission_retry(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    try:
        submissions.submission_retry(submission=submission)
    except submissions.SubmissionStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, "The import was queued again.")
    return redirect("uid:submission_detail", pk=pk)


@login_required
@require_POST
@upload_limited
def submission_reload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    form = forms.ReloadForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        messages.error(request, limit_message())
    elif not form.is_valid():
        messages.error(request, "Choose a file to import.")
    else:
        try:
            submissions.submission_reload(
                submission=submission, file=form.cleaned_data["file"], user=request.user,
                overwrite_edits=form.cleaned_data["overwrite_edits"],
            )  # fmt: skip
        except submissions.SubmissionStateError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.info(request, "The new file is uploaded; the import has started.")
    return _after_upload(request, reverse("uid:submission_detail", args=[pk]))


@login_required
@require_POST
def submission_delete(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    try:
        submissions.submission_delete(submission=submission, user=request.user)
    except submissions.SubmissionStateError as exc:
        messages.error(request, str(exc))
        return redirect("uid:submission_detail", pk=pk)
    messages.info(
        request,
        f"“{submission.title}” is being deleted with its records and files; "
        "it is gone from your lists.",
    )
    return redirect("uid:submission_list")


@login_required
def submission_file(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    if not submission.file:
        raise Http404("no file")
    from uid.downloads import submission_file_response

    return submission_file_response(submission=submission)


@login_required
def submission_kept_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """Any of the submission's uploads, for its owner."""
    from uid.downloads import kept_file_response

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    kept = selectors.submission_file_get(submission=submission, pk=file_pk)
    return kept_file_response(kept=kept)
