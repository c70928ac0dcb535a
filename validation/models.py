"""The validation app's tables: the offline ontology term table, and the results of
validating a submission (its summary, its findings grouped by message, each record's result)."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from validation.ruleset import TERM_ID_RE

# TERM_ID_RE as PostgreSQL reads it (\A and \Z are Python's).
_TERM_ID_SQL = r"^[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9]+$"


class OntologyTerm(models.Model):
    """One ontology term the validation knows offline: its label, synonyms and ancestors.

    Seeded by ``manage.py terms_seed`` from validation/data/ontology_terms.json; admins
    add and correct terms in Django admin. A descendant check asks whether a term id is
    among ``ancestors``, so they list every term above the term, not only its parents.
    """

    id = models.CharField(
        primary_key=True, max_length=64, help_text='The term id, e.g. "UBERON_0001968".'
    )
    iri = models.URLField(max_length=255, help_text="The term's IRI.")
    label = models.CharField(max_length=255)
    synonyms = models.JSONField(
        default=list, blank=True, help_text='Other names of the term: a JSON list ["a", "b"].'
    )
    ancestors = models.JSONField(
        default=list,
        blank=True,
        help_text='Every term id above the term (not only its parents): ["UBERON_0001062"].',
    )
    obsolete = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(id__regex=_TERM_ID_SQL), name="validation_term_id_is_a_term_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.id} ({self.label})"

    def clean(self) -> None:
        errors = {}
        if not TERM_ID_RE.match(self.id or ""):
            errors["id"] = 'A term id is a prefix, "_" and a local id, e.g. "UBERON_0001968".'
        if not _is_word_list(self.synonyms):
            errors["synonyms"] = "Synonyms are a JSON list of words."
        if not _is_word_list(self.ancestors) or not all(
            TERM_ID_RE.match(term) for term in self.ancestors
        ):
            errors["ancestors"] = 'Ancestors are a JSON list of term ids, e.g. ["UBERON_0001062"].'
        elif self.id in self.ancestors:
            errors["ancestors"] = "A term is not its own ancestor."
        if errors:
            raise ValidationError(errors)


def _is_word_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item for item in value)


class Severity(models.TextChoices):
    ERROR = "Error"
    WARNING = "Warning"


class ResultStatus(models.TextChoices):
    PASS = "Pass"  # noqa: S105 (a result, not a password)
    WARNING = "Warning"
    ERROR = "Error"


class SubmissionValidation(models.Model):
    """A submission's last validation: when, with which ruleset, and the counts; its
    findings grouped by message (``findings``) and each record's result (RecordResult).
    A record changed by hand after ``validated_at`` has a stale result."""

    submission = models.OneToOneField(
        "uid.Submission", on_delete=models.CASCADE, related_name="validation"
    )
    validated_at = models.DateTimeField()
    ruleset_version = models.CharField(max_length=200)
    # {"animals": {"Pass": n, "Warning": n, "Error": n}, "samples": {...}}
    counts = models.JSONField(default=dict)
    task = models.ForeignKey("uid.Task", on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"validation of submission {self.submission_id} ({self.validated_at:%Y-%m-%d %H:%M})"


class Finding(models.Model):
    """One distinct finding of a validation, with how many animals and samples have it:
    what the summary lists and what a fix-all-alike form opens."""

    validation = models.ForeignKey(
        SubmissionValidation, on_delete=models.CASCADE, related_name="findings"
    )
    number = models.PositiveIntegerField(help_text="its number within the validation")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    field = models.CharField(max_length=100, help_text="the IMAGE attribute")
    message = models.TextField()
    source = models.CharField(max_length=16, help_text="ruleset, relationship, context or import")
    animals = models.PositiveIntegerField(default=0)
    samples = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["validation", "number"], name="validation_finding_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.severity}: {self.field}: {self.message}"


class RecordResult(models.Model):
    """One record's result in its submission's last validation: Pass, Warning or Error
    and the numbers of its findings (Finding.number)."""

    submission = models.ForeignKey(
        "uid.Submission", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=8, help_text="animal or sample")
    record_id = models.BigIntegerField()
    status = models.CharField(max_length=8, choices=ResultStatus.choices)
    findings = ArrayField(models.PositiveIntegerField(), default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="validation_result_record"),
        ]
        indexes = [
            models.Index(fields=["submission", "kind", "status"], name="validation_result_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id}: {self.status}"
