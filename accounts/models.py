from django.conf import settings
from django.db import models

from uid.models import Organisation, Role


class Profile(models.Model):
    """What IMAGE asks of a submitter beyond the user account (names live on the user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    initials = models.CharField(max_length=16, blank=True)
    affiliation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, null=True, blank=True)
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    webin_username = models.CharField(
        max_length=64,
        blank=True,
        help_text="your Webin account (Webin-12345): records go to BioSamples under it",
    )

    def __str__(self) -> str:
        return f"profile of {self.user}"


class ApiToken(models.Model):
    """A REST API token of a user: kept as a hash, with a lifetime, revocable.

    A user may hold several (one per machine that runs the CLI). The token stops working
    when it expires, when it is revoked, and when the user's password changes (the hash
    of the password it was issued under no longer matches).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="e.g. the CLI on a laptop")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False, help_text="to tell tokens apart")
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user}"
