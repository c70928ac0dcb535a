"""Refuse an upload over the size limit while it streams in, not after it is on disk."""

from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a request's files once they pass settings.UPLOAD_MAX_BYTES.

    It marks the request (``upload_too_large``) so that the view can say why the file
    is missing; the rest of the body is skipped without being stored.
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        request.upload_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body much larger than the limit is refused before any of it is read.
        if content_length and content_length > self.limit + 1024 * 1024:
            self.request.upload_too_large = True
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int):
        if self.request.upload_too_large or start + len(raw_data) > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int):
        return None


def upload_limit_install(request) -> None:
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))


def upload_limited(view):
    """Decorate a view that takes an upload: the size limit is checked as the body streams.

    The handler must be in place before anything reads the body, and the CSRF check reads
    it: so the check is made inside, after the handler is installed.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        upload_limit_install(request)
        return protected(request, *args, **kwargs)

    return wrapper


def limit_message() -> str:
    return f"The file is larger than the limit of {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB."
