"""The validation app's tables: the offline ontology term table."""

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
