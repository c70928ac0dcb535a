"""Reads of the language app: which species a word of a gene bank means."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from language.models import CountryLanguage, SpeciesWord, normalise_word
from uid.models import Country, Species

ENGLISH = "en"


def country_language(*, country: Country | None) -> str | None:
    """The language a gene bank of this country writes in, or None when not known."""
    if country is None:
        return None
    return (
        CountryLanguage.objects.filter(country=country).values_list("language", flat=True).first()
    )


def species_for_words(
    *,
    words: Iterable[str],
    country: Country | None = None,
    user=None,
    proposals_used: set[int] | None = None,
) -> dict[str, Species | None]:
    """Each word (as given) with the species it means, or None when nothing matches.

    Letter case and white space are ignored. A word is looked up in the language of the
    gene bank's country first, then in English, then as a scientific name (and last as
    the English common name of a species that has no words yet). The number of queries
    does not depend on the number of words: the bulk loader calls this once per file.

    Shared (approved) words count for everyone, ``user``'s own proposals for them alone
    (a shared meaning wins); the ids of the proposals that matched go into
    ``proposals_used`` when it is given.
    """
    keys = {word: normalise_word(word) for word in words}
    wanted = {key for key in keys.values() if key}
    if not wanted:
        return dict.fromkeys(keys)

    local = country_language(country=country)
    languages = [local, ENGLISH] if local and local != ENGLISH else [ENGLISH]
    visible = Q(approved=True)
    if user is not None and user.pk is not None:
        visible |= Q(approved=False, created_by=user)
    entries = sorted(
        SpeciesWord.objects.filter(visible, normalised__in=wanted, language__in=languages)
        .select_related("species"),
        key=lambda entry: entry.approved,  # proposals first: a shared meaning overwrites
    )  # fmt: skip
    found: dict[tuple[str, str], Species] = {}
    proposal_of: dict[tuple[str, str], int] = {}
    for entry in entries:
        found[(entry.language, entry.normalised)] = entry.species
        if entry.approved:
            proposal_of.pop((entry.language, entry.normalised), None)
        else:
            proposal_of[(entry.language, entry.normalised)] = entry.pk

    by_name: dict[str, Species] = {}
    if any(all((language, key) not in found for language in languages) for key in wanted):
        # A few dozen rows: comparing in Python keeps the normalisation in one place.
        every_species = list(Species.objects.all())
        for species in every_species:
            if species.common_name:
                by_name.setdefault(normalise_word(species.common_name), species)
        for species in every_species:
            by_name[normalise_word(species.label)] = species

    result: dict[str, Species | None] = {}
    for word, key in keys.items():
        match = None
        if key:
            for language in languages:
                match = found.get((language, key))
                if match is not None:
                    if proposals_used is not None and (language, key) in proposal_of:
                        proposals_used.add(proposal_of[(language, key)])
                    break
            else:
                match = by_name.get(key)
        result[word] = match
    return result


def species_for_word(*, word: str, country: Country | None = None, user=None) -> Species | None:
    """The species a word means for a gene bank of ``country`` (see species_for_words)."""
    return species_for_words(words=[word], country=country, user=user)[word]
