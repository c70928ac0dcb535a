"""Filters of the record lists: the REST API and the record tables read the same ones."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from uid.models import Animal, Sample, Status

# The statuses a record can have (a submission may also have none).
RECORD_STATUSES = [(value, label) for value, label in Status.choices if value != Status.EMPTY]


class _RecordFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", label="Name or alternative id contains"
    )
    status = django_filters.ChoiceFilter(choices=RECORD_STATUSES, empty_label="any status")
    has_accession = django_filters.BooleanFilter(
        method="filter_has_accession", label="Has a BioSamples accession"
    )
    validation = django_filters.ChoiceFilter(
        method="filter_validation",
        choices=[("Pass", "Pass"), ("Warning", "Warning"), ("Error", "Error")],
        empty_label="any result",
        label="Validation result",
    )
    finding = django_filters.CharFilter(
        method="filter_finding", label="Has this validation message"
    )
    ordering = django_filters.OrderingFilter(
        fields=("name", "alternative_id", "status", "accession", "last_changed", "id"),
    )

    def filter_validation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from validation.models import RecordResult

        if not value:
            return queryset
        results = RecordResult.objects.filter(kind=queryset.model._meta.model_name, status=value)
        return queryset.filter(pk__in=results.values("record_id"))

    def filter_finding(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from validation.models import Finding, RecordResult

        if not value:
            return queryset
        # A message is one finding per validation (of a submission): its number there.
        which = Q(pk__in=[])
        for submission_id, number in Finding.objects.filter(message=value).values_list(
            "validation__submission_id", "number"
        ):
            which |= Q(submission_id=submission_id, findings__contains=[number])
        results = RecordResult.objects.filter(which, kind=queryset.model._meta.model_name)
        return queryset.filter(pk__in=results.values("record_id"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        # Text without letters (most ids) matches the same in any case: the plain, case-
        # sensitive match scans a large submission a third faster.
        lookup = "contains" if value.upper() == value.lower() else "icontains"
        return queryset.filter(
            Q(**{f"name__{lookup}": value}) | Q(**{f"alternative_id__{lookup}": value})
        )

    def filter_has_accession(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        with_one = Q(accession__isnull=False) & ~Q(accession="")
        return queryset.filter(with_one) if value else queryset.exclude(with_one)


def _term_filter(field: str, label_field: str, label: str) -> django_filters.CharFilter:
    """A filter by a dictionary term's word (any case): the word is turned into the terms'
    ids first, so that the (submission, term) index finds the records without a join."""

    def by_word(queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        terms = queryset.model._meta.get_field(field).related_model.objects
        ids = terms.filter(**{f"{label_field}__iexact": value}).values("pk")
        return queryset.filter(**{f"{field}__in": ids})

    return django_filters.CharFilter(method=by_word, label=label)


class AnimalFilter(_RecordFilter):
    species = _term_filter("species", "label", "Species (scientific name)")
    breed = _term_filter("breed", "supplied_breed", "Breed (as supplied)")
    sex = _term_filter("sex", "label", "Sex")
    ordering = django_filters.OrderingFilter(
        fields=(
            "name", "alternative_id", "status", "accession", "last_changed", "id",
            ("species__label", "species"), ("breed__supplied_breed", "breed"),
            ("sex__label", "sex"), "birth_date",
        )
    )  # fmt: skip

    class Meta:
        model = Animal
        fields = ["search", "status", "species", "breed", "sex", "has_accession", "validation",
                  "finding"]  # fmt: skip


class SampleFilter(_RecordFilter):
    animal = django_filters.CharFilter(
        field_name="animal__name", label="Name of the sample's animal"
    )
    organism_part = _term_filter("organism_part", "label", "Organism part")
    ordering = django_filters.OrderingFilter(
        fields=(
            "name", "alternative_id", "status", "accession", "last_changed", "id",
            ("animal__name", "animal"), ("organism_part__label", "organism_part"),
            "collection_date", "storage",
        )
    )  # fmt: skip

    class Meta:
        model = Sample
        fields = ["search", "status", "animal", "organism_part", "has_accession", "validation",
                  "finding"]  # fmt: skip
