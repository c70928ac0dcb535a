"""What InjectTool keeps of BioSamples: each record's link to its archive copy, and the
Webin tokens curators' passwords were exchanged for (encrypted, until they expire)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class LinkState(models.TextChoices):
    CREATING = "creating", "Being created"  # POSTed or about to be: look its name up first
    CREATED = "created", "In BioSamples"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RemoteStatus(models.TextChoices):
    UNCHECKED = "", "Not checked yet"
    SAME = "same", "As we sent it"
    DRIFT = "drift", "Changed in BioSamples"
    LOST = "lost", "Missing from BioSamples or not ours"


class SampleLink(models.Model):
    """One record's copy in BioSamples: its accession, the Webin account and service it
    lives in, what we last sent (its hash and document) and what the last sync saw.

    Written before the first POST (state CREATING, under the record's name), so that a
    submission that died after BioSamples stored the sample finds it by name instead of
    creating a second one.
    """

    submission = models.ForeignKey(
        "uid.Submission", on_delete=models.PROTECT, related_name="biosample_links"
    )
    kind = models.CharField(max_length=8, help_text="animal or sample")
    record_id = models.BigIntegerField()
    name = models.CharField(max_length=255, help_text="the name it was sent under")
    accession = models.CharField(max_length=32, null=True, blank=True, unique=True)
    state = models.CharField(max_length=16, choices=LinkState.choices, default=LinkState.CREATING)
    webin_account = models.CharField(max_length=64)
    environment = models.CharField(max_length=255, help_text="the BioSamples URL it lives in")
    payload_hash = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="the document last sent")
    last_sent = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(
        null=True, blank=True, help_text="when it was last about to be POSTed"
    )
    remote_updated = models.DateTimeField(null=True, blank=True)
    remote_status = models.CharField(
        max_length=8, choices=RemoteStatus.choices, default=RemoteStatus.UNCHECKED, blank=True
    )
    message = models.TextField(blank=True, help_text="what BioSamples said when it refused it")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id", "environment"], name="biosample_link_record"
            ),
        ]
        indexes = [models.Index(fields=["submission", "state"], name="biosample_link_state")]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} → {self.accession or '(being created)'}"


class StoredToken(models.Model):
    """A Webin token a curator's password was exchanged for, encrypted with the site's
    key (biosample.tokens), kept until it expires; never the password."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webin_tokens"
    )
    webin_account = models.CharField(max_length=64)
    encrypted = models.BinaryField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "webin_account"], name="biosample_token_user"),
        ]

    def __str__(self) -> str:
        return f"Webin token of {self.user} for {self.webin_account}"


class Orphan(models.Model):
    """A sample of a curator's Webin account that no record of this environment links to
    (no SampleLink has its accession): submitted with another tool, or from a database
    since lost. The sync finds them (hourly, and on "Compare with BioSamples now") and
    keeps what it saw; the curator adopts one into a submission (it becomes a record with
    that accession, and then stops being an orphan) or withdraws it (makes it private).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="biosample_orphans",
        help_text="the curator whose Webin token found it; only they see it",
    )  # fmt: skip
    webin_account = models.CharField(max_length=64)
    environment = models.CharField(max_length=255, help_text="the BioSamples URL it lives in")
    accession = models.CharField(max_length=32)
    name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(
        max_length=8,
        blank=True,
        help_text="animal or sample by its IMAGE Material; empty: not IMAGE",
    )
    document = models.JSONField(default=dict, blank=True, help_text="the sample as last seen")
    remote_updated = models.DateTimeField(null=True, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["accession"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "environment", "accession"], name="biosample_orphan_owner"
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner", "environment", "webin_account"], name="biosample_orphan_account"
            )
        ]

    def __str__(self) -> str:
        return f"{self.accession} ({self.name}) of {self.webin_account}"

    @property
    def release(self) -> str:
        return str(self.document.get("release") or "")

    @property
    def withdrawn(self) -> bool:
        """Made private by a withdrawal (its release is the one a withdrawal sets)."""
        from biosample.services import WITHDRAWN_RELEASE

        return self.release == WITHDRAWN_RELEASE


ACCESSIONED = Q(accession__isnull=False) & ~Q(accession="")
