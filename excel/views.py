"""Pages of the Excel app: the empty IMAGE template, for download."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from excel.template import TEMPLATE_FILENAME, XLSX_CONTENT_TYPE, template_bytes


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The empty IMAGE template (generated from the ruleset) as IMAGE_template.xlsx."""
    response = HttpResponse(template_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    return response
