from django import forms
from django.conf import settings

from uid.models import Country, DataSourceType, Organisation


class _UploadLimitHelp:
    """Says the upload limit under the file field, before the file is sent."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text += f" Up to {limit_mb} MB."


class SubmissionForm(_UploadLimitHelp, forms.Form):
    title = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    gene_bank_name = forms.CharField(max_length=255)
    gene_bank_country = forms.ModelChoiceField(Country.objects.all())
    organisation = forms.ModelChoiceField(Organisation.objects.all(), required=False)
    datasource_type = forms.ChoiceField(choices=DataSourceType.choices, label="Data source type")
    datasource_version = forms.CharField(
        max_length=64,
        label="Data source version",
        help_text="e.g. the Cryoweb version or export date",
    )
    file = forms.FileField(
        help_text="A Cryoweb data-only dump (.sql), a CRB-Anim export (.csv) "
        "or the IMAGE template (.xlsx); a dump or an export may be gzip-compressed (.gz)."
    )
    upload_again = forms.BooleanField(
        required=False,
        label="Upload it again",
        help_text="Make a new submission even if you uploaded this same file before.",
    )


class SubmissionEditForm(forms.Form):
    """What describes a submission; its data source type belongs to its file."""

    title = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    gene_bank_name = forms.CharField(max_length=255)
    gene_bank_country = forms.ModelChoiceField(Country.objects.all())
    release_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Embargo: the records are public in BioSamples from this day (empty: at once).",
    )


class ReloadForm(_UploadLimitHelp, forms.Form):
    file = forms.FileField(
        help_text="Records not yet submitted are replaced; records with an accession are "
        "matched by name and updated, never dropped."
    )
    overwrite_edits = forms.BooleanField(
        required=False,
        label="Overwrite my changes",
        help_text="Records changed here since their import are replaced by the file's.",
    )
