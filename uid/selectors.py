"""Reads of the Unified Internal Database."""

from django.db.models import Count

from uid.models import Animal, Sample, Status, Submission


def owner_status_counts(*, owner) -> dict[str, list[dict]]:
    """Per kind (submissions, animals, samples), the owner's count in each status.

    Every status is listed, zeros included, in life-cycle order.
    """
    result = {}
    for kind, model in (("submissions", Submission), ("animals", Animal), ("samples", Sample)):
        found = dict(
            model.objects.filter(owner=owner).values_list("status").annotate(n=Count("id")).order_by()
        )
        result[kind] = [
            {"status": value, "label": label, "count": found.get(value, 0)} for value, label in Status.choices
        ]
    return result
