"""Downloads of private files, shared by the REST API and the pages.

Callers find the object through an owner-filtered query first (an outsider gets 404);
this module only decides how the bytes leave: behind nginx by X-Accel-Redirect (nginx
serves its internal /protected/ location, aliased to PROTECTED_ROOT), else streamed by
Django from the storage (which also covers S3-compatible storage).
"""

from __future__ import annotations

import mimetypes
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from uid.models import Submission


def protected_file_response(*, storage, name: str, filename: str) -> HttpResponseBase:
    """``name`` of ``storage`` as an attachment called ``filename``."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.USE_X_ACCEL_REDIRECT:
        # Empty body: nginx replaces it with the file and keeps these headers.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PROTECTED_URL + quote(name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    try:
        stream = storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404("the file is missing from the storage") from exc
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=content_type)


def submission_file_response(*, submission: Submission) -> HttpResponseBase:
    """The original upload of ``submission`` under the name it was uploaded with."""
    if not submission.file:
        raise Http404("this submission has no file")
    name = submission.file.name
    return protected_file_response(
        storage=submission.file.storage,
        name=name,
        filename=submission.file_name or posixpath.basename(name),
    )
