"""The record tables of a submission's pages (django-tables2): what each column shows and
how it sorts. Filtering is uid.filters', the same as the API's."""

from __future__ import annotations

import django_tables2 as tables
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.template.loader import render_to_string
from django.urls import reverse
from django_tables2.rows import BoundRows

from uid.models import Animal, Sample

PAGE_SIZES = (25, 100, 500)


class IdsFirstPaginator(Paginator):
    """Pages of a large record table read in two steps: the page's ids in the table's
    order (an index scan, cheap even 200,000 rows in), then those records with their
    dictionary terms. Read in one step, the database would join the terms of every row it
    skips on the way to the last page. ``count``, when known, saves counting again;
    ``one_pass``: count with the page's ids (for a search, which reads every row anyway)."""

    def __init__(
        self, object_list, per_page, *args, count: int | None = None, one_pass: bool = False,
        **kwargs,
    ):  # fmt: skip
        super().__init__(object_list, per_page, *args, **kwargs)
        self.one_pass = one_pass
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached property

    def page(self, number) -> Page:
        rows: BoundRows = self.object_list
        queryset = rows.data.data  # the table's ordered QuerySet
        ids = None
        if "count" not in self.__dict__ and self.one_pass:
            # A search reads the whole table anyway: the page's ids and the count in one
            # pass. (A filter by indexed terms counts from its index, then walks the names.)
            ids = self._ids_counted(queryset, number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if ids is None:
            ids = self._ids(queryset, bottom)
        by_id = {record.pk: record for record in queryset.filter(pk__in=ids).order_by()}
        records = [by_id[pk] for pk in ids if pk in by_id]
        return Page(BoundRows(records, table=rows.table), number, self)

    def _ids(self, queryset, bottom: int) -> list[int]:
        """The page's ids from ``bottom`` on. Past the middle they are read from the other
        end (the order reversed): the last page of 200,000 rows skips nothing."""
        queryset = _total_order(queryset)
        from_end = self.count - bottom - self.per_page  # rows after this page
        if bottom <= self.count // 2 or not queryset.ordered:
            return list(queryset.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        start = max(from_end, 0)
        backwards = queryset.reverse().values_list("pk", flat=True)[start : self.count - bottom]
        return list(backwards)[::-1]

    def _ids_counted(self, queryset, number) -> list[int] | None:
        """The ids of page ``number`` with the count of all rows (a window over the same
        scan); None when a later page is empty (out of range: counted the usual way)."""
        try:
            bottom = (max(int(number), 1) - 1) * self.per_page
        except (TypeError, ValueError):
            return None
        found = list(
            queryset.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
                bottom : bottom + self.per_page
            ]
        )
        if not found:
            if bottom:
                return None
            self.__dict__["count"] = 0  # nothing matches at all
            return []
        self.__dict__["count"] = found[0][1]
        return [pk for pk, _ in found]


def _total_order(queryset):
    """``queryset`` in an order without ties (its id breaks them), so that pages read
    forwards and backwards meet exactly. Names are unique within a submission."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    unique = {"name", "pk", "id"}
    if any(isinstance(term, str) and term.lstrip("-") in unique for term in ordering):
        return queryset
    return queryset.order_by(*ordering, "pk")


class _StatusColumn(tables.Column):
    def render(self, value, record) -> str:
        return render_to_string(
            "uid/_status_badge.html",
            {"status": record.status, "label": record.get_status_display()},
        )


class _ValidationColumn(tables.Column):
    """The record's last validation result (the view puts the page's on the table)."""

    def __init__(self) -> None:
        super().__init__(verbose_name="Validation", accessor="pk", orderable=False, empty_values=())

    def render(self, value, record, table) -> str:
        shown = getattr(table, "validation", {}).get(record.pk)
        return render_to_string("uid/_validation_badge.html", {"shown": shown})


def _name_column(kind: str) -> tables.Column:
    """The record's name, linking to its page."""

    def link(record) -> str:
        return reverse(f"uid:submission_{kind}", args=[record.submission_id, record.pk])

    return tables.Column(
        verbose_name="Data source ID", attrs={"td": {"class": "text-break"}}, linkify=link
    )


class _RecordTable(tables.Table):
    # Ticks belong to the batch form above the table (the HTML form attribute).
    ids = tables.CheckBoxColumn(
        accessor="pk",
        orderable=False,
        attrs={
            "th__input": {"data-tick-all": "", "aria-label": "Tick all on this page",
                          "form": "batch-form"},
            "td__input": {"name": "ids", "form": "batch-form", "aria-label": "Tick"},
        },
    )  # fmt: skip
    alternative_id = tables.Column(verbose_name="Alternative ID")
    status = _StatusColumn(verbose_name="Status")
    validation = _ValidationColumn()
    accession = tables.Column(verbose_name="BioSamples", default="—")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "records"}
        empty_text = "No record matches."
        orderable = True


class AnimalTable(_RecordTable):
    name = _name_column("animal")
    species = tables.Column(
        verbose_name="Species", accessor="species__label", order_by=("species__label",)
    )
    breed = tables.Column(
        verbose_name="Breed", accessor="breed__supplied_breed", order_by=("breed__supplied_breed",)
    )
    sex = tables.Column(verbose_name="Sex", accessor="sex__label", order_by=("sex__label",))
    birth_date = tables.Column(verbose_name="Born", default="")

    class Meta(_RecordTable.Meta):
        model = Animal
        fields = ("ids", "name", "alternative_id", "species", "breed", "sex", "birth_date",
                  "status", "validation", "accession")  # fmt: skip
        sequence = fields


class SampleTable(_RecordTable):
    name = _name_column("sample")
    animal = tables.Column(
        verbose_name="Animal", accessor="animal__name", order_by=("animal__name",)
    )
    organism_part = tables.Column(
        verbose_name="Organism part",
        accessor="organism_part__label",
        order_by=("organism_part__label",),
    )
    collection_date = tables.Column(verbose_name="Collected", default="")
    storage = tables.Column(verbose_name="Storage", default="")

    class Meta(_RecordTable.Meta):
        model = Sample
        fields = ("ids", "name", "alternative_id", "animal", "organism_part", "collection_date",
                  "storage", "status", "validation", "accession")  # fmt: skip
        sequence = fields
