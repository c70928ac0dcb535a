"""Every route that names a curator's submission, record, task, file or finding answers
another curator 404, whatever the method: walked from the resolver, so that a route added
later is covered too. Nothing of the owner's changes."""

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from injecttool.testing.tasks import run_queued
from injecttool.tests.test_no_server_errors import _routes
from uid.models import Animal, Sample, SubmissionFile, Task
from uid.tests.test_api_submissions import client_for
from uid.tests.test_batch import pigs_imported
from validation.models import Finding
from validation.services import submission_validate_start, terms_seed

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

# Routes of the owner's data: prefixes of their names.
OWNED = ("uid:", "api:submission-", "api:animal", "api:sample", "language:species_words",
         "excel:submission_template", "biosample:")  # fmt: skip


@pytest.fixture
def owned(alice):
    """Alice's validated submission with what every route can name."""
    terms_seed()
    submission = pigs_imported(alice)
    submission_validate_start(submission=submission, user=alice)
    run_queued(submission.pk)
    kept = SubmissionFile.objects.create(
        submission=submission, file=submission.file.name, name="pigs.xlsx", size=1, sha256="0" * 64,
        uploaded_by=alice, uploaded_at=timezone.now(),
    )  # fmt: skip
    return {
        "submission": submission.pk,
        "animal": Animal.objects.filter(submission=submission).first().pk,
        "sample": Sample.objects.filter(submission=submission).first().pk,
        "task": Task.objects.filter(submission=submission).first().pk,
        "file": kept.pk,
        "finding": Finding.objects.filter(validation__submission=submission).first().number,
    }


def _kwargs(name: str, params: list[str], owned: dict) -> dict | None:
    values = {}
    for param in params:
        if param in ("pk", "id") and name in ("api:animal", "api:sample"):
            values[param] = owned[name.split(":")[1]]
        elif param in ("pk", "submission_id"):
            values[param] = owned["submission"]
        elif param == "record_pk":
            values[param] = owned["sample" if name.endswith("sample") else "animal"]
        elif param in ("task_pk", "task_id"):
            values[param] = owned["task"]
        elif param in ("file_pk", "file_id"):
            values[param] = owned["file"]
        elif param == "number":
            values[param] = owned["finding"]
        else:
            return None
    return values


def test_another_curator_gets_404_from_every_route_of_the_owners_data(
    client, alice, outsider, owned
):
    routes = [
        (name, params) for name, params, _ in _routes(get_resolver())
        if params and name.startswith(OWNED)
    ]  # fmt: skip
    assert len(routes) >= 35, routes  # the walk found them (pages and API)
    client.force_login(outsider)
    api = client_for(outsider)
    before = (Animal.objects.count(), Sample.objects.count(), Task.objects.count())
    leaks = []
    for name, params in routes:
        kwargs = _kwargs(name, params, owned)
        assert kwargs is not None, f"{name}: a parameter the test does not know: {params}"
        path = reverse(name, kwargs=kwargs)
        asker = api if path.startswith("/api/") else client
        answers = {
            "GET": asker.get(path).status_code,
            "POST": asker.post(
                path, {"action": "delete", "scope": "all", "apply": "1"}
            ).status_code,
        }
        if path.startswith("/api/"):
            answers["PATCH"] = asker.patch(path, {}, format="json").status_code
            answers["DELETE"] = asker.delete(path).status_code
        # 404, or 405 for a method the route does not take; never anything else.
        if any(code not in (404, 405) for code in answers.values()) or 404 not in answers.values():
            leaks.append(f"{name} {path}: {answers}")
    assert not leaks, "\n".join(leaks)
    assert (Animal.objects.count(), Sample.objects.count(), Task.objects.count()) == before
