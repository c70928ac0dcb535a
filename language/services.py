"""Writes of the language app: the species words curators map for their language."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from language.models import CountryLanguage, SpeciesWord, normalise_word
from language.selectors import species_for_words
from uid.models import Country, Species
from uid.services.dictionaries import proposals_share, read_json, rows_upsert

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


# --- Seeding and species look-ups, registered with uid (language depends on uid) ---------


def _ids_by_label(model, labels, *, file_name: str) -> dict[str, int]:
    """The ids of the seeded rows a data file names; ValueError naming any that are not."""
    ids = dict(model.objects.filter(label__in=labels).values_list("label", "id"))
    missing = sorted(set(labels) - set(ids))
    if missing:
        plural = model._meta.verbose_name_plural
        raise ValueError(f"{file_name} names {plural} that are not seeded: {missing}")
    return ids


def _country_language_rows() -> list[dict[str, Any]]:
    data = read_json("language", "country_languages.json")["countries"]
    country_ids = _ids_by_label(Country, data, file_name="country_languages.json")
    return [
        {"country_id": country_ids[label], "language": language} for label, language in data.items()
    ]


def _species_word_rows() -> list[dict[str, Any]]:
    data = read_json("language", "species_words.json")["species"]
    species_ids = _ids_by_label(Species, data, file_name="species_words.json")
    rows = []
    for label, languages in data.items():
        for language, words in languages.items():
            for word in words:
                # bulk_create skips SpeciesWord.save(), which would derive the key.
                rows.append(
                    {
                        "language": language,
                        "normalised": normalise_word(word),
                        "word": word,
                        "species_id": species_ids[label],
                    }
                )
    return rows


def language_seed() -> dict[str, tuple[int, int]]:
    """The shipped countries' languages and species words; (created, updated) per table."""
    return {
        CountryLanguage._meta.label: rows_upsert(
            model=CountryLanguage,
            rows=_country_language_rows(),
            key=("country_id",),
            skip_fk_validation=("country",),
        ),
        SpeciesWord._meta.label: rows_upsert(
            model=SpeciesWord,
            rows=_species_word_rows(),
            key=("normalised", "language"),
            skip_fk_validation=("species",),
            scope={"approved": True},
        ),
    }


def species_words_resolve(*, words, country, user) -> dict[str, Species | None]:
    """What each word of a file means for ``user`` (see selectors.species_for_words), and
    count one use of each of their proposed words that served (admin's queue shows it)."""
    used: set[int] = set()
    found = species_for_words(words=words, country=country, user=user, proposals_used=used)
    if used:
        SpeciesWord.objects.filter(pk__in=used).update(times_used=F("times_used") + 1)
    return found
