"""The Unified Internal Database: shared dictionaries and each curator's private records."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone


class Confidence(models.TextChoices):
    HIGH = "high", "High"
    GOOD = "good", "Good"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    CURATED = "curated", "Curated"
    MANUALLY_CURATED = "manually_curated", "Manually curated"


class Status(models.TextChoices):
    """The state of the data: of each record, and of a submission as its records' sum
    (docs/architecture.rst, "Tasks and data status"). What a task is doing to them is a
    Task's state, not this."""

    EMPTY = "empty", "No records"  # a submission only: nothing loaded yet
    LOADED = "loaded", "Loaded"
    NEED_REVISION = "need_revision", "Need revision"
    READY = "ready", "Ready"
    SUBMITTED = "submitted", "Submitted"
    COMPLETED = "completed", "Completed"


class DataSourceType(models.TextChoices):
    CRYOWEB = "cryoweb", "CryoWeb"
    CRBANIM = "crbanim", "CRB-Anim"
    TEMPLATE = "template", "Template"


# --- Dictionaries: shared, edited by staff only -----------------------------------


class Ontology(models.Model):
    library_name = models.CharField(max_length=32, unique=True, help_text="e.g. NCBITaxon, UBERON")
    iri_base = models.URLField(help_text="the IRI a term id is appended to")
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["library_name"]
        verbose_name_plural = "ontologies"

    def __str__(self) -> str:
        return self.library_name


class DictionaryTerm(models.Model):
    """A label with its ontology term id (``NCBITaxon_9913``) and how sure we are of it."""

    label = models.CharField(max_length=255, unique=True)
    term = models.CharField(
        max_length=64, blank=True, help_text="ontology term id, e.g. UBERON_0001968"
    )
    confidence = models.CharField(
        max_length=20, choices=Confidence.choices, default=Confidence.GOOD
    )

    class Meta:
        abstract = True
        ordering = ["label"]
        constraints = [
            # "Semen" and "semen" are one term: a second spelling would split the records
            # that use it and make look-ups (which ignore case) pick one at random.
            models.UniqueConstraint(
                Lower("label"),
                name="%(app_label)s_%(class)s_label_any_case",
                violation_error_message="There is such a label already (in other capitals).",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Country(DictionaryTerm):
    class Meta(DictionaryTerm.Meta):
        verbose_name_plural = "countries"


class Species(DictionaryTerm):
    """A species: label is the scientific name, term the NCBITaxon id."""

    taxon_id = models.PositiveIntegerField(unique=True)
    common_name = models.CharField(max_length=64, blank=True, help_text="English, e.g. cattle")
    general_breed_label = models.CharField(
        max_length=255, blank=True, help_text="e.g. cattle breed"
    )
    general_breed_term = models.CharField(
        max_length=64, blank=True, help_text="LBO root, e.g. LBO_0000001"
    )

    class Meta(DictionaryTerm.Meta):
        verbose_name_plural = "species"


class Sex(DictionaryTerm):
    class Meta(DictionaryTerm.Meta):
        verbose_name_plural = "sexes"


class OrganismPart(DictionaryTerm):
    pass


class DevelopmentalStage(DictionaryTerm):
    pass


class PhysiologicalStage(DictionaryTerm):
    pass


class Role(DictionaryTerm):
    pass


class Breed(models.Model):
    """A breed as the genebank supplies it, with its mapped LBO term where known."""

    supplied_breed = models.CharField(max_length=255)
    mapped_breed = models.CharField(max_length=255, blank=True)
    mapped_breed_term = models.CharField(max_length=64, blank=True, help_text="LBO term id")
    confidence = models.CharField(
        max_length=20, choices=Confidence.choices, default=Confidence.GOOD
    )
    species = models.ForeignKey(Species, on_delete=models.PROTECT, related_name="breeds")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="breeds")
    # A breed that a curator's import brought in is theirs alone (their imports use it,
    # nobody else's do) until staff confirm it for everyone.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", help_text="the curator whose import proposed it; empty: confirmed",
    )  # fmt: skip
    proposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["supplied_breed"]
        constraints = [
            # One confirmed breed per species and country whatever its capitals, as imports
            # match it; and one proposal of it per curator.
            models.UniqueConstraint(
                Lower("supplied_breed"),
                "species",
                "country",
                condition=Q(proposed_by__isnull=True),
                name="uid_breed_unique_per_species_country_any_case",
                violation_error_message=(
                    "This species and country have such a breed already (in other capitals)."
                ),
            ),
            models.UniqueConstraint(
                Lower("supplied_breed"),
                "species",
                "country",
                "proposed_by",
                condition=Q(proposed_by__isnull=False),
                name="uid_breed_proposal_unique_per_curator",
                violation_error_message="This curator proposed such a breed already.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplied_breed} ({self.species}, {self.country})"


class Organisation(models.Model):
    name = models.CharField(max_length=255, unique=True)
    address = models.CharField(max_length=255, blank=True)
    uri = models.URLField(blank=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Publication(models.Model):
    doi = models.CharField(max_length=255, unique=True, help_text="10.NNNN/...")
    title = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["doi"]

    def __str__(self) -> str:
        return self.doi


# --- Data: private to their owner ------------------------------------------------


def _protected_storage():
    return storages["protected"]


# Stored names stay short whatever a file was called (a 300-character name broke the
# second upload of it: the file system allows 255 bytes); the original is kept in a field.
_STORED_STEM_MAX = 60
_STORED_SUFFIX_MAX = 12


def _stored_name(filename: str) -> str:
    """``filename`` shortened for storage, keeping its extensions (``.sql.gz``)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1] or "upload"
    stem, dot, rest = name.partition(".")
    suffixes = [s for s in rest.split(".") if s][-2:] if dot else []
    suffix = "".join(f".{s}" for s in suffixes if len(s) <= _STORED_SUFFIX_MAX)
    return (stem[:_STORED_STEM_MAX] or "upload") + suffix


def _upload_path(instance: Submission, filename: str) -> str:
    return f"submissions/{instance.owner_id}/{_stored_name(filename)}"


class SubmissionQuerySet(models.QuerySet):
    def present(self) -> SubmissionQuerySet:
        """Not being deleted: what curators' pages, lists and the API show."""
        return self.filter(deleting_since__isnull=True)


class Submission(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    gene_bank_name = models.CharField(max_length=255)
    gene_bank_country = models.ForeignKey(Country, on_delete=models.PROTECT)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    datasource_type = models.CharField(max_length=16, choices=DataSourceType.choices)
    datasource_version = models.CharField(max_length=64)
    # Derived from the records (uid.services.tasks.submission_status_refresh), kept here
    # so that lists can filter and count by it.
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.EMPTY, db_index=True
    )
    # The original upload, kept private (protected storage) with where it came from.
    file = models.FileField(
        storage=_protected_storage, upload_to=_upload_path, max_length=500, blank=True
    )
    file_name = models.CharField(
        max_length=1024, blank=True, help_text="the name it was uploaded with"
    )
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_uploaded_at = models.DateTimeField(null=True, blank=True)
    # The upload above is the one the last import read (a failed reload's, until retried);
    # the records came from this one, kept with every other upload in SubmissionFile.
    records_file = models.ForeignKey(
        "SubmissionFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="the upload the records were loaded from",
    )  # fmt: skip
    release_date = models.DateField(
        null=True, blank=True, help_text="embargo: public from this day"
    )
    # Set when its owner asks to delete it: from then on it is gone from every page and
    # list, while a delete task removes it (cleared again if that task fails).
    deleting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Lets records' composite foreign keys name (id, owner): see migration 0005.
            models.UniqueConstraint(fields=["id", "owner"], name="uid_submission_id_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class RecordCount(models.Model):
    """How many animals and samples a submission has, kept by the database itself:
    statement triggers on the record tables add what an INSERT or COPY brings and take
    off what a DELETE removes (migration 0023), in the same transaction. The record
    tables read this row instead of counting 200,000 rows on every page."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, primary_key=True, related_name="record_count"
    )
    animals = models.BigIntegerField(default=0)
    samples = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"submission {self.submission_id}: {self.animals} animals, {self.samples} samples"


class FileOutcome(models.TextChoices):
    IMPORTING = "importing", "Importing"
    LOADED = "loaded", "Loaded"
    FAILED = "failed", "Failed"


class SubmissionFile(models.Model):
    """Every file uploaded into a submission, kept with what its import came to.

    The stored object is the one the submission's ``file`` named when it was uploaded; a
    reload adds a row and never removes an earlier file, so the file the records came
    from (``Submission.records_file``) can always be downloaded.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=_protected_storage, max_length=500)
    name = models.CharField(max_length=1024, help_text="the name it was uploaded with")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    outcome = models.CharField(
        max_length=16, choices=FileOutcome.choices, default=FileOutcome.IMPORTING
    )
    message = models.TextField(blank=True, help_text="what its last import said")

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class TaskKind(models.TextChoices):
    IMPORT = "import", "Import"
    VALIDATE = "validate", "Validation"
    SUBMIT = "submit", "Submission to BioSamples"
    SYNC = "sync", "Update from BioSamples"
    DELETE = "delete", "Delete"
    BATCH = "batch", "Batch change"


class TaskState(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Done"
    FAILED = "failed", "Failed"
    INTERRUPTED = "interrupted", "Interrupted"


ACTIVE_STATES = (TaskState.QUEUED, TaskState.RUNNING)


class Task(models.Model):
    """One piece of background work on a submission: what, how far, how it ended.

    The data keep their own status (Submission.status, Record.status): a failed task says
    so here and leaves the records' status as the data are. uid.services.tasks claims,
    reports and finishes every kind the same way; at most one task of a submission is
    active (queued or running) at a time.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks"
    )
    # Kept (without its submission) when a delete task has removed the submission.
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    submission_title = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=16, choices=TaskKind.choices)
    state = models.CharField(
        max_length=16, choices=TaskState.choices, default=TaskState.QUEUED, db_index=True
    )
    phase = models.CharField(max_length=16, blank=True, help_text="e.g. read, check, write")
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True, help_text="what the task was asked to do")
    result = models.JSONField(default=dict, blank=True, help_text="what the task came to")
    retryable = models.BooleanField(
        default=False, help_text="failed in a way that running it again may mend"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="the running task's last progress report"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(state__in=["queued", "running"]),
                name="uid_task_one_active_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.submission_title or '?'}: {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class EventKind(models.TextChoices):
    """What a timeline entry tells: the end of a task (same values as TaskKind), or a
    change made by hand."""

    IMPORT = "import", "Import"
    VALIDATE = "validate", "Validation"
    SUBMIT = "submit", "Submission to BioSamples"
    SYNC = "sync", "Update from BioSamples"
    BATCH = "batch", "Batch change"
    DELETE = "delete", "Delete"
    EDIT = "edit", "Record edited"
    DETAILS = "details", "Details changed"


class SubmissionEvent(models.Model):
    """One entry of a submission's timeline: what happened to it, who did it, when, and
    how it ended. Written when a task ends and when a curator changes something by hand;
    never changed afterwards."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    outcome = models.CharField(
        max_length=16, choices=TaskState.choices, default=TaskState.SUCCEEDED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(help_text="what the curator reads")
    detail = models.JSONField(default=dict, blank=True, help_text="e.g. the fields changed")
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["submission", "-at"], name="uid_event_submission_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of submission {self.submission_id}: {self.outcome}"


class Record(models.Model):
    """What animals and samples share: the IMAGE 'standard' group and the life cycle."""

    # One composite key (migration 0005) enforces both, and that a record's owner is its
    # submission's owner: (submission_id, owner_id) references the submission's (id, owner_id).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    # No index of its own: the unique (submission, name) and the (submission, term) indexes
    # below lead with it (one index fewer to build for every record loaded).
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        db_constraint=False,
        db_index=False,
    )
    name = models.CharField(max_length=255, help_text="Data source ID")
    alternative_id = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    publication = models.ForeignKey(Publication, on_delete=models.SET_NULL, null=True, blank=True)
    extra = models.JSONField(
        default=dict, blank=True, help_text="attributes without a field of their own"
    )
    import_notes = models.JSONField(
        default=list,
        blank=True,
        help_text="what its import changed or could not use (uid.services.values)",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.LOADED, db_index=True
    )
    accession = models.CharField(max_length=32, null=True, blank=True)
    last_changed = models.DateTimeField(auto_now=True)
    # Set by a curator's change (uid.services.records), cleared by an import: a reload
    # names the records it would overwrite and asks first.
    edited_at = models.DateTimeField(
        null=True, blank=True, help_text="when a curator last changed it since its import"
    )
    last_submitted = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Animal(Record):
    # Indexed with the submission (Meta): the tables filter a submission's records by them
    # and list the terms it uses; deleting a dictionary term is rare and may scan.
    breed = models.ForeignKey(
        Breed, on_delete=models.PROTECT, related_name="animals", db_index=False
    )
    species = models.ForeignKey(
        Species, on_delete=models.PROTECT, related_name="animals", db_index=False
    )
    sex = models.ForeignKey(Sex, on_delete=models.PROTECT, related_name="animals", db_index=False)
    # DO_NOTHING: the deferred composite keys of migration 0002 refuse a delete that would
    # leave another submission's record without its parent (or sample without its animal);
    # uid.services.submissions says which records before it tries. Django would load every
    # related record to check or unlink it (a 300,000-record delete took 1.2 GB).
    father = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the composite same-owner key of migration 0002 enforces it
    )
    mother = models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the composite same-owner key of migration 0002 enforces it
    )
    birth_date = models.CharField(
        max_length=10, blank=True, help_text="YYYY-MM-DD, YYYY-MM or YYYY"
    )
    birth_location = models.CharField(max_length=255, blank=True)
    birth_location_latitude = models.FloatField(null=True, blank=True)
    birth_location_longitude = models.FloatField(null=True, blank=True)
    birth_location_accuracy = models.CharField(
        max_length=64, default="missing geographic information"
    )

    class Meta(Record.Meta):
        indexes = [
            models.Index(fields=["submission", "species"], name="uid_animal_submission_species"),
            models.Index(fields=["submission", "breed"], name="uid_animal_submission_breed"),
            models.Index(fields=["submission", "sex"], name="uid_animal_submission_sex"),
            # Born first or last: the first page of 100,000 animals without sorting them.
            models.Index(fields=["submission", "birth_date"], name="uid_animal_submission_born"),
        ]
        constraints = [
            # With the id: a table's page of ids in name order is an index-only scan.
            models.UniqueConstraint(
                fields=["submission", "name"], include=["id"], name="uid_animal_unique_name"
            ),
            models.UniqueConstraint(
                fields=["accession"],
                condition=Q(accession__isnull=False),
                name="uid_animal_unique_accession",
            ),
            # Lets parents' composite foreign keys name (id, owner): see migration 0002.
            models.UniqueConstraint(fields=["id", "owner"], name="uid_animal_id_owner"),
            models.CheckConstraint(condition=~Q(father=F("id")), name="uid_animal_not_own_father"),
            models.CheckConstraint(condition=~Q(mother=F("id")), name="uid_animal_not_own_mother"),
            models.CheckConstraint(
                condition=Q(father__isnull=True) | Q(mother__isnull=True) | ~Q(father=F("mother")),
                name="uid_animal_distinct_parents",
            ),
        ]


class Sample(Record):
    # db_constraint: the composite same-owner key of migration 0002 enforces it (one check
    # per row instead of two, which counts in a bulk load).
    animal = models.ForeignKey(
        Animal, on_delete=models.DO_NOTHING, related_name="samples", db_constraint=False
    )
    protocol = models.CharField(
        max_length=500, blank=True, help_text="Specimen collection protocol (URL)"
    )
    collection_date = models.CharField(max_length=10, blank=True)
    collection_place = models.CharField(max_length=255, blank=True)
    collection_place_latitude = models.FloatField(null=True, blank=True)
    collection_place_longitude = models.FloatField(null=True, blank=True)
    collection_place_accuracy = models.CharField(
        max_length=64, default="missing geographic information"
    )
    organism_part = models.ForeignKey(
        OrganismPart, on_delete=models.PROTECT, related_name="samples", db_index=False
    )
    developmental_stage = models.ForeignKey(
        DevelopmentalStage, on_delete=models.PROTECT, null=True, blank=True
    )
    physiological_stage = models.ForeignKey(
        PhysiologicalStage, on_delete=models.PROTECT, null=True, blank=True
    )
    animal_age_at_collection = models.FloatField(null=True, blank=True)
    animal_age_at_collection_unit = models.CharField(max_length=16, blank=True)
    availability = models.CharField(max_length=500, blank=True)
    storage = models.CharField(max_length=128, blank=True)
    storage_processing = models.CharField(max_length=128, blank=True)
    preparation_interval = models.FloatField(null=True, blank=True)
    preparation_interval_unit = models.CharField(max_length=16, blank=True)

    class Meta(Record.Meta):
        indexes = [
            models.Index(fields=["submission", "organism_part"], name="uid_sample_submission_part"),
        ]
        constraints = [
            # With the id: a table's page of ids in name order is an index-only scan.
            models.UniqueConstraint(
                fields=["submission", "name"], include=["id"], name="uid_sample_unique_name"
            ),
            models.UniqueConstraint(
                fields=["accession"],
                condition=Q(accession__isnull=False),
                name="uid_sample_unique_accession",
            ),
        ]
