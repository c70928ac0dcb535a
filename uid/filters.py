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


class AnimalFilter(_RecordFilter):
    species = django_filters.CharFilter(
        field_name="species__label", lookup_expr="iexact", label="Species (scientific name)"
    )
    breed = django_filters.CharFilter(
        field_name="breed__supplied_breed", lookup_expr="iexact", label="Breed (as supplied)"
    )
    sex = django_filters.CharFilter(field_name="sex__label", lookup_expr="iexact", label="Sex")
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
    organism_part = django_filters.CharFilter(
        field_name="organism_part__label", lookup_expr="iexact", label="Organism part"
    )
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
