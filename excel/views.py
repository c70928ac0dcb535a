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


@login_required
@require_GET
def submission_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission's records (those a table's filters select, with the animals, samples
    and parents they need) in a filled IMAGE template, which imports again as it is."""
    import io

    from uid import selectors
    from uid.exports import records_for_export

    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    kind = "samples" if request.GET.get("kind") == "samples" else "animals"
    query = request.GET.copy()
    query.pop("kind", None)
    animals, samples = selectors.submission_records_for_file(
        submission=submission, kind=kind, query=query
    )
    animals, samples = records_for_export(
        submission_id=submission.pk, animals=animals, samples=samples
    )
    buffer = io.BytesIO()
    template_write(buffer, animals=animals, samples=samples)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="submission-{pk}.xlsx"'
    return response
