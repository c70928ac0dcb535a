"""REST API shapes of submissions and their records (uid.api uses them; no logic here)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from uid.models import (
    Animal,
    Country,
    DataSourceType,
    Organisation,
    Sample,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    Task,
)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent as multipart form data (binary in the OpenAPI document)."""


def _validate_upload_size(file) -> None:
    limit = settings.UPLOAD_MAX_BYTES
    if file.size > limit:
        raise serializers.ValidationError(
            f"The file is {file.size} bytes, larger than the limit of {limit} bytes "
            f"({limit // (1024 * 1024)} MB)."
        )


# --- Submissions -----------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    """An entry of a submission's timeline."""

    kind_label = serializers.CharField(source="get_kind_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SubmissionEvent
        fields = ["id", "kind", "kind_label", "outcome", "outcome_label", "user", "at",
                  "summary", "detail", "task"]  # fmt: skip
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    """A task as the API, the CLI and the browser's websocket read it (uid.events)."""

    kind_label = serializers.CharField(source="get_kind_display")
    state_label = serializers.CharField(source="get_state_display")
    active = serializers.BooleanField(source="is_active")
    done = serializers.IntegerField(source="progress_done")
    total = serializers.IntegerField(source="progress_total")
    percent = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    problems_url = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id", "kind", "kind_label", "state", "state_label", "active", "phase", "done",
            "total", "percent", "message", "retryable", "result", "problems_url", "created_at",
            "started_at", "heartbeat_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_result(self, task: Task) -> dict:
        """What it came to, without the list of problems (its own download, problems_url)."""
        return {key: value for key, value in task.result.items() if key != "problems"}

    def get_problems_url(self, task: Task) -> str | None:
        """Where every problem of a failed import is listed, as CSV (None: no list)."""
        if not task.result.get("problems") or task.submission_id is None:
            return None
        return reverse("uid:task_problems", args=[task.submission_id, task.pk])

    def get_percent(self, task: Task) -> int | None:
        """How far the whole task is, through its phases (None: no measure yet)."""
        from uid.services.tasks import task_percent

        return task_percent(task)


class SubmissionCountsSerializer(serializers.Serializer):
    """The submission's records."""

    animals = serializers.IntegerField()
    samples = serializers.IntegerField()


class SubmissionFileSerializer(serializers.Serializer):
    name = serializers.CharField(source="file_name")
    size = serializers.IntegerField(source="file_size")
    sha256 = serializers.CharField(source="file_sha256")
    uploaded_at = serializers.DateTimeField(source="file_uploaded_at")
    url = serializers.SerializerMethodField()

    def get_url(self, submission: Submission) -> str:
        path = reverse("api:submission-file", args=[submission.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class KeptFileSerializer(serializers.ModelSerializer):
    """One upload of a submission: where it came from and what its import came to."""

    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    records_came_from = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionFile
        fields = [
            "id", "name", "size", "sha256", "uploaded_by", "uploaded_at", "outcome", "message",
            "records_came_from", "url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_records_came_from(self, kept: SubmissionFile) -> bool:
        return kept.pk == kept.submission.records_file_id

    def get_url(self, kept: SubmissionFile) -> str:
        path = reverse("api:submission-kept-file", args=[kept.submission_id, kept.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SubmissionSerializer(serializers.ModelSerializer):
    """A submission as the API shows it; expects the annotations of selectors.submission_list."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    counts = serializers.SerializerMethodField()
    task = serializers.SerializerMethodField()
    gene_bank_country = serializers.SlugRelatedField(slug_field="label", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    file = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id", "title", "description", "status", "status_label", "counts", "task",
            "gene_bank_name", "gene_bank_country", "organisation", "datasource_type",
            "datasource_version", "release_date", "file", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(SubmissionCountsSerializer)
    def get_counts(self, submission: Submission) -> dict:
        return {
            "animals": getattr(submission, "animal_count", 0),
            "samples": getattr(submission, "sample_count", 0),
        }

    @extend_schema_field(TaskSerializer(allow_null=True))
    def get_task(self, submission: Submission) -> dict | None:
        """The active task, else the latest: what the submission's page shows."""
        # (read from selectors.submission_list's prefetch where there is one)
        from uid.selectors import submission_task

        task = submission_task(submission=submission)
        return TaskSerializer(task).data if task is not None else None

    @extend_schema_field(SubmissionFileSerializer(allow_null=True))
    def get_file(self, submission: Submission) -> dict | None:
        if not submission.file:
            return None
        return SubmissionFileSerializer(submission, context=self.context).data


class CountryChoiceField(serializers.CharField):
    """A country named by its label (any letter case) or by its id."""

    def to_internal_value(self, data) -> Country:
        value = super().to_internal_value(data).strip()
        found = Country.objects.filter(label__iexact=value).first()
        if found is None and value.isdigit():
            found = Country.objects.filter(pk=int(value)).first()
        if found is None:
            raise serializers.ValidationError(
                f"Unknown country '{value}': give its name as the dictionary spells it "
                "(e.g. Italy) or its id."
            )
        return found


class OrganisationChoiceField(serializers.CharField):
    """An organisation named exactly as in the dictionary (letter case aside)."""

    def to_internal_value(self, data) -> Organisation | None:
        value = super().to_internal_value(data).strip()
        if not value:
            return None
        found = Organisation.objects.filter(name__iexact=value).first()
        if found is None:
            raise serializers.ValidationError(
                f"Unknown organisation '{value}'; ask the administrators to add it, "
                "or leave it out."
            )
        return found


class SubmissionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    gene_bank_name = serializers.CharField(max_length=255)
    gene_bank_country = CountryChoiceField(help_text="country label (any case) or id")
    organisation = OrganisationChoiceField(
        required=False, allow_blank=True, default=None, help_text="organisation name"
    )
    datasource_type = serializers.ChoiceField(choices=DataSourceType.choices)
    datasource_version = serializers.CharField(max_length=64)
    file = UploadField(max_length=255, help_text="the Cryoweb dump, CRB-Anim CSV or template")
    upload_again = serializers.BooleanField(
        required=False, default=False,
        help_text="make a new submission even of a file uploaded before (else 400 naming it)",
    )  # fmt: skip

    def validate_file(self, file):
        _validate_upload_size(file)
        return file


class SubmissionReloadSerializer(serializers.Serializer):
    file = UploadField(max_length=255, help_text="a new file for the same submission")
    overwrite_edits = serializers.BooleanField(
        default=False,
        help_text="replace records changed since their import too (refused with 409, "
        "naming them, otherwise)",
    )

    def validate_file(self, file):
        _validate_upload_size(file)
        return file


# --- Records ---------------------------------------------------------------------------


class _ValidationField:
    """A record's last validation (None before any): from the context when a list
    looked them all up at once, else looked up."""

    def get_validation(self, record) -> dict | None:
        shown = self.context.get("validation")
        if shown is not None:
            return shown.get(record.pk)
        from validation.selectors import record_validation

        return record_validation(kind=record._meta.model_name, record=record)


_VALIDATION_HELP = (
    '{"status": "Pass"|"Warning"|"Error", "stale": bool (changed since), "findings": '
    '[{"severity", "field", "message"}]}; null before any validation'
)


class AnimalSerializer(_ValidationField, serializers.ModelSerializer):
    validation = serializers.SerializerMethodField(help_text=_VALIDATION_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    father = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    mother = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    breed = serializers.SlugRelatedField(slug_field="supplied_breed", read_only=True)
    species = serializers.SlugRelatedField(slug_field="label", read_only=True)
    sex = serializers.SlugRelatedField(slug_field="label", read_only=True)
    publication = serializers.SlugRelatedField(slug_field="doi", read_only=True, allow_null=True)

    class Meta:
        model = Animal
        fields = [
            "id", "name", "status", "status_label", "validation", "accession", "alternative_id",
            "description", "father", "mother", "breed", "species", "sex", "birth_date",
            "birth_location", "birth_location_latitude", "birth_location_longitude",
            "birth_location_accuracy", "publication", "extra", "import_notes", "edited_at",
            "last_changed", "last_submitted",
        ]  # fmt: skip
        read_only_fields = fields


class SampleSerializer(_ValidationField, serializers.ModelSerializer):
    validation = serializers.SerializerMethodField(help_text=_VALIDATION_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    animal = serializers.SlugRelatedField(slug_field="name", read_only=True)
    organism_part = serializers.SlugRelatedField(slug_field="label", read_only=True)
    developmental_stage = serializers.SlugRelatedField(
        slug_field="label", read_only=True, allow_null=True
    )
    physiological_stage = serializers.SlugRelatedField(
        slug_field="label", read_only=True, allow_null=True
    )
    publication = serializers.SlugRelatedField(slug_field="doi", read_only=True, allow_null=True)

    class Meta:
        model = Sample
        fields = [
            "id", "name", "status", "status_label", "validation", "accession", "alternative_id",
            "description", "animal", "organism_part", "collection_date", "collection_place",
            "collection_place_latitude", "collection_place_longitude",
            "collection_place_accuracy", "protocol", "developmental_stage",
            "physiological_stage", "animal_age_at_collection", "animal_age_at_collection_unit",
            "availability", "storage", "storage_processing", "preparation_interval",
            "preparation_interval_unit", "publication", "extra", "import_notes", "edited_at",
            "last_changed",
            "last_submitted",
        ]  # fmt: skip
        read_only_fields = fields


class SubmissionUpdateSerializer(serializers.Serializer):
    """What describes a submission; any of it, in a PATCH. The data source type is its file's."""

    title = serializers.CharField(max_length=255, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    gene_bank_name = serializers.CharField(max_length=255, required=False)
    gene_bank_country = CountryChoiceField(required=False, help_text="country label or id")
    release_date = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        # A field that cannot change is refused, not ignored: the client would believe it did.
        fixed = sorted(set(self.initial_data) - set(self.fields))
        if fixed:
            raise serializers.ValidationError(
                {name: "cannot be changed here (the data source type comes with the file: "
                       "reload a new file)" for name in fixed}
            )  # fmt: skip
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="user name or e-mail address")
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    name = serializers.CharField(
        required=False, default="", max_length=100, help_text="what the token is for, e.g. a CLI"
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class BatchRequestSerializer(serializers.Serializer):
    """A batch change: set ``field`` to ``value`` (or delete) on the records of ``ids``,
    or on every record the filters of ``filter`` select (the list's query parameters)."""

    kind = serializers.ChoiceField(choices=["animals", "samples"])
    action = serializers.ChoiceField(choices=["set", "delete"])
    field = serializers.CharField(required=False, allow_blank=True, default="")
    value = serializers.JSONField(required=False, allow_null=True, default=None)
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)
    filter = serializers.DictField(child=serializers.CharField(), required=False, allow_null=True)

    def validate(self, data: dict) -> dict:
        if (data.get("ids") is None) == (data.get("filter") is None):
            raise serializers.ValidationError("give either ids or filter (an empty {} is all)")
        if data["action"] == "set" and not data.get("field"):
            raise serializers.ValidationError({"field": ["the field to set"]})
        return data


class BatchResultSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="what a batch done at once did")
    task = TaskSerializer(allow_null=True, help_text="the task of a large batch (202)")


class FindingSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    severity = serializers.CharField()
    field = serializers.CharField(help_text="the IMAGE attribute")
    message = serializers.CharField()
    source = serializers.CharField(help_text="ruleset, relationship, context or import")
    animals = serializers.IntegerField(help_text="how many animals have it")
    samples = serializers.IntegerField(help_text="how many samples have it")


class ValidationSummarySerializer(serializers.Serializer):
    validated_at = serializers.DateTimeField(allow_null=True)
    ruleset_version = serializers.CharField(allow_null=True)
    counts = serializers.DictField(
        allow_null=True, help_text='{"animals": {"Pass", "Warning", "Error"}, "samples": {...}}'
    )
    stale_records = serializers.IntegerField(help_text="records changed by hand since")
    findings = FindingSerializer(many=True)
