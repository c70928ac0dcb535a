"""Filters of the record lists (REST API; the pages may reuse them)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from uid.models import Animal, Sample, Status


class _RecordFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    search = django_filters.CharFilter(
        method="filter_search", label="name or alternative id contains (any case)"
    )
    ordering = django_filters.OrderingFilter(
        fields=("name", "status", "accession", "last_changed", "id"),
    )

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(alternative_id__icontains=value))


class AnimalFilter(_RecordFilter):
    class Meta:
        model = Animal
        fields = ["status"]


class SampleFilter(_RecordFilter):
    animal = django_filters.CharFilter(
        field_name="animal__name", label="name of the sample's animal"
    )

    class Meta:
        model = Sample
        fields = ["status"]
