"""Django admin of the validation app: the offline ontology term table.

Admins search terms by id, label or synonym, edit them one at a time, and import or
export them in bulk (CSV or XLSX; synonyms and ancestors as JSON lists), with the same
permissions and export safety as the dictionaries (uid.admin.DictionaryAdmin).
"""

from django.contrib import admin
from import_export import fields, resources, widgets

from uid.admin import DictionaryAdmin
from validation.models import OntologyTerm


class _ListWidget(widgets.JSONWidget):
    """A JSON list; an empty cell is an empty list (the column is never null)."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or []


class OntologyTermResource(resources.ModelResource):
    """The columns of a term file; a row is found again by its term id."""

    synonyms = fields.Field(attribute="synonyms", column_name="synonyms", widget=_ListWidget())
    ancestors = fields.Field(attribute="ancestors", column_name="ancestors", widget=_ListWidget())

    class Meta:
        model = OntologyTerm
        import_id_fields = ("id",)
        fields = ("id", "iri", "label", "synonyms", "ancestors", "obsolete")
        skip_unchanged = True
        clean_model_instances = True


@admin.register(OntologyTerm)
class OntologyTermAdmin(DictionaryAdmin):
    resource_classes = [OntologyTermResource]
    list_display = ("id", "label", "obsolete")
    list_filter = ("obsolete",)
    search_fields = ("id", "label", "synonyms")
