"""Pages of the Excel app: the empty IMAGE template, and a submission's records in it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from excel.template import TEMPLATE_FILENAME, XLSX_CONTENT_TYPE, template_bytes, template_write


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The empty IMAGE template (generated from the ruleset) as IMAGE_template.xlsx."""
    response = HttpResponse(template_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    return response


def submission_template_export(submission, query) -> tuple[bytes, str, str]:
    """A submission's records (those ``query``'s filters select, with the animals, samples
    and parents they need) in a filled IMAGE template, which imports again as it is."""
    import io

    from uid import selectors
    from uid.exports import records_for_export

    kind = "samples" if query.get("kind") == "samples" else "animals"
    query = query.copy()
    query.pop("kind", None)
    animals, samples = selectors.submission_records_for_file(
        submission=submission, kind=kind, query=query
    )
    animals, samples = records_for_export(
        submission_id=submission.pk, animals=animals, samples=samples
    )
    buffer = io.BytesIO()
    template_write(buffer, animals=animals, samples=samples)
    return buffer.getvalue(), XLSX_CONTENT_TYPE, f"submission-{submission.pk}.xlsx"


@login_required
@require_GET
def submission_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The records a table's filters select, as a filled IMAGE template."""
    from uid import selectors

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    body, content_type, name = submission_template_export(submission, request.GET)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
