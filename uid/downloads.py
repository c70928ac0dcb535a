"""Downloads of private files, shared by the REST API and the pages.

Callers find the object through an owner-filtered query first (an outsider gets 404);
this module only decides how the bytes leave: behind nginx by X-Accel-Redirect when the
file lies in PROTECTED_ROOT (nginx serves its internal /protected/ location, aliased to
that folder), else streamed by Django from the storage (development, and S3-compatible
storage, whose objects nginx cannot see).
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from uid.models import Submission, SubmissionFile


def protected_file_response(*, storage, name: str, filename: str) -> HttpResponseBase:
    """``name`` of ``storage`` as an attachment called ``filename``."""
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.USE_X_ACCEL_REDIRECT and _in_protected_root(storage):
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


def _in_protected_root(storage) -> bool:
    """Whether ``storage`` keeps its files in the folder nginx serves as /protected/."""
    if not isinstance(storage, FileSystemStorage):
        return False
    return Path(storage.location).resolve() == Path(settings.PROTECTED_ROOT).resolve()


def submission_file_response(*, submission: Submission) -> HttpResponseBase:
    """The upload the records of ``submission`` came from (else its latest), as uploaded."""
    if submission.records_file_id is not None:
        return kept_file_response(kept=submission.records_file)
    if not submission.file:
        raise Http404("this submission has no file")
    name = submission.file.name
    return protected_file_response(
        storage=submission.file.storage,
        name=name,
        filename=submission.file_name or posixpath.basename(name),
    )


def kept_file_response(*, kept: SubmissionFile) -> HttpResponseBase:
    """One of a submission's uploads under the name it was uploaded with."""
    return protected_file_response(
        storage=kept.file.storage, name=kept.file.name, filename=kept.name
    )
