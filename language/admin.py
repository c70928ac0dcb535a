"""Django admin of the language app: each country's language and the species words."""

from django.contrib import admin
from import_export import fields, resources, widgets

from language.models import CountryLanguage, SpeciesWord, normalise_word
from language.services import species_words_approve
from uid.admin import DictionaryAdmin, proposals_report
from uid.models import Country, Species


class CountryLanguageResource(resources.ModelResource):
    country = fields.Field(
        attribute="country",
        column_name="country",
        widget=widgets.ForeignKeyWidget(Country, field="label"),
    )

    class Meta:
        model = CountryLanguage
        import_id_fields = ("country",)
        fields = ("country", "language")
        skip_unchanged = True
        clean_model_instances = True


class SpeciesWordResource(resources.ModelResource):
    """Word, language and species (by scientific name); a row is found again by its word."""

    species = fields.Field(
        attribute="species",
        column_name="species",
        widget=widgets.ForeignKeyWidget(Species, field="label"),
    )

    class Meta:
        model = SpeciesWord
        import_id_fields = ("language", "word")
        fields = ("word", "language", "species")
        skip_unchanged = True
        clean_model_instances = True

    def get_instance(self, instance_loader, row):
        # "Schaf" and " schaf " are one word: find it by the lookup key, not the spelling.
        word = row.get("word") or ""
        language = (row.get("language") or "en").strip().lower()
        return SpeciesWord.objects.filter(
            language=language, normalised=normalise_word(str(word)), approved=True
        ).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.word = " ".join((instance.word or "").split())
        # Derived before validation, which checks the (language, key) constraint.
        instance.normalised = normalise_word(instance.word)


@admin.register(CountryLanguage)
class CountryLanguageAdmin(DictionaryAdmin):
    resource_classes = [CountryLanguageResource]
    list_display = ("country", "language")
    list_filter = ("language",)
    list_select_related = ("country",)
    search_fields = ("country__label", "=language")
    autocomplete_fields = ("country",)


@admin.register(SpeciesWord)
class SpeciesWordAdmin(DictionaryAdmin):
    """Shared words, and below them the queue of curators' proposals (approved: No)."""

    resource_classes = [SpeciesWordResource]
    list_display = (
        "word", "language", "species", "approved", "created_by", "created_at", "times_used",
    )  # fmt: skip
    list_filter = ("approved", "language", "species")
    list_select_related = ("species", "created_by")
    readonly_fields = ("created_by", "created_at", "times_used")
    search_fields = ("word", "normalised", "species__label", "species__common_name")
    autocomplete_fields = ("species",)
    actions = ["approve"]

    @admin.action(description="Approve the selected words for every curator")
    def approve(self, request, queryset) -> None:
        approved, clashes = species_words_approve(words=queryset.filter(approved=False))
        proposals_report(self, request, f"{approved} word(s) approved", clashes)
