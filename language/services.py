"""Writes of the language app: the species words curators map for their language."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from language.models import SpeciesWord, normalise_word
from uid.models import Species
from uid.services.dictionaries import proposals_share

_LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


def species_word_create(*, word: str, language: str, species: Species, user=None) -> SpeciesWord:
    """Record that ``word`` in ``language`` (ISO 639-1) means ``species``, as ``user`` says.

    A curator's (``user``'s) word is a proposal: their own imports use it at once, other
    curators' imports only once staff approve it in admin. Without ``user`` (staff,
    seeds) the word is shared at once. Raises ValidationError when the word is empty,
    the language is not a two-letter code, or the word already means a species in that
    language for that curator (letter case and white space ignored).
    """
    language = language.strip().lower()
    if not _LANGUAGE_CODE.match(language):
        raise ValidationError({"language": "Give a two-letter ISO 639-1 code, e.g. de."})
    entry = SpeciesWord(
        word=" ".join(word.split()), language=language, species=species, created_by=user,
        approved=user is None,
    )  # fmt: skip
    entry.normalised = normalise_word(entry.word)
    # The database's unique constraint decides (no check-then-insert race), and the
    # message names the species the word already means.
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        existing = (
            SpeciesWord.objects.select_related("species")
            .filter(language=language, normalised=entry.normalised, created_by=user)
            .first()
        )
        meaning = f"{existing.species}" if existing else "a species"
        raise ValidationError(
            {"word": f"'{entry.word}' already means {meaning} in language '{language}'."}
        ) from error
    return entry


def species_words_approve(*, words) -> tuple[int, list[SpeciesWord]]:
    """Share curators' proposed words with everyone (see uid's proposals_share)."""
    return proposals_share(rows=words, changes={"approved": True})
