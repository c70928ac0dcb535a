"""REST API of uid: tokens, submissions (upload, status, retry, reload, delete, file), records.

Views are thin: they check the request, call one service and shape the answer. Every
query starts from the user's own rows, so another user's objects answer 404.
"""

from __future__ import annotations

import json

from allauth.account.adapter import get_adapter
from allauth.account.utils import has_verified_email
from csp.decorators import csp_update
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, QuerySet, When
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotAuthenticated, NotFound, Throttled
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.authentication import ApiTokenAuthentication
from accounts.models import ApiToken
from accounts.tokens import token_create, token_revoke
from uid import selectors
from uid.downloads import kept_file_response, submission_file_response
from uid.filters import AnimalFilter, SampleFilter
from uid.models import Animal, Sample, Submission
from uid.serializers import (
    AnimalSerializer,
    BatchRequestSerializer,
    BatchResultSerializer,
    EventSerializer,
    KeptFileSerializer,
    SampleSerializer,
    SubmissionCreateSerializer,
    SubmissionReloadSerializer,
    SubmissionSerializer,
    SubmissionUpdateSerializer,
    TaskSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    ValidationSummarySerializer,
)
from uid.services.submissions import (
    SubmissionStateError,
    submission_create,
    submission_delete,
    submission_reload,
    submission_retry,
    submission_update,
)

# Room for the form fields and multipart boundaries around the file itself.
_MULTIPART_OVERHEAD = 1024 * 1024


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The submission is busy."
    default_code = "conflict"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is too large."
    default_code = "too_large"


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


def _refuse_oversized(request) -> None:
    """Answer 413 before the body is read when it cannot fit the upload limit."""
    limit = settings.UPLOAD_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit + _MULTIPART_OVERHEAD:
        raise PayloadTooLarge(
            f"The upload is {length} bytes; files are limited to {limit} bytes "
            f"({limit // (1024 * 1024)} MB)."
        )


def _service_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(serializers.as_serializer_error(exc))


# --- Tokens ----------------------------------------------------------------------------


class TokenThrottle(SimpleRateThrottle):
    """Slows password guessing on the token endpoint (per client address)."""

    scope = "auth-token"
    rate = "30/minute"

    def get_cache_key(self, request, view) -> str:
        # REMOTE_ADDR only: nginx's uwsgi_params set it to the client's address, while an
        # X-Forwarded-For header is whatever the client chose to send.
        ident = request.META.get("REMOTE_ADDR", "")
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenCreateView(APIView):
    """POST: trade a user name (or e-mail address) and password for a new API token.
    DELETE: revoke the token the request is made with."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[], tags=["auth"]
    )
    def post(self, request):
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        login = given.validated_data["username"]
        credentials = {"email": login} if "@" in login else {"username": login}
        try:
            # allauth's own authentication: the web log-in's per-account lockout counts
            # (and is counted by) these attempts too.
            user = get_adapter(request._request).authenticate(
                request._request, password=given.validated_data["password"], **credentials
            )
        except DjangoValidationError:
            raise Throttled(
                detail="Too many failed log-in attempts for this account. Try again later."
            ) from None
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with these credentials."]}
            )
        # The same rule as the web login: no access before the e-mail address is confirmed.
        if not has_verified_email(user):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        "Your e-mail address is not confirmed yet: follow the link in the "
                        "message we sent you, then try again."
                    ]
                }
            )
        token, key = token_create(user=user, name=given.validated_data["name"])
        return Response({"token": key, "expires_at": token.expires_at})

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise NotAuthenticated("Send the token to revoke in the Authorization header.")
        token_revoke(user=request.user, pk=request.auth.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Submissions -----------------------------------------------------------------------


def _owned_submission(request, submission_id: int) -> Submission:
    return get_object_or_404(
        Submission.objects.present().only("id"), pk=submission_id, owner=request.user
    )


class _DownloadRenderer(BaseRenderer):
    """Lets a client ask for the raw file (Accept: application/octet-stream)."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Only error answers reach a renderer: the file itself bypasses rendering.
        return json.dumps(data).encode()


_BUSY = OpenApiResponse(description="a task is working on the submission")


@extend_schema_view(
    list=extend_schema(summary="Your submissions, newest first"),
    retrieve=extend_schema(
        summary="A submission: its data status and counts, and its current task's progress"
    ),
    create=extend_schema(
        summary="Upload a file as a new submission; its import is queued",
        request={"multipart/form-data": SubmissionCreateSerializer},
        responses={
            201: SubmissionSerializer,
            413: OpenApiResponse(description="the file is over the upload limit"),
        },
    ),
    destroy=extend_schema(
        summary="Delete a submission with its records and files: it is gone at once, and the "
        "task this answers with removes it",
        responses={202: TaskSerializer, 409: _BUSY},
    ),
)
class SubmissionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SubmissionSerializer
    pagination_class = ApiPagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends: list = []
    lookup_value_converter = "int"

    def get_queryset(self) -> QuerySet[Submission]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Submission.objects.none()
        return selectors.submission_list(user=self.request.user).select_related("organisation")

    def get_serializer_class(self):
        if self.action == "create":
            return SubmissionCreateSerializer
        if self.action == "partial_update":
            return SubmissionUpdateSerializer
        if self.action == "reload":
            return SubmissionReloadSerializer
        return SubmissionSerializer

    def _answer(self, submission: Submission, code: int) -> Response:
        fresh = self.get_queryset().get(pk=submission.pk)
        return Response(
            SubmissionSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        summary="Change what describes a submission (not its data source type)",
        request=SubmissionUpdateSerializer,
        responses={200: SubmissionSerializer},
    )
    def partial_update(self, request, *args, **kwargs) -> Response:
        submission = self.get_object()
        given = SubmissionUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        try:
            submission_update(submission=submission, user=request.user, **given.validated_data)
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return self._answer(submission, status.HTTP_200_OK)

    def create(self, request, *args, **kwargs) -> Response:
        _refuse_oversized(request)
        given = SubmissionCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            submission = submission_create(owner=request.user, **given.validated_data)
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return self._answer(submission, status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs) -> Response:
        try:
            task = submission_delete(submission=self.get_object(), user=request.user)
        except SubmissionStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(TaskSerializer(task).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Queue the import again after it was interrupted or failed in a way a new run "
        "may mend (task.retryable)",
        request=None,
        responses={202: SubmissionSerializer, 409: _BUSY},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None) -> Response:
        submission = self.get_object()
        try:
            submission_retry(submission=submission, user=request.user)
        except SubmissionStateError as exc:
            raise Conflict(str(exc)) from exc
        return self._answer(submission, status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Import a new file into the submission",
        request={"multipart/form-data": SubmissionReloadSerializer},
        responses={202: SubmissionSerializer, 409: _BUSY},
    )
    @action(detail=True, methods=["post"])
    def reload(self, request, pk=None) -> Response:
        submission = self.get_object()
        _refuse_oversized(request)
        given = SubmissionReloadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            submission = submission_reload(
                submission=submission, file=given.validated_data["file"], user=request.user,
                overwrite_edits=given.validated_data["overwrite_edits"],
            )  # fmt: skip
        except SubmissionStateError as exc:
            raise Conflict(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return self._answer(submission, status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Download the file the records came from (else the latest upload)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="file",
        renderer_classes=[*viewsets.GenericViewSet.renderer_classes, _DownloadRenderer],
    )
    def file(self, request, pk=None):
        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        return submission_file_response(submission=submission)

    @extend_schema(
        summary="The submission's tasks (imports, ...), newest first",
        responses=TaskSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="tasks", pagination_class=None)
    def tasks(self, request, pk=None) -> Response:
        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        tasks = selectors.submission_tasks(submission=submission)
        return Response(TaskSerializer(tasks, many=True).data)

    @extend_schema(
        summary="Set one field, or delete, on records chosen by id or by filter (the edit "
        "form's rules); up to 1,000 records at once (200), more as a task (202)",
        request=BatchRequestSerializer,
        responses={200: BatchResultSerializer, 202: BatchResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path="records/batch", url_name="records-batch")
    def records_batch(self, request, pk=None) -> Response:
        from urllib.parse import urlencode

        from uid.services import batch

        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        given = BatchRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        query = None if data.get("filter") is None else urlencode(data["filter"])
        value = data.get("value")
        if data["action"] == "set":
            value = _term_id(data["kind"], data["field"], value, user=request.user)
            value = "" if value is None else value
        try:
            outcome = batch.batch_start(
                submission=submission, kind=data["kind"], action=data["action"],
                user=request.user, ids=data.get("ids"), query=query, field=data["field"],
                value=value,
            )  # fmt: skip
        except SubmissionStateError as exc:
            raise Conflict(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        code = status.HTTP_202_ACCEPTED if outcome.task is not None else status.HTTP_200_OK
        return Response(
            {"message": outcome.message,
             "task": TaskSerializer(outcome.task).data if outcome.task else None},
            status=code,
        )  # fmt: skip

    @extend_schema(
        summary="Validate the submission's records against the IMAGE rules (a task; 202)",
        request=None,
        responses={202: TaskSerializer, 409: OpenApiResponse(description="not allowed now")},
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None) -> Response:
        from validation.services import submission_validate_start

        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        try:
            task = submission_validate_start(submission=submission, user=request.user)
        except SubmissionStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(TaskSerializer(task).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The last validation: when, counts per result, and its findings grouped by "
        "message with how many animals and samples have each",
        responses=ValidationSummarySerializer,
    )
    @action(detail=True, methods=["get"], url_path="validation")
    def validation(self, request, pk=None) -> Response:
        from validation.selectors import validation_summary

        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        return Response(ValidationSummarySerializer(validation_summary(submission=submission)).data)

    @extend_schema(
        summary="The submission's timeline, newest first: each import, edit, batch change, "
        "validation and submission (what, who, when, outcome)",
        responses=EventSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="events")
    def events(self, request, pk=None) -> Response:
        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        page = self.paginate_queryset(selectors.submission_events(submission=submission))
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(
        summary="Every problem a failed import found, as CSV (row, line, sheet, column, "
        "value, problem)",
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="tasks/<int:task_id>/problems",
        url_name="task-problems",
        renderer_classes=[*viewsets.GenericViewSet.renderer_classes, _DownloadRenderer],
    )
    def task_problems(self, request, pk=None, task_id=None):
        from django.http import HttpResponse

        from uid.exports import problems_csv

        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        task = selectors.submission_task_get(submission=submission, pk=task_id)
        if not task.result.get("problems"):
            raise NotFound("this task listed no problems")
        response = HttpResponse("".join(problems_csv(task)), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="submission-{pk}-problems.csv"'
        return response

    @extend_schema(
        summary="The submission's records as a file: type=csv (kind=animals|samples) or "
        "xlsx (a filled IMAGE template); the records' filters (search, status, ...) apply",
        parameters=[
            OpenApiParameter("type", str, enum=["csv", "xlsx"], required=True),
            OpenApiParameter("kind", str, enum=["animals", "samples"]),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="export",
        renderer_classes=[*viewsets.GenericViewSet.renderer_classes, _DownloadRenderer],
    )
    def export(self, request, pk=None):
        from django.http import HttpResponse

        from uid.exports import export_types, exporter_for

        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        type_ = request.query_params.get("type", "")
        exporter = exporter_for(type_)
        if exporter is None:
            raise serializers.ValidationError({"type": [f"one of {', '.join(export_types())}"]})
        query = request.query_params.copy()
        query.pop("type", None)
        body, content_type, name = exporter(submission, query)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(
        summary="Every file uploaded into the submission, newest first",
        responses=KeptFileSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="files", pagination_class=None)
    def files(self, request, pk=None) -> Response:
        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        kept = selectors.submission_files(submission=submission).select_related("submission")
        return Response(KeptFileSerializer(kept, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Download one of the submission's files",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="files/<int:file_id>",
        url_name="kept-file",
        renderer_classes=[*viewsets.GenericViewSet.renderer_classes, _DownloadRenderer],
    )
    def kept_file(self, request, pk=None, file_id=None):
        submission = get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)
        kept = selectors.submission_file_get(submission=submission, pk=file_id)
        return kept_file_response(kept=kept)


# --- Records ---------------------------------------------------------------------------


class _SubmissionRecordList(generics.ListAPIView):
    pagination_class = ApiPagination
    model: type[Animal] | type[Sample]
    related: tuple[str, ...]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return self.model.objects.none()
        submission = _owned_submission(self.request, self.kwargs["submission_id"])
        return self.model.objects.filter(submission=submission).select_related(*self.related)

    def list(self, request, *args, **kwargs) -> Response:
        from validation.selectors import records_validation

        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # The page's validation results in three queries, not three a record.
        shown = records_validation(kind=self.model._meta.model_name, records=page)
        context = self.get_serializer_context() | {"validation": shown}
        return self.get_paginated_response(
            self.get_serializer(page, many=True, context=context).data
        )


@extend_schema_view(get=extend_schema(summary="The animals of a submission"))
class SubmissionAnimalList(_SubmissionRecordList):
    serializer_class = AnimalSerializer
    filterset_class = AnimalFilter
    model = Animal
    related = ("father", "mother", "breed", "species", "sex", "publication")


@extend_schema_view(get=extend_schema(summary="The samples of a submission"))
class SubmissionSampleList(_SubmissionRecordList):
    serializer_class = SampleSerializer
    filterset_class = SampleFilter
    model = Sample
    related = (
        "animal", "organism_part", "developmental_stage", "physiological_stage", "publication",
    )  # fmt: skip


class _RecordDetail(generics.RetrieveAPIView):
    """One of the user's records; PATCH changes it with the page's rules (its form's)."""

    http_method_names = ["get", "patch", "head", "options"]
    kind: str
    model: type[Animal] | type[Sample]
    related: tuple[str, ...]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return self.model.objects.none()
        present = Submission.objects.present().filter(owner=self.request.user)
        return self.model.objects.filter(submission__in=present).select_related(*self.related)

    def patch(self, request, *args, **kwargs) -> Response:
        from uid import forms
        from uid.services import records as record_services

        record = self.get_object()
        data = forms.record_form_initial(record, self.kind)
        unknown = sorted(set(request.data) - set(data))
        if unknown:
            raise serializers.ValidationError(
                {name: ["not a field that can be changed here"] for name in unknown}
            )
        for name, value in request.data.items():
            data[name] = self._form_value(name, value)
        data = {name: getattr(value, "pk", value) for name, value in data.items()}
        data = {name: "" if value is None else value for name, value in data.items()}
        if self.kind == "animals":
            form = forms.AnimalForm(data, animal=record, user=request.user)
        else:
            form = forms.SampleForm(data, sample=record)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        try:
            record_services.record_update(record=record, user=request.user, **form.cleaned_data)
        except SubmissionStateError as exc:
            raise Conflict(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return Response(self.get_serializer(self.get_object()).data)

    def _form_value(self, name: str, value):
        species_id = self.get_object().species_id if name == "breed" else None
        return _term_id(self.kind, name, value, user=self.request.user, species_id=species_id)


# Representation fields named by a dictionary's word, and where that word is.
_BY_WORD = {
    "animals": {
        "species": ("uid.Species", "label"), "sex": ("uid.Sex", "label"),
        "breed": ("uid.Breed", "supplied_breed"),
    },
    "samples": {
        "organism_part": ("uid.OrganismPart", "label"),
        "developmental_stage": ("uid.DevelopmentalStage", "label"),
        "physiological_stage": ("uid.PhysiologicalStage", "label"),
    },
}  # fmt: skip


def _term_id(kind: str, name: str, value, *, user, species_id: int | None = None):
    """A dictionary term named by its word (as the representation shows it) as its id;
    other values as they are."""
    if name not in _BY_WORD[kind] or value in (None, ""):
        return value
    model_label, field = _BY_WORD[kind][name]
    terms = apps.get_model(model_label).objects.all()
    if name == "breed":  # a breed of the user's choosing, of the record's species first
        terms = selectors.breeds_for_user(user=user).order_by(
            Case(When(species=species_id, then=0), default=1), "pk"
        )
    found = terms.filter(**{f"{field}__iexact": str(value)}).first()
    if found is None:
        raise serializers.ValidationError({name: [f"'{value}' is not in the dictionary"]})
    return found.pk


@extend_schema_view(
    get=extend_schema(summary="One of your animals"),
    patch=extend_schema(summary="Change an animal (the record page's rules)"),
)
class AnimalDetail(_RecordDetail):
    serializer_class = AnimalSerializer
    kind = "animals"
    model = Animal
    related = ("father", "mother", "breed", "species", "sex", "publication", "submission")


@extend_schema_view(
    get=extend_schema(summary="One of your samples"),
    patch=extend_schema(summary="Change a sample (the record page's rules)"),
)
class SampleDetail(_RecordDetail):
    serializer_class = SampleSerializer
    kind = "samples"
    model = Sample
    related = (
        "animal", "organism_part", "developmental_stage", "physiological_stage", "publication",
        "submission",
    )  # fmt: skip


# --- Documentation ---------------------------------------------------------------------


def docs_available() -> bool:
    """Swagger UI is served only from the packaged copy (drf-spectacular-sidecar), never a CDN."""
    return apps.is_installed("drf_spectacular_sidecar")


# Swagger UI's page carries a small inline stylesheet; its script comes as a file (the
# split view), so only styles need the exception.
@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
