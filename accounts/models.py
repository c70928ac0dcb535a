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

    def __str__(self) -> str:
        return f"profile of {self.user}"
