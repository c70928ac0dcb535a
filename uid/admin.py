"""Django admin of the Unified Internal Database.

Dictionaries are edited here by staff, one row at a time or in bulk through CSV/XLSX
import and export. Curators' submissions and records are shown read-only: they change
only through the services that keep their life cycle and BioSamples links consistent.
"""

import tablib
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db import models
from django.db.models import Count
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from injecttool import csp
from uid.models import (
    Animal,
    Breed,
    Country,
    DevelopmentalStage,
    Ontology,
    Organisation,
    OrganismPart,
    PhysiologicalStage,
    Publication,
    Role,
    Sample,
    Sex,
    Species,
    Submission,
    Task,
)
from uid.services.dictionaries import breeds_confirm
from uid.spreadsheets import spreadsheet_safe


def _has_model_perm(request, opts, action: str) -> bool:
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


class DictionaryAdmin(ImportExportModelAdmin):
    """A dictionary table: staff with the model's permissions edit, import and export it."""

    formats = [CSV, XLSX]
    list_per_page = 100
    # A URL typed without a scheme is taken as https (Django 6's default, stated now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # django-import-export lets any staff member import and export unless a project-wide
    # setting says otherwise; here an import needs the right to add and change rows, and
    # an export the right to see them.
    def has_import_permission(self, request) -> bool:
        return _has_model_perm(request, self.opts, "add") and _has_model_perm(
            request, self.opts, "change"
        )

    def has_export_permission(self, request) -> bool:
        return _has_model_perm(request, self.opts, "view") or _has_model_perm(
            request, self.opts, "change"
        )

    def export_action(self, request):
        response = super().export_action(request)
        response._csp_update = csp.ADMIN_EXPORT_PAGE  # the library's form has inline bits
        return response

    def get_data_for_export(self, request, queryset, **kwargs):
        # Every cell of every export (CSV and XLSX) through one function, so a breed or a
        # species word a curator's file brought in cannot turn into a live formula.
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        rows = [tuple(map(spreadsheet_safe, row)) for row in dataset]
        return tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)


# --- Resources: the columns of an import or export file ---------------------------------


class _TermResource(resources.ModelResource):
    """Label, term and confidence; a row is found again by its label."""

    class Meta:
        import_id_fields = ("label",)
        fields = ("label", "term", "confidence")
        skip_unchanged = True
        clean_model_instances = True


class CountryResource(_TermResource):
    class Meta(_TermResource.Meta):
        model = Country


class SexResource(_TermResource):
    class Meta(_TermResource.Meta):
        model = Sex


class OrganismPartResource(_TermResource):
    class Meta(_TermResource.Meta):
        model = OrganismPart


class DevelopmentalStageResource(_TermResource):
    class Meta(_TermResource.Meta):
        model = DevelopmentalStage


class PhysiologicalStageResource(_TermResource):
    class Meta(_TermResource.Meta):
        model = PhysiologicalStage


class RoleResource(_TermResource):
    class Meta(_TermResource.Meta):
        model = Role


class SpeciesResource(resources.ModelResource):
    class Meta:
        model = Species
        import_id_fields = ("taxon_id",)
        fields = (
            "label",
            "term",
            "taxon_id",
            "common_name",
            "general_breed_label",
            "general_breed_term",
            "confidence",
        )
        skip_unchanged = True
        clean_model_instances = True


class OntologyResource(resources.ModelResource):
    class Meta:
        model = Ontology
        import_id_fields = ("library_name",)
        fields = ("library_name", "iri_base", "description")
        skip_unchanged = True
        clean_model_instances = True


class BreedResource(resources.ModelResource):
    """Species and country by their labels, so a file reads the same in any database."""

    species = fields.Field(
        attribute="species",
        column_name="species",
        widget=widgets.ForeignKeyWidget(Species, field="label"),
    )
    country = fields.Field(
        attribute="country",
        column_name="country",
        widget=widgets.ForeignKeyWidget(Country, field="label"),
    )

    class Meta:
        model = Breed
        import_id_fields = ("supplied_breed", "species", "country")
        fields = (
            "supplied_breed",
            "species",
            "country",
            "mapped_breed",
            "mapped_breed_term",
            "confidence",
        )
        skip_unchanged = True
        clean_model_instances = True


class OrganisationResource(resources.ModelResource):
    country = fields.Field(
        attribute="country",
        column_name="country",
        widget=widgets.ForeignKeyWidget(Country, field="label"),
    )
    role = fields.Field(
        attribute="role", column_name="role", widget=widgets.ForeignKeyWidget(Role, field="label")
    )

    class Meta:
        model = Organisation
        import_id_fields = ("name",)
        fields = ("name", "address", "uri", "country", "role")
        skip_unchanged = True
        clean_model_instances = True


class PublicationResource(resources.ModelResource):
    class Meta:
        model = Publication
        import_id_fields = ("doi",)
        fields = ("doi", "title")
        skip_unchanged = True
        clean_model_instances = True


# --- Dictionary admins ---------------------------------------------------------------


class TermAdmin(DictionaryAdmin):
    list_display = ("label", "term", "confidence")
    list_filter = ("confidence",)
    search_fields = ("label", "term")


@admin.register(Ontology)
class OntologyAdmin(DictionaryAdmin):
    resource_classes = [OntologyResource]
    list_display = ("library_name", "iri_base", "description")
    search_fields = ("library_name", "description")


@admin.register(Country)
class CountryAdmin(TermAdmin):
    resource_classes = [CountryResource]


@admin.register(Sex)
class SexAdmin(TermAdmin):
    resource_classes = [SexResource]


@admin.register(OrganismPart)
class OrganismPartAdmin(TermAdmin):
    resource_classes = [OrganismPartResource]


@admin.register(DevelopmentalStage)
class DevelopmentalStageAdmin(TermAdmin):
    resource_classes = [DevelopmentalStageResource]


@admin.register(PhysiologicalStage)
class PhysiologicalStageAdmin(TermAdmin):
    resource_classes = [PhysiologicalStageResource]


@admin.register(Role)
class RoleAdmin(TermAdmin):
    resource_classes = [RoleResource]


@admin.register(Species)
class SpeciesAdmin(DictionaryAdmin):
    resource_classes = [SpeciesResource]
    list_display = (
        "label",
        "common_name",
        "term",
        "taxon_id",
        "general_breed_label",
        "general_breed_term",
        "confidence",
    )
    list_filter = ("confidence",)
    search_fields = ("label", "common_name", "term", "=taxon_id", "general_breed_label")


def proposals_report(model_admin, request, done: str, clashes: list) -> None:
    """What a share-proposals action did, and which proposals clash with a shared row."""
    model_admin.message_user(request, f"{done} for every curator.")
    for row in clashes:
        model_admin.message_user(
            request,
            f"'{row}' has a shared row of that name already: the proposal stays its curator's.",
            level=messages.WARNING,
        )


class BreedStateFilter(admin.SimpleListFilter):
    """Proposed breeds (brought in by one curator's import) apart from confirmed ones."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("proposed", "Proposed by a curator"), ("confirmed", "Confirmed")]

    def queryset(self, request, queryset):
        if self.value() == "proposed":
            return queryset.filter(proposed_by__isnull=False)
        if self.value() == "confirmed":
            return queryset.filter(proposed_by__isnull=True)
        return queryset


@admin.register(Breed)
class BreedAdmin(DictionaryAdmin):
    resource_classes = [BreedResource]
    list_display = (
        "supplied_breed",
        "species",
        "country",
        "mapped_breed",
        "mapped_breed_term",
        "confidence",
        "proposed_by",
        "animal_count",
    )
    list_filter = (BreedStateFilter, "confidence", "species", "country")
    list_select_related = ("species", "country", "proposed_by")
    search_fields = ("supplied_breed", "mapped_breed", "mapped_breed_term")
    autocomplete_fields = ("species", "country")
    # In the form (not read-only) so that the constraints on names are checked with it:
    # clearing it confirms the breed by hand.
    raw_id_fields = ("proposed_by",)
    readonly_fields = ("proposed_at",)
    actions = ["confirm"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(animal_count=Count("animals"))

    @admin.display(description="animals", ordering="animal_count")
    def animal_count(self, breed: Breed) -> int:
        return breed.animal_count

    @admin.action(description="Confirm the selected breeds for every curator")
    def confirm(self, request, queryset) -> None:
        confirmed, clashes = breeds_confirm(breeds=queryset.filter(proposed_by__isnull=False))
        proposals_report(self, request, f"{confirmed} breed(s) confirmed", clashes)


@admin.register(Organisation)
class OrganisationAdmin(DictionaryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ("name", "country", "role", "uri")
    list_filter = ("country", "role")
    list_select_related = ("country", "role")
    search_fields = ("name", "address", "uri")
    autocomplete_fields = ("country", "role")
    actions = ["merge"]

    @admin.action(description="Merge the selected organisations into the first added")
    def merge(self, request, queryset) -> None:
        from uid.services.dictionaries import organisations_merge

        chosen = list(queryset.order_by("pk"))
        if len(chosen) < 2:
            self.message_user(request, "Select two or more to merge.", level=messages.WARNING)
            return
        keep = chosen[0]
        gone = organisations_merge(organisations=chosen, keep=keep)
        self.message_user(
            request,
            f"Merged {gone} organisation(s) into “{keep.name}”: its profiles and submissions "
            "now name it.",
        )


@admin.register(Publication)
class PublicationAdmin(DictionaryAdmin):
    resource_classes = [PublicationResource]
    list_display = ("doi", "title")
    search_fields = ("doi", "title")


# --- Curators' data: read-only for staff -----------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff look; the owner's services write (life cycle, accessions, BioSamples links)."""

    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A record with an accession must be withdrawn, never silently deleted.
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    """What ran on curators' submissions and how it ended (for operators; read-only)."""

    list_display = ("kind", "state", "submission_title", "owner", "created_at", "finished_at")
    list_filter = ("kind", "state")
    list_select_related = ("owner",)
    search_fields = ("submission_title", "owner__username", "message")
    date_hierarchy = "created_at"


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "owner",
        "gene_bank_name",
        "gene_bank_country",
        "datasource_type",
        "status",
        "created_at",
    )
    list_filter = ("status", "datasource_type", "gene_bank_country")
    list_select_related = ("owner", "gene_bank_country")
    search_fields = ("title", "gene_bank_name", "owner__username", "owner__email")
    date_hierarchy = "created_at"


@admin.register(Animal)
class AnimalAdmin(ReadOnlyAdmin):
    list_display = ("name", "submission", "owner", "species", "breed", "sex", "status", "accession")
    list_filter = ("status", "species", "sex")
    list_select_related = (
        "submission",
        "owner",
        "species",
        "sex",
        "breed__species",
        "breed__country",
    )
    search_fields = ("name", "alternative_id", "accession", "submission__title")


@admin.register(Sample)
class SampleAdmin(ReadOnlyAdmin):
    list_display = ("name", "submission", "owner", "animal", "organism_part", "status", "accession")
    list_filter = ("status", "organism_part")
    list_select_related = ("submission", "owner", "animal", "organism_part")
    search_fields = ("name", "alternative_id", "accession", "animal__name", "submission__title")
