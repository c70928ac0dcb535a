"""/api/v1/submissions/: upload, list, detail, retry, reload, delete; owner only."""

import hashlib

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tokens import token_create
from injecttool.testing.tasks import run_queued
from uid.models import Country, Organisation, Submission, Task, TaskKind, TaskState
from uid.services.dictionaries import dictionaries_seed
from uid.services.submissions import submission_import
from uid.services.tasks import _LOCK_CLASS

URL = "/api/v1/submissions/"
# A tiny CRB-Anim export: two animals, three samples.
CSV = (
    "animal_ID,sex,species_latin_name,country_of_origin,breed_name,animal_birth_date,"
    "sample_identifier,sample_type_name,body_part_name,sampling_date,sampling_protocol_url,"
    "sample_availability,sample_storage_temperature,sample_bibliographic_references,"
    "EBI_Biosample_identifier\n"
    "ram-1,male,Ovis aries,DE,Merinolandschaf,2015-03-01,straw-1,semen,,2019-04-01,,,-196°C,,\n"
    "ram-1,male,Ovis aries,DE,Merinolandschaf,2015-03-01,straw-2,semen,,2019-04-02,,,-196°C,,\n"
    "ewe-1,female,Ovis aries,DE,Merinolandschaf,2016-05-01,oocyte-1,oocyte,,2019-05-01,,,-196°C,,\n"
).encode()


@pytest.fixture
def germany(db):
    dictionaries_seed()
    return Country.objects.get(label="Germany")


def client_for(user) -> APIClient:
    api = APIClient()
    _, key = token_create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def api(alice):
    return client_for(alice)


def upload(content=CSV, name="crb.csv", **fields):
    data = {
        "title": "Sheep straws",
        "description": "spring batch",
        "gene_bank_name": "Cryobank",
        "gene_bank_country": "Germany",
        "datasource_type": "crbanim",
        "datasource_version": "2024",
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
    }
    data.update(fields)
    return data


def make_submission(owner, country, task=TaskState.SUCCEEDED, **task_fields) -> Submission:
    """A submission whose last import task is in state ``task``."""
    submission = Submission(
        owner=owner, title="Sheep", gene_bank_name="Cryobank", gene_bank_country=country,
        datasource_type="crbanim", datasource_version="1",
        file_name="crb.csv", file_size=len(CSV),
    )  # fmt: skip
    submission.file.save("crb.csv", SimpleUploadedFile("crb.csv", CSV), save=False)
    submission.save()
    if task == TaskState.RUNNING:
        task_fields.setdefault("started_at", timezone.now())
    Task.objects.create(
        owner=owner, submission=submission, kind=TaskKind.IMPORT, state=task, **task_fields
    )
    return submission


@pytest.fixture
def submission(alice, germany):
    """An import that failed unexpectedly (a new run may mend it)."""
    return make_submission(
        alice, germany, task=TaskState.FAILED, retryable=True,
        message="The import failed unexpectedly (OperationalError).",
    )  # fmt: skip


# --- create -----------------------------------------------------------------------------


def test_it_creates_a_submission_from_a_multipart_upload(api, alice, germany):
    response = api.post(URL, upload(), format="multipart")

    assert response.status_code == 201, response.content
    body = response.json()
    submission = Submission.objects.get(owner=alice)
    assert body["id"] == submission.pk
    # The records' status and the task, apart: nothing is loaded yet, the import is queued.
    assert body["status"] == "empty" and body["status_label"] == "No records"
    assert body["task"]["kind"] == "import" and body["task"]["state"] == "queued"
    assert body["title"] == "Sheep straws" and body["description"] == "spring batch"
    assert body["gene_bank_country"] == "Germany" and body["datasource_type"] == "crbanim"
    assert body["counts"] == {"animals": 0, "samples": 0}
    assert body["file"]["name"] == "crb.csv" and body["file"]["size"] == len(CSV)
    assert body["file"]["sha256"] == hashlib.sha256(CSV).hexdigest()
    assert body["file"]["url"] == f"http://testserver/api/v1/submissions/{submission.pk}/file/"
    with submission.file.open("rb") as stored:
        assert stored.read() == CSV


def test_it_queues_the_import_when_the_submission_is_committed(
    api, germany, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(URL, upload(), format="multipart")
    assert response.status_code == 201
    assert len(callbacks) == 2  # the task to a worker, its state to the browsers


@pytest.mark.parametrize("country", ["germany", "GERMANY", " Germany "])
def test_it_finds_the_country_by_label_in_any_case(api, germany, country):
    response = api.post(URL, upload(gene_bank_country=country), format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["gene_bank_country"] == "Germany"


def test_it_finds_the_country_by_id(api, germany):
    response = api.post(URL, upload(gene_bank_country=str(germany.pk)), format="multipart")
    assert response.status_code == 201
    assert response.json()["gene_bank_country"] == "Germany"


def test_it_takes_an_organisation_by_name(api, germany):
    Organisation.objects.create(name="Cryobank Institute")
    response = api.post(URL, upload(organisation="cryobank institute"), format="multipart")
    assert response.status_code == 201
    assert response.json()["organisation"] == "Cryobank Institute"


def test_it_names_every_wrong_field(api, alice, germany):
    data = upload(gene_bank_country="Atlantis", datasource_type="dbase", organisation="Nobody")
    del data["title"]
    response = api.post(URL, data, format="multipart")

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"title", "gene_bank_country", "datasource_type", "organisation"}
    assert "Unknown country 'Atlantis'" in errors["gene_bank_country"][0]
    assert not Submission.objects.filter(owner=alice).exists()


def test_it_refuses_an_empty_file(api, germany):
    response = api.post(URL, upload(content=b""), format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_it_refuses_a_file_over_the_size_limit(api, alice, germany):
    response = api.post(URL, upload(content=b"x" * 5000), format="multipart")
    assert response.status_code == 400
    assert "larger than the limit of 1000 bytes" in response.json()["file"][0]
    assert not Submission.objects.filter(owner=alice).exists()


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_it_answers_413_before_reading_a_body_far_over_the_limit(api, alice, germany):
    response = api.post(URL, upload(content=b"x" * (1100 * 1024)), format="multipart")
    assert response.status_code == 413
    assert "limited to 1000 bytes" in response.json()["detail"]
    assert not Submission.objects.filter(owner=alice).exists()


def test_it_imports_the_upload_and_shows_live_counts(api, germany):
    created = api.post(URL, upload(), format="multipart").json()

    # What a worker does once the creating transaction has committed.
    submission_import(submission_id=created["id"])

    body = api.get(f"{URL}{created['id']}/").json()
    assert body["status"] == "loaded", body["task"]["message"]
    assert body["counts"] == {"animals": 2, "samples": 3}
    task = body["task"]
    assert (task["kind"], task["state"], task["active"]) == ("import", "succeeded", False)
    assert task["message"] == (
        "Loaded 2 animals and 3 samples. "
        "Mapped to IMAGE values (each record notes what the file said): sample storage 3."
    )
    assert (task["done"], task["total"], task["percent"]) == (5, 5, 100)


# --- list and detail ------------------------------------------------------------------


@pytest.mark.attack
def test_it_lists_only_the_users_own_submissions_newest_first(api, alice, outsider, germany):
    first = make_submission(alice, germany)
    second = make_submission(alice, germany)
    make_submission(outsider, germany)

    body = api.get(URL).json()

    assert body["count"] == 2
    assert [s["id"] for s in body["results"]] == [second.pk, first.pk]


def test_it_paginates_the_list(api, alice, germany):
    for _ in range(3):
        make_submission(alice, germany)
    page = api.get(URL, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["previous"] is None
    rest = api.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None


def test_it_shows_a_submission_with_its_progress_and_file(api, submission):
    body = api.get(f"{URL}{submission.pk}/").json()

    assert set(body) == {
        "id", "title", "description", "status", "status_label", "task", "counts",
        "gene_bank_name", "gene_bank_country", "organisation", "datasource_type",
        "datasource_version", "release_date", "file", "created_at", "updated_at",
    }  # fmt: skip
    assert body["status"] == "empty"
    task = body["task"]
    assert (task["state"], task["retryable"]) == ("failed", True)
    assert task["message"] == "The import failed unexpectedly (OperationalError)."
    assert (task["done"], task["total"], task["percent"]) == (0, 0, None)
    assert set(body["file"]) == {"name", "size", "sha256", "uploaded_at", "url"}


def test_it_lists_without_a_query_per_submission(
    api, alice, germany, django_assert_max_num_queries
):
    for _ in range(5):
        make_submission(alice, germany)
    api.get(URL)  # the token's first use of the minute also notes it (one more query)
    # token, count, page, the page's tasks
    with django_assert_max_num_queries(4):
        assert len(api.get(URL).json()["results"]) == 5


# --- delete -----------------------------------------------------------------------------


def test_it_deletes_a_submission_and_its_file(api, submission, django_capture_on_commit_callbacks):
    storage, name = submission.file.storage, submission.file.name
    response = api.delete(f"{URL}{submission.pk}/")
    assert response.status_code == 202
    assert (response.json()["kind"], response.json()["state"]) == ("delete", "queued")
    # Gone for its owner at once ...
    assert api.get(f"{URL}{submission.pk}/").status_code == 404
    assert api.get(URL).json()["count"] == 0
    # ... and from the database once the task has run.
    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued(submission.pk).state == TaskState.SUCCEEDED
    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert not storage.exists(name)


@pytest.mark.attack
def test_it_refuses_to_delete_while_an_import_is_queued(api, germany):
    created = api.post(URL, upload(), format="multipart").json()
    response = api.delete(f"{URL}{created['id']}/")
    assert response.status_code == 409
    assert "a task (import) is working" in response.json()["detail"]
    assert Submission.objects.filter(pk=created["id"]).exists()


@pytest.fixture
def task_lock():
    """Holds the import lock of a submission from another connection, as a live worker does."""
    held = []

    def hold(pk: int):
        params = connection.get_connection_params()
        params = {k: v for k, v in params.items() if k not in {"cursor_factory", "context"}}
        conn = psycopg.connect(**params, autocommit=True)
        conn.execute("SELECT pg_advisory_lock(%s, %s)", [_LOCK_CLASS, pk])
        held.append(conn)

    yield hold
    for conn in held:
        conn.close()


@pytest.mark.attack
def test_it_refuses_to_delete_while_a_worker_imports(api, alice, germany, task_lock):
    busy = make_submission(alice, germany, task=TaskState.RUNNING)
    task_lock(busy.pk)
    assert api.delete(f"{URL}{busy.pk}/").status_code == 409


def test_it_deletes_a_submission_whose_worker_died(api, alice, germany):
    stale = make_submission(alice, germany, task=TaskState.RUNNING)
    assert api.delete(f"{URL}{stale.pk}/").status_code == 202


# --- retry and reload -----------------------------------------------------------------


def test_it_queues_a_failed_import_again(api, submission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"{URL}{submission.pk}/retry/")
    assert response.status_code == 202
    task = response.json()["task"]
    assert (task["kind"], task["state"], task["active"]) == ("import", "queued", True)
    assert len(callbacks) == 2


def test_it_retries_an_import_whose_worker_died(api, alice, germany):
    stale = make_submission(alice, germany, task=TaskState.RUNNING)
    response = api.post(f"{URL}{stale.pk}/retry/")
    assert response.status_code == 202
    states = list(stale.tasks.order_by("pk").values_list("state", flat=True))
    assert states == [TaskState.INTERRUPTED, TaskState.QUEUED]


@pytest.mark.attack
def test_it_refuses_to_retry_while_a_worker_imports(api, alice, germany, task_lock):
    busy = make_submission(alice, germany, task=TaskState.RUNNING)
    task_lock(busy.pk)
    response = api.post(f"{URL}{busy.pk}/retry/")
    assert response.status_code == 409
    assert "wait for it to end" in response.json()["detail"]


def test_it_refuses_to_retry_a_loaded_submission(api, alice, germany):
    loaded = make_submission(alice, germany, task=TaskState.SUCCEEDED)
    response = api.post(f"{URL}{loaded.pk}/retry/")
    assert response.status_code == 409
    assert "The last import succeeded: there is nothing to retry" in response.json()["detail"]


def test_it_refuses_to_retry_an_import_that_failed_on_the_file(api, alice, germany):
    refused = make_submission(alice, germany, task=TaskState.FAILED, retryable=False)
    response = api.post(f"{URL}{refused.pk}/retry/")
    assert response.status_code == 409
    assert "import it as a new file" in response.json()["detail"]


def test_it_reloads_a_new_file_into_the_submission(
    api, submission, django_capture_on_commit_callbacks
):
    old = submission.file.name
    new = CSV.replace(b"straw-2", b"straw-9")
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(
            f"{URL}{submission.pk}/reload/",
            {"file": SimpleUploadedFile("crb-v2.csv", new)},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["task"]["state"] == "queued" and body["file"]["name"] == "crb-v2.csv"
    assert body["file"]["sha256"] == hashlib.sha256(new).hexdigest()
    assert len(callbacks) == 2
    # The earlier file is kept until the submission goes: the records came from it.
    assert submission.file.storage.exists(old)


@pytest.mark.attack
def test_it_refuses_to_reload_while_a_worker_imports(api, alice, germany, task_lock):
    busy = make_submission(alice, germany, task=TaskState.RUNNING)
    task_lock(busy.pk)
    response = api.post(
        f"{URL}{busy.pk}/reload/", {"file": SimpleUploadedFile("b.csv", CSV)}, format="multipart"
    )
    assert response.status_code == 409


@pytest.mark.attack
@override_settings(UPLOAD_MAX_BYTES=1000)
def test_it_refuses_a_reload_over_the_limit_and_keeps_the_submission(api, submission):
    response = api.post(
        f"{URL}{submission.pk}/reload/",
        {"file": SimpleUploadedFile("big.csv", b"x" * 5000)},
        format="multipart",
    )
    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.file_name == "crb.csv"
    assert list(submission.tasks.values_list("state", flat=True)) == [TaskState.FAILED]


# --- access ------------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "{url}{pk}/"),
    ("delete", "{url}{pk}/"),
    ("post", "{url}{pk}/retry/"),
    ("post", "{url}{pk}/reload/"),
    ("get", "{url}{pk}/file/"),
    ("get", "{url}{pk}/animals/"),
    ("get", "{url}{pk}/samples/"),
]


@pytest.mark.attack
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_an_outsider_gets_404_everywhere(outsider, submission, method, path):
    api = client_for(outsider)
    url = path.format(url=URL, pk=submission.pk)
    data = {"file": SimpleUploadedFile("b.csv", CSV)} if url.endswith("reload/") else None
    response = getattr(api, method)(url, data, format="multipart" if data else None)
    assert response.status_code == 404
    assert list(submission.tasks.values_list("state", flat=True)) == [TaskState.FAILED]
    assert Submission.objects.filter(pk=submission.pk).exists()


@pytest.mark.attack
def test_an_outsider_does_not_see_the_submission_in_the_list(outsider, submission):
    assert client_for(outsider).get(URL).json()["count"] == 0


@pytest.mark.attack
@pytest.mark.parametrize(("method", "path"), [*ENDPOINTS, ("get", "{url}"), ("post", "{url}")])
def test_an_anonymous_client_gets_401(submission, method, path):
    response = getattr(APIClient(), method)(path.format(url=URL, pk=submission.pk))
    assert response.status_code == 401


def test_a_logged_in_browser_session_works_too(client, alice, submission):
    client.force_login(alice)
    response = client.get(f"{URL}{submission.pk}/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["id"] == submission.pk
