"""REST API of biosample: submit a submission to BioSamples, preview what a submit would
send, and read how its records stand there (what the last comparison found).

Views are thin (uid.api's rules): each starts from the user's own submission, so another
user's answers 404, before anything else is looked at; what the submission's state does
not allow answers 409. A Webin password is exchanged for a token at once
(biosample.tokens) and goes nowhere else: not into the task, the database or a log.
"""

from __future__ import annotations

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from biosample import services, tokens
from biosample.forms import BROKER_REFUSED, WEBIN_INVALID
from biosample.models import LinkState, RemoteStatus, SampleLink
from uid.api import ApiPagination, Conflict
from uid.models import Submission
from uid.serializers import TaskSerializer
from uid.services.tasks import SubmissionBusy, SubmissionStateError, task_active_check

# How the sync listing names a link's standing: its remote status, or withdrawn.
UNCHECKED = "unchecked"
WITHDRAWN = "withdrawn"
SYNC_STATUSES = tuple(
    str(s) for s in (RemoteStatus.SAME, RemoteStatus.DRIFT, RemoteStatus.LOST, UNCHECKED, WITHDRAWN)
)


class WebinUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Webin did not answer; try again in a while."
    default_code = "webin_unavailable"


class SubmitThrottle(SimpleRateThrottle):
    """Keeps the submit endpoint from being used to guess Webin passwords (per user)."""

    scope = "biosamples-submit"
    rate = "20/minute"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


def _owned_submission(request, pk: int) -> Submission:
    return get_object_or_404(Submission.objects.present(), pk=pk, owner=request.user)


# --- Shapes ------------------------------------------------------------------------------


class SubmitRequestSerializer(serializers.Serializer):
    webin_username = serializers.RegexField(
        r"^Webin-[0-9]+$", required=False, error_messages={"invalid": WEBIN_INVALID},
        help_text="the Webin account, e.g. Webin-12345 (default: the one on your profile)",
    )  # fmt: skip
    webin_password = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, write_only=True,
        style={"input_type": "password"},
        help_text="exchanged once for a token and never kept; leave it out while a token "
        "of this account from an earlier sign-in still serves",
    )  # fmt: skip
    use_broker = serializers.BooleanField(
        required=False, default=False,
        help_text="submit under the instance's Webin broker account (when the admin "
        "enabled one: WEBIN_BROKER_USERNAME); no Webin account or password of your own",
    )  # fmt: skip
    release_date = serializers.DateField(
        required=False, allow_null=True,
        help_text="the records stay private in BioSamples until this day (default: the "
        "submission's release date, else public at once)",
    )  # fmt: skip


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="a characteristic, release or relationships")
    was = serializers.CharField(allow_null=True)
    now = serializers.CharField(allow_null=True)


class PlannedRecordSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="animal or sample")
    id = serializers.IntegerField()
    name = serializers.CharField()
    action = serializers.ChoiceField(choices=["new", "update"])
    document = serializers.JSONField(help_text="the BioSamples document, as it will be sent")
    changes = ChangeSerializer(many=True, help_text="for an update: what changed since sent")


class PreviewSerializer(serializers.Serializer):
    """What a submit would do now (biosample.services.submit_plan)."""

    status = serializers.CharField(help_text="the submission's status")
    submittable = serializers.BooleanField(
        help_text="the status allows a submit and there is something to send"
    )
    release_date = serializers.DateField(allow_null=True, help_text="the one the plan uses")
    new = serializers.IntegerField(help_text="records that get an accession (POST)")
    update = serializers.IntegerField(help_text="records changed since sent (PUT whole)")
    unchanged = serializers.IntegerField(help_text="records in BioSamples as they are here")
    blocked = serializers.IntegerField(help_text="records with validation errors: not sent")
    to_send = serializers.IntegerField(help_text="new + update")
    examples = PlannedRecordSerializer(many=True, help_text="the first records to send")


class SyncCountsSerializer(serializers.Serializer):
    same = serializers.IntegerField(help_text="in BioSamples as sent")
    drift = serializers.IntegerField(help_text="changed in BioSamples (curated, say)")
    lost = serializers.IntegerField(help_text="missing from BioSamples, or not yours there")
    unchecked = serializers.IntegerField(help_text="not compared yet")
    withdrawn = serializers.IntegerField(help_text="withdrawn: private in BioSamples")


class SyncRecordSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="record_id", help_text="the animal's or sample's id")
    remote_status = serializers.ChoiceField(source="standing", choices=SYNC_STATUSES)

    class Meta:
        model = SampleLink
        fields = ["kind", "id", "name", "accession", "remote_status", "last_sent",
                  "remote_updated", "message"]  # fmt: skip
        read_only_fields = fields


class SyncSerializer(serializers.Serializer):
    counts = SyncCountsSerializer()
    count = serializers.IntegerField(help_text="records listed (with the filter)")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SyncRecordSerializer(many=True)


# --- Submit ------------------------------------------------------------------------------


def _submittable_check(submission: Submission) -> None:
    """409 unless a submit may start now (asked before any password goes to Webin)."""
    if submission.status not in services.SUBMIT_FROM:
        raise Conflict(
            f"the submission is {submission.get_status_display().lower()}: records go to "
            "BioSamples once they are validated (validate them first)"
        )
    try:
        task_active_check(submission=submission)
    except SubmissionBusy as exc:
        raise Conflict(str(exc)) from None


# Every variable of this call and of those it makes (the client's, requests') is hidden
# from error reports: they hold the password.
@sensitive_variables()
def _webin_sign_in(*, user, account: str, password: str) -> None:
    """A token of ``account`` kept for ``user``: from ``password`` when given (exchanged
    now, never kept), else one kept from an earlier sign-in. 400 on webin_password when
    Webin refuses it or when neither serves."""
    from biosample.client import BioSamplesError

    if password:
        try:
            tokens.token_obtain(user=user, username=account, password=password)
        except BioSamplesError as exc:
            # from None: the exception's context would carry this frame's password along.
            if exc.permanent:
                raise serializers.ValidationError({"webin_password": [exc.message]}) from None
            raise WebinUnavailable(f"Webin did not answer ({exc.message}); try again.") from None
    elif tokens.token_for(user=user, account=account) is None:
        raise serializers.ValidationError(
            {"webin_password": [f"Give the password of {account}: no token of it from an "
                                "earlier sign-in serves now."]}
        )  # fmt: skip


@method_decorator(sensitive_post_parameters("webin_password"), name="dispatch")
class SubmissionSubmitView(APIView):
    """Submit the submission's records to BioSamples."""

    parser_classes = [JSONParser, FormParser]
    throttle_classes = [SubmitThrottle]

    @extend_schema(
        summary="Submit the records to BioSamples under a Webin account (a task; 202): the "
        "password, when given, is exchanged once for a token and never kept",
        request=SubmitRequestSerializer,
        responses={
            202: TaskSerializer,
            400: OpenApiResponse(description="per field: Webin refused the account or "
                                             "password, or a password is needed"),
            409: OpenApiResponse(description="not validated yet, or a task works on it"),
            503: OpenApiResponse(description="Webin did not answer"),
        },
        tags=["biosamples"],
    )  # fmt: skip
    @sensitive_variables("given", "data")
    def post(self, request, pk: int) -> Response:
        submission = _owned_submission(request, pk)
        given = SubmitRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        profile = getattr(request.user, "profile", None)
        account = data.get("webin_username") or getattr(profile, "webin_username", "")
        if data.get("use_broker"):
            account = tokens.broker_account()
            if not account:
                raise serializers.ValidationError(
                    {"use_broker": ["No Webin broker account is enabled on this instance."]}
                )
            if tokens.token_for(user=request.user, account=account) is None:
                raise serializers.ValidationError({"use_broker": [BROKER_REFUSED]})
        if not account:
            raise serializers.ValidationError(
                {"webin_username": ["Give your Webin account (e.g. Webin-12345), or keep it "
                                    "on your profile."]}
            )  # fmt: skip
        _submittable_check(submission)
        _webin_sign_in(user=request.user, account=account, password=data.get("webin_password"))
        try:
            task = services.submission_submit_start(
                submission=submission, user=request.user, account=account,
                release=data.get("release_date"),
            )  # fmt: skip
        except SubmissionStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(TaskSerializer(task).data, status=status.HTTP_202_ACCEPTED)


# --- Preview -----------------------------------------------------------------------------


class _PreviewQuery(serializers.Serializer):
    release_date = serializers.DateField(required=False, allow_null=True)


class SubmissionPreviewView(APIView):
    """What a submit would send now."""

    @extend_schema(
        summary="What a submit would do now: how many records are new, changed, unchanged "
        "or blocked by validation errors, and the first documents to send",
        parameters=[
            OpenApiParameter(
                "release_date", str,
                description="YYYY-MM-DD: the release date to plan with (default: the "
                "submission's)",
            )
        ],
        responses=PreviewSerializer,
        tags=["biosamples"],
    )  # fmt: skip
    def get(self, request, pk: int) -> Response:
        submission = _owned_submission(request, pk)
        query = _PreviewQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        release = query.validated_data.get("release_date") or submission.release_date
        plan = services.submit_plan(submission=submission, release=release)
        shown = {
            "status": submission.status,
            "submittable": submission.status in services.SUBMIT_FROM and plan.to_send > 0,
            "release_date": release,
            "new": plan.new,
            "update": plan.update,
            "unchanged": plan.unchanged,
            "blocked": plan.blocked,
            "to_send": plan.to_send,
            "examples": plan.examples,
        }
        return Response(PreviewSerializer(shown).data)


# --- Sync --------------------------------------------------------------------------------


def _links_shown(submission: Submission) -> QuerySet[SampleLink]:
    """The submission's records in BioSamples (of this site's BioSamples), each with its
    standing: the last comparison's answer, unchecked, or withdrawn."""
    standing = Case(
        When(state=LinkState.WITHDRAWN, then=Value(WITHDRAWN)),
        When(remote_status=RemoteStatus.UNCHECKED, then=Value(UNCHECKED)),
        default=F("remote_status"),
        output_field=CharField(),
    )
    return SampleLink.objects.filter(
        submission=submission, environment=services.environment(),
        state__in=(LinkState.CREATED, LinkState.WITHDRAWN),
    ).annotate(standing=standing)  # fmt: skip


class SubmissionSyncView(APIView):
    """How the submission's records stand in BioSamples."""

    @extend_schema(
        summary="The records in BioSamples and what the last comparison with their copies "
        "there found: counts per standing, and the records (paginated)",
        parameters=[
            OpenApiParameter("remote_status", str, enum=SYNC_STATUSES,
                             description="only the records of this standing"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="at most 1000"),
        ],
        responses=SyncSerializer,
        tags=["biosamples"],
    )  # fmt: skip
    def get(self, request, pk: int) -> Response:
        submission = _owned_submission(request, pk)
        links = _links_shown(submission)
        counts = links.aggregate(**{s: Count("pk", filter=Q(standing=s)) for s in SYNC_STATUSES})
        wanted = request.query_params.get("remote_status")
        if wanted:
            if wanted not in SYNC_STATUSES:
                raise serializers.ValidationError(
                    {"remote_status": [f"one of {', '.join(SYNC_STATUSES)}"]}
                )
            links = links.filter(standing=wanted)
        paginator = ApiPagination()
        page = paginator.paginate_queryset(links.order_by("kind", "name", "pk"), request, view=self)
        listed = paginator.get_paginated_response(SyncRecordSerializer(page, many=True).data)
        return Response({"counts": counts, **listed.data})
