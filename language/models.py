"""Species words in the curators' languages, so a dump that says "Schaf" finds Ovis aries."""

from django.conf import settings
from django.db import models

from uid.models import Country, Species


def normalise_word(word: str) -> str:
    """The lookup key of a word: letter case and all white space ignored."""
    return "".join(word.split()).casefold()


class CountryLanguage(models.Model):
    """The language a gene bank of that country writes its species words in."""

    country = models.OneToOneField(Country, on_delete=models.CASCADE, related_name="language")
    language = models.CharField(max_length=8, help_text="ISO 639-1 code, e.g. de")

    def __str__(self) -> str:
        return f"{self.country}: {self.language}"


class SpeciesWord(models.Model):
    word = models.CharField(max_length=128)
    normalised = models.CharField(max_length=128, editable=False)
    language = models.CharField(max_length=8, default="en", help_text="ISO 639-1 code")
    species = models.ForeignKey(Species, on_delete=models.CASCADE, related_name="words")
    # Curators map the words of their own imports; staff see who said what, and when.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="the curator who mapped the word (empty: seeded or from admin)",
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)
    # A curator's mapping is theirs (their imports use it) until staff approve it for all.
    approved = models.BooleanField(
        default=True, help_text="shared by every curator; unapproved: its curator's proposal"
    )
    times_used = models.PositiveIntegerField(
        default=0, editable=False, help_text="imports of its curator that used the proposal"
    )

    class Meta:
        ordering = ["approved", "language", "word"]
        constraints = [
            # One shared meaning per word and language, and one proposal of it per curator.
            models.UniqueConstraint(
                fields=["language", "normalised"],
                condition=models.Q(approved=True),
                name="language_word_unique",
            ),
            models.UniqueConstraint(
                fields=["created_by", "language", "normalised"],
                condition=models.Q(approved=False),
                name="language_word_proposal_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.language}) → {self.species}"

    def save(self, *args, **kwargs) -> None:
        # The key is derived data, kept in step with the word wherever it is saved.
        self.normalised = normalise_word(self.word)
        super().save(*args, **kwargs)
