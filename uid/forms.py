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


# --- Records ------------------------------------------------------------------------------


def _choices(values, current: str) -> list[tuple[str, str]]:
    """A limited attribute's values, with the record's own first when it is not one
    (a value an import kept as given stays until the curator picks another)."""
    choices = [("", "—")] + [(value, value) for value in values]
    if current and current not in values:
        choices.insert(1, (current, f"{current} (not an IMAGE value)"))
    return choices


def _searchable(form: forms.Form, *names: str) -> None:
    """Drop-downs that records.js turns into ones a curator can type into."""
    for name in names:
        form.fields[name].widget.attrs["data-searchable"] = ""


def _lookup_url(submission_id) -> str:
    """Where a parent or animal field finds the owner's animals as the curator types."""
    from django.urls import reverse

    return reverse("uid:submission_animal_lookup", args=[submission_id]) if submission_id else ""


class _RecordForm(forms.Form):
    alternative_id = forms.CharField(max_length=255, required=False, label="Alternative ID")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Description"
    )

    def clean_date(self, name: str) -> str:
        from uid.services.records import date_checked

        return date_checked(self.cleaned_data.get(name, ""))


def _coordinate(label: str, limit: float) -> forms.FloatField:
    return forms.FloatField(
        required=False, min_value=-limit, max_value=limit, label=label,
        help_text=f"decimal degrees, -{limit:g} to {limit:g}",
    )  # fmt: skip


class AnimalForm(_RecordForm):
    """Every IMAGE attribute of an animal that a curator may change here."""

    species = forms.ModelChoiceField(queryset=None, label="Species")
    breed = forms.ModelChoiceField(queryset=None, label="Breed")
    sex = forms.ModelChoiceField(queryset=None, label="Sex")
    father = forms.CharField(
        required=False, label="Father", help_text="an animal of this submission, or an accession"
    )
    mother = forms.CharField(
        required=False, label="Mother", help_text="an animal of this submission, or an accession"
    )
    birth_date = forms.CharField(
        required=False, max_length=10, label="Birth date", help_text="YYYY-MM-DD, YYYY-MM or YYYY"
    )
    birth_location = forms.CharField(required=False, max_length=255, label="Birth location")
    birth_location_latitude = _coordinate("Birth location latitude", 90)
    birth_location_longitude = _coordinate("Birth location longitude", 180)
    birth_location_accuracy = forms.ChoiceField(label="Birth location accuracy")

    def __init__(self, *args, animal, user, **kwargs) -> None:
        from uid.models import Sex, Species
        from uid.selectors import breeds_for_user
        from validation.registry import attribute

        super().__init__(*args, **kwargs)
        self.animal = animal
        self.fields["species"].queryset = Species.objects.order_by("label")
        self.fields["breed"].queryset = breeds_for_user(user=user).order_by("supplied_breed")
        self.fields["sex"].queryset = Sex.objects.order_by("label")
        self.fields["birth_location_accuracy"].choices = _choices(
            attribute("Birth location accuracy").values, animal.birth_location_accuracy
        )
        _searchable(self, "species", "breed", "sex")
        lookup = _lookup_url(animal.submission_id)
        self.fields["father"].widget.attrs.update({"data-lookup": lookup, "data-sex": "male"})
        self.fields["mother"].widget.attrs.update({"data-lookup": lookup, "data-sex": "female"})

    def clean_birth_date(self) -> str:
        return self.clean_date("birth_date")

    def clean(self):
        from uid.services.records import parent_for

        data = super().clean()
        for name in ("father", "mother"):
            try:
                data[name] = parent_for(
                    submission=self.animal.submission, text=data.get(name) or "", field=name
                )
            except forms.ValidationError as error:
                self.add_error(name, error.message_dict[name])
        if data.get("father") is not None and data["father"] == self.animal:
            self.add_error("father", "an animal is not its own parent")
        if data.get("mother") is not None and data["mother"] == self.animal:
            self.add_error("mother", "an animal is not its own parent")
        breed, species = data.get("breed"), data.get("species")
        if breed is not None and species is not None and breed.species_id != species.pk:
            self.add_error("breed", f"this breed is of {breed.species}, not of {species}")
        return data


class SampleForm(_RecordForm):
    """Every IMAGE attribute of a sample that a curator may change here."""

    animal = forms.CharField(
        label="Animal", help_text="an animal of this submission, or an accession"
    )
    organism_part = forms.ModelChoiceField(queryset=None, label="Organism part")
    protocol = forms.URLField(
        required=False, assume_scheme="https", label="Specimen collection protocol"
    )
    collection_date = forms.CharField(
        required=False,
        max_length=10,
        label="Collection date",
        help_text="YYYY-MM-DD, YYYY-MM or YYYY",
    )
    collection_place = forms.CharField(required=False, max_length=255, label="Collection place")
    collection_place_latitude = _coordinate("Collection place latitude", 90)
    collection_place_longitude = _coordinate("Collection place longitude", 180)
    collection_place_accuracy = forms.ChoiceField(label="Collection place accuracy")
    developmental_stage = forms.ModelChoiceField(
        queryset=None, required=False, label="Developmental stage"
    )
    physiological_stage = forms.ModelChoiceField(
        queryset=None, required=False, label="Physiological stage"
    )
    animal_age_at_collection = forms.FloatField(
        required=False, min_value=0, label="Animal age at collection"
    )
    animal_age_at_collection_unit = forms.ChoiceField(required=False, label="Unit")
    availability = forms.CharField(
        required=False, max_length=500, label="Availability",
        help_text="a web address, a mailto: address, or “no longer available”",
    )  # fmt: skip
    storage = forms.ChoiceField(required=False, label="Sample storage")
    storage_processing = forms.ChoiceField(required=False, label="Sample storage processing")
    preparation_interval = forms.FloatField(
        required=False, min_value=0, label="Sampling to preparation interval"
    )
    preparation_interval_unit = forms.ChoiceField(required=False, label="Unit")

    def __init__(self, *args, sample, **kwargs) -> None:
        from uid.models import DevelopmentalStage, OrganismPart, PhysiologicalStage
        from validation.registry import attribute

        super().__init__(*args, **kwargs)
        self.sample = sample
        self.fields["organism_part"].queryset = OrganismPart.objects.order_by("label")
        self.fields["developmental_stage"].queryset = DevelopmentalStage.objects.order_by("label")
        self.fields["physiological_stage"].queryset = PhysiologicalStage.objects.order_by("label")
        _searchable(self, "organism_part", "developmental_stage", "physiological_stage")
        if sample.submission_id:
            self.fields["animal"].widget.attrs["data-lookup"] = _lookup_url(sample.submission_id)
        for name, rule in (
            ("collection_place_accuracy", "Collection place accuracy"),
            ("storage", "Sample storage"),
            ("storage_processing", "Sample storage processing"),
        ):
            self.fields[name].choices = _choices(attribute(rule).values, getattr(sample, name))
        for name, rule in (
            ("animal_age_at_collection_unit", "Animal age at collection"),
            ("preparation_interval_unit", "Sampling to preparation interval"),
        ):
            self.fields[name].choices = _choices(attribute(rule).units, getattr(sample, name))

    def clean_collection_date(self) -> str:
        return self.clean_date("collection_date")

    def clean(self):
        from uid.services.records import parent_for

        data = super().clean()
        if "animal" in data:
            try:
                data["animal"] = parent_for(
                    submission=self.sample.submission, text=data["animal"], field="animal"
                )
            except forms.ValidationError as error:
                self.add_error("animal", error.message_dict["animal"])
        for amount, unit in (
            ("animal_age_at_collection", "animal_age_at_collection_unit"),
            ("preparation_interval", "preparation_interval_unit"),
        ):
            if data.get(amount) is not None and not data.get(unit):
                self.add_error(unit, "say the unit of this number")
        return data


def record_form_initial(record, kind: str) -> dict:
    """The edit form's values for ``record`` as it is (parents by name, or accession)."""
    if kind == "animals":
        names = [n for n in AnimalForm.base_fields if n not in ("father", "mother")]
        initial = {name: getattr(record, name) for name in names}
        for name in ("father", "mother"):
            parent = getattr(record, name)
            initial[name] = (
                ""
                if parent is None
                else parent.name
                if parent.submission_id == record.submission_id
                else parent.accession
            )
        return initial
    initial = {name: getattr(record, name) for name in SampleForm.base_fields}
    animal = record.animal
    initial["animal"] = (
        animal.name if animal.submission_id == record.submission_id else animal.accession
    )
    return initial


def batch_value_form(field: forms.Field, data=None, **kwargs) -> forms.Form:
    """A form of one input, ``value``, with the rules of an edit form's ``field``."""
    form_class = type("BatchValueForm", (forms.Form,), {"value": field})
    return form_class(data, **kwargs)
