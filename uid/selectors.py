"""Reads of the Unified Internal Database."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from uid.models import (
    ACTIVE_STATES,
    Animal,
    Breed,
    RecordCount,
    Sample,
    Status,
    Submission,
    SubmissionEvent,
    Task,
    TaskKind,
)


def owner_status_counts(*, owner) -> dict[str, list[dict]]:
    """Per kind (submissions, animals, samples), the owner's count in each status.

    Every status is listed, zeros included, in life-cycle order.
    """
    result = {}
    present = Submission.objects.present()
    for kind, model in (("submissions", Submission), ("animals", Animal), ("samples", Sample)):
        rows = (
            present.filter(owner=owner)
            if model is Submission
            else model.objects.filter(owner=owner, submission__in=present)
        )
        found = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
        result[kind] = [
            {"status": value, "label": label, "count": found.get(value, 0)}
            for value, label in Status.choices
            if kind == "submissions" or value != Status.EMPTY  # a record is never empty
        ]
    return result


# Bars a breed chart shows; the rest are summed as "other breeds".
CHART_BREEDS = 12


def records_charts(
    *, owner=None, submission: Submission | None = None, status_counts: dict | None = None
) -> dict:
    """What the charts show of the owner's records (or of one submission's): records by
    status (animals and samples), animals by species and by breed (the largest
    CHART_BREEDS, the rest summed). Labels in life-cycle or largest-first order.
    ``status_counts``: owner_status_counts' answer, when the caller has it already."""
    if submission is not None:
        where = {"submission": submission}
    else:
        where = {"owner": owner, "submission__in": Submission.objects.present()}
    animals = Animal.objects.filter(**where)
    samples = Sample.objects.filter(**where)
    if status_counts is not None:
        by_status = {
            kind: {row["status"]: row["count"] for row in status_counts[kind]}
            for kind in ("animals", "samples")
        }
    else:
        by_status = {
            kind: dict(records.values_list("status").annotate(n=Count("id")).order_by())
            for kind, records in (("animals", animals), ("samples", samples))
        }
    statuses = [
        (value, label)
        for value, label in Status.choices
        if by_status["animals"].get(value) or by_status["samples"].get(value)
    ]

    def largest(path: str) -> list[tuple[str, int]]:
        counted = animals.values_list(path).annotate(n=Count("id")).order_by("-n", path)
        return [(str(label), n) for label, n in counted]

    breeds = largest("breed__supplied_breed")
    other = ""
    if len(breeds) > CHART_BREEDS:
        rest = sum(n for _, n in breeds[CHART_BREEDS - 1 :])
        other = f"{len(breeds) - CHART_BREEDS + 1} other breeds"
        breeds = breeds[: CHART_BREEDS - 1] + [(other, rest)]
    return {
        "status": {
            "values": [value for value, _ in statuses],
            "labels": [label for _, label in statuses],
            "animals": [by_status["animals"].get(value, 0) for value, _ in statuses],
            "samples": [by_status["samples"].get(value, 0) for value, _ in statuses],
        },
        "species": _series(largest("species__label")),
        "breed": _series(breeds) | {"other": other},
    }


def _series(pairs: list[tuple[str, int]]) -> dict:
    return {"labels": [label for label, _ in pairs], "counts": [n for _, n in pairs]}


def submission_get_for_user(*, user, pk: int) -> Submission:
    """The user's own submission, or 404: an outsider must not learn that it exists."""
    return get_object_or_404(
        Submission.objects.present().select_related("gene_bank_country"), pk=pk, owner=user
    )


def breeds_for_user(*, user):
    """The breeds a curator may pick: confirmed ones and their own proposals.

    Another curator's proposed breed is theirs until staff confirm it (every picker of
    breeds shown to curators reads this).
    """
    return Breed.objects.filter(Q(proposed_by__isnull=True) | Q(proposed_by=user))


def submission_files(*, submission: Submission):
    """Every file uploaded into ``submission``, newest first, with who uploaded it.

    ``is_records_file`` is read in the same query as the files' outcomes: an import that
    ends between two queries of a page cannot show a loaded file as replaced.
    """
    return submission.files.select_related("uploaded_by").annotate(
        is_records_file=ExpressionWrapper(
            Q(pk=F("submission__records_file")), output_field=BooleanField()
        )
    )


def submission_file_get(*, submission: Submission, pk: int):
    """One of ``submission``'s files, or 404."""
    return get_object_or_404(submission.files, pk=pk)


def submission_form_defaults(*, user) -> dict:
    """What a new submission form starts with: the gene bank of the user's last submission
    (curators upload for one gene bank, again and again), else their own affiliation."""
    last = (
        Submission.objects.filter(owner=user)
        .order_by("-created_at")
        .values("gene_bank_name", "gene_bank_country", "organisation", "datasource_type")
        .first()
    )
    if last is not None:
        return {key: value for key, value in last.items() if value is not None}
    profile = getattr(user, "profile", None)
    affiliation = getattr(profile, "affiliation", None)
    if affiliation is None:
        return {}
    defaults = {"organisation": affiliation.pk}
    if affiliation.country_id is not None:
        defaults["gene_bank_country"] = affiliation.country_id
    return defaults


def submission_list(*, user):
    """The user's submissions, each with ``animal_count``, ``sample_count`` and its
    tasks, the current one first, in ``tasks_current``."""

    return (
        Submission.objects.present()
        .filter(owner=user)
        .select_related("gene_bank_country")
        .annotate(
            animal_count=Coalesce(F("record_count__animals"), 0),
            sample_count=Coalesce(F("record_count__samples"), 0),
        )
        .prefetch_related(
            Prefetch("tasks", _tasks_current_first(Task.objects.all()), to_attr="tasks_current")
        )
    )


def submission_record_counts(*, submission: Submission) -> dict[str, int]:
    """Its number of animals and samples (kept by the database: uid.RecordCount)."""
    counted = RecordCount.objects.filter(submission=submission).first()
    if counted is None:  # no record was ever loaded into it
        return {"animals": 0, "samples": 0}
    return {"animals": counted.animals, "samples": counted.samples}


def submission_task(*, submission: Submission) -> Task | None:
    """The task the submission's page shows: the active one, else the latest."""
    if hasattr(submission, "tasks_current"):  # read with submission_list
        return submission.tasks_current[0] if submission.tasks_current else None
    return _tasks_current_first(Task.objects.filter(submission=submission)).first()


def _tasks_current_first(tasks):
    return tasks.order_by(
        Case(When(state__in=ACTIVE_STATES, then=0), default=1), "-created_at", "-pk"
    )


def submission_tasks(*, submission: Submission, limit: int = 20):
    """The submission's latest tasks, newest first (its history)."""
    return Task.objects.filter(submission=submission).select_related("created_by")[:limit]


def submission_events(*, submission: Submission):
    """The submission's timeline, newest first."""
    return SubmissionEvent.objects.filter(submission=submission).select_related("user")


def submission_edited_count(*, submission: Submission) -> int:
    """How many of its records were changed by hand since their import."""
    return sum(
        model.objects.filter(submission=submission, edited_at__isnull=False).count()
        for model in (Animal, Sample)
    )


def tasks_deleting(*, user):
    """The user's delete tasks still at work: the submissions going away."""
    return Task.objects.filter(owner=user, kind=TaskKind.DELETE, state__in=ACTIVE_STATES)


# What a record table reads with each record: one query a page, whatever its size.
_RECORD_RELATED = {
    "animals": ("species", "breed", "sex"),
    "samples": ("animal", "organism_part"),
}
# Per kind, the filters whose choices are the values the submission holds.
_RECORD_CHOICES = {
    "animals": {
        "species": "species__label",
        "breed": "breed__supplied_breed",
        "sex": "sex__label",
    },
    "samples": {"organism_part": "organism_part__label"},
}


def submission_records(*, submission: Submission, kind: str):
    """The animals or the samples of ``submission``, with what their table shows."""
    model = Animal if kind == "animals" else Sample
    return model.objects.filter(submission=submission).select_related(*_RECORD_RELATED[kind])


def submission_record_choices(*, submission: Submission, kind: str) -> dict[str, list[str]]:
    """Per filter of the ``kind`` table, the values the submission's records have."""
    model = Animal if kind == "animals" else Sample
    choices = {}
    for name, path in _RECORD_CHOICES[kind].items():
        # One probe of the (submission, term) index per dictionary term, rather than a
        # pass over every record of a large submission.
        field, label = path.split("__")
        terms = model._meta.get_field(field).related_model
        used = model.objects.filter(submission=submission, **{field: OuterRef("pk")})
        values = terms.objects.filter(Exists(used)).values_list(label, flat=True).distinct()
        choices[name] = sorted(values)
    return choices


def submission_records_filtered(*, submission: Submission, kind: str, query) -> QuerySet:
    """The ``kind`` records of ``submission`` that the filters in ``query`` select (all
    of them when it has none or a wrong one)."""
    from uid.filters import AnimalFilter, SampleFilter

    filter_class = AnimalFilter if kind == "animals" else SampleFilter
    records = (Animal if kind == "animals" else Sample).objects.filter(submission=submission)
    found = filter_class(query or None, queryset=records)
    return found.qs if found.is_bound and found.is_valid() else records


def submission_records_for_file(
    *, submission: Submission, kind: str, query
) -> tuple[QuerySet, QuerySet]:
    """(animals, samples) for a file of the records a filter selects that stands on its
    own: with the animals of the chosen samples, the samples of the chosen animals, and
    the chosen animals' parents and theirs (a file names them)."""
    chosen = submission_records_filtered(submission=submission, kind=kind, query=query)
    own = Animal.objects.filter(submission=submission)
    if kind == "animals":
        ids = set(chosen.values_list("pk", flat=True))
        samples = Sample.objects.filter(submission=submission, animal_id__in=ids)
    else:
        samples = chosen
        ids = set(chosen.values_list("animal_id", flat=True))
    while True:  # the ancestors, a generation a query
        parents = {
            pk
            for pair in own.filter(pk__in=ids).values_list("father_id", "mother_id")
            for pk in pair
            if pk is not None
        }
        parents = set(own.filter(pk__in=parents - ids).values_list("pk", flat=True))
        if not parents:
            break
        ids |= parents
    return own.filter(pk__in=ids), samples


def submission_record_get(*, submission: Submission, kind: str, pk: int):
    """One animal or sample of ``submission``, or 404."""
    return get_object_or_404(submission_records(submission=submission, kind=kind), pk=pk)


def submission_task_get(*, submission: Submission, pk: int) -> Task:
    """One of ``submission``'s tasks, or 404."""
    return get_object_or_404(Task.objects.filter(submission=submission), pk=pk)


def submission_status_counts(*, submission: Submission) -> list[dict]:
    """The submission's records per status (those it has), animals and samples apart."""
    found = {
        kind: dict(
            model.objects.filter(submission=submission)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for kind, model in (("animals", Animal), ("samples", Sample))
    }
    return [
        {"status": value, "label": label, "animals": found["animals"].get(value, 0),
         "samples": found["samples"].get(value, 0)}
        for value, label in Status.choices
        if found["animals"].get(value) or found["samples"].get(value)
    ]  # fmt: skip


LOOKUP_LIMIT = 20


def animals_lookup(*, submission: Submission, text: str, sex: str = "") -> list[dict]:
    """Animals a parent or animal field may name, for the text typed so far: the
    submission's own by name or alternative id (value: the name), and the owner's animals
    in BioSamples of other submissions by accession (value: the accession). Those of
    ``sex`` first; at most LOOKUP_LIMIT."""
    text = text.strip()
    own = Animal.objects.filter(submission=submission)
    if text:
        own = own.filter(Q(name__icontains=text) | Q(alternative_id__icontains=text))
    order = [Case(When(sex__label=sex, then=0), default=1)] if sex else []
    found = [
        {"value": name, "text": _lookup_text(name, alternative_id, sex_label, breed)}
        for name, alternative_id, sex_label, breed in own.order_by(*order, "name").values_list(
            "name", "alternative_id", "sex__label", "breed__supplied_breed"
        )[:LOOKUP_LIMIT]
    ]
    if text and len(found) < LOOKUP_LIMIT:
        elsewhere = (
            Animal.objects.filter(owner=submission.owner, accession__istartswith=text)
            .exclude(submission=submission)
            .order_by("accession")
            .values_list("accession", "name", "sex__label", "breed__supplied_breed")
        )
        found += [
            {
                "value": accession,
                "text": f"{accession}: " + _lookup_text(name, "", sex_label, breed),
            }
            for accession, name, sex_label, breed in elsewhere[: LOOKUP_LIMIT - len(found)]
        ]
    return found


def _lookup_text(name: str, alternative_id: str, sex: str, breed: str) -> str:
    also = f" ({alternative_id})" if alternative_id else ""
    return f"{name}{also} · {sex} · {breed}"
