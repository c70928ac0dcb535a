"""Submission pages: create with an upload, owner-only everywhere else."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from injecttool.testing.tasks import run_queued
from uid.models import Country, Status, Submission, Task, TaskKind, TaskState
from uid.services.dictionaries import dictionaries_seed

DUMP = b"-- a tiny dump\nSET client_encoding = 'UTF8';\n"


@pytest.fixture
def germany(db):
    dictionaries_seed()
    return Country.objects.get(label="Germany")


@pytest.fixture
def submission(alice, germany):
    """A submission whose import failed on a word it did not know (a retry may mend it)."""
    s = Submission(
        owner=alice, title="Alice's sheep", gene_bank_name="g", datasource_version="1",
        gene_bank_country=germany, datasource_type="cryoweb",
    )  # fmt: skip
    s.file.save("dump.sql", SimpleUploadedFile("dump.sql", DUMP), save=False)
    s.file_name = "dump.sql"
    s.save()
    Task.objects.create(
        owner=alice, submission=s, kind=TaskKind.IMPORT, state=TaskState.FAILED,
        message="line 3: bad", result={"unknown_species_words": ["Schäfchen"]}, retryable=True,
    )  # fmt: skip
    return s


def task_states(submission) -> list[str]:
    """The states of the submission's tasks, oldest first."""
    return list(submission.tasks.order_by("pk").values_list("state", flat=True))


def form_data(germany, content=DUMP, name="dump.sql"):
    return {
        "title": "Spring upload",
        "gene_bank_name": "Cryobank",
        "gene_bank_country": germany.pk,
        "datasource_type": "cryoweb",
        "datasource_version": "5.1",
        "file": SimpleUploadedFile(name, content),
    }


def test_it_creates_a_submission_and_keeps_the_original_file(client, alice, germany):
    client.force_login(alice)
    response = client.post(reverse("uid:submission_create"), form_data(germany))
    submission = Submission.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("uid:submission_detail", args=[submission.pk])
    assert submission.status == Status.EMPTY and task_states(submission) == [TaskState.QUEUED]
    assert submission.file_name == "dump.sql" and submission.file_size == len(DUMP)
    assert submission.file_sha256 == hashlib.sha256(DUMP).hexdigest()
    assert submission.file_uploaded_by == alice
    with submission.file.open("rb") as f:
        assert f.read() == DUMP


def test_it_tells_the_upload_script_where_to_go_and_keeps_the_message_for_that_page(
    client, alice, germany
):
    client.force_login(alice)
    response = client.post(
        reverse("uid:submission_create"), form_data(germany), headers={"X-Upload-Progress": "1"}
    )
    submission = Submission.objects.get(owner=alice)
    assert response.status_code == 200
    assert response.json() == {"redirect": reverse("uid:submission_detail", args=[submission.pk])}
    page = client.get(response.json()["redirect"]).content.decode()
    assert "Your file is uploaded; the import has started." in page


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_it_gives_the_upload_script_the_form_again_when_something_is_wrong(client, alice, germany):
    client.force_login(alice)
    response = client.post(
        reverse("uid:submission_create"),
        form_data(germany, b"x" * 5000),
        headers={"X-Upload-Progress": "1"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "larger than the limit" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_owner_imports_a_new_file_into_the_submission(
    client, alice, submission, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    new = b"-- the corrected dump\n"
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("uid:submission_reload", args=[submission.pk]),
            {"file": SimpleUploadedFile("fixed.sql", new)},
            headers={"X-Upload-Progress": "1"},
        )

    assert response.json() == {"redirect": reverse("uid:submission_detail", args=[submission.pk])}
    assert len(callbacks) == 2  # the import is queued, the browsers hear of it
    submission.refresh_from_db()
    assert task_states(submission) == [TaskState.FAILED, TaskState.QUEUED]
    assert submission.file_name == "fixed.sql"
    with submission.file.open("rb") as f:
        assert f.read() == new
    page = client.get(response.json()["redirect"]).content.decode()
    assert "The new file is uploaded; the import has started." in page


def test_the_owner_retries_a_failed_import(
    client, alice, submission, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("uid:submission_retry", args=[submission.pk]), follow=True)
    assert "The import was queued again." in response.content.decode()
    assert task_states(submission) == [TaskState.FAILED, TaskState.QUEUED]
    assert len(callbacks) == 2


def test_a_loaded_submission_is_not_imported_again_by_a_retry(
    client, alice, submission, django_capture_on_commit_callbacks
):
    # The rule lived in the API alone: a browser POST re-imported a loaded submission.
    submission.tasks.update(state=TaskState.SUCCEEDED, message="Loaded 1 animal.")
    client.force_login(alice)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("uid:submission_retry", args=[submission.pk]), follow=True)

    assert "The last import succeeded: there is nothing to retry" in response.content.decode()
    assert task_states(submission) == [TaskState.SUCCEEDED] and callbacks == []


def test_an_import_that_failed_on_the_file_is_not_retried_and_asks_for_a_new_file(
    client, alice, submission
):
    submission.tasks.update(retryable=False, result={})
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[submission.pk])).content.decode()
    retry = page.split('data-testid="action-retry"')[1].split(">")[0]
    assert 'class="d-none"' in retry  # no retry button ...
    assert 'class="btn btn-primary text-nowrap" type="submit" data-testid="reload"' in page

    response = client.post(reverse("uid:submission_retry", args=[submission.pk]), follow=True)
    assert "Correct the file and import it as a new file." in response.content.decode()
    assert task_states(submission) == [TaskState.FAILED]


@pytest.mark.attack
def test_a_submission_being_imported_is_not_retried_nor_reloaded(client, alice, submission):
    Task.objects.create(owner=alice, submission=submission, kind=TaskKind.IMPORT)
    # queued a moment ago: a worker is about to take it
    client.force_login(alice)
    for name, data in (
        ("uid:submission_retry", {}),
        ("uid:submission_reload", {"file": SimpleUploadedFile("new.sql", b"-- new\n")}),
    ):
        page = client.post(reverse(name, args=[submission.pk]), data, follow=True)
        assert "a task (import) is working on this submission" in page.content.decode(), name
    submission.refresh_from_db()
    assert submission.file_name == "dump.sql"


def test_a_reload_without_a_file_says_so(client, alice, submission):
    client.force_login(alice)
    page = client.post(reverse("uid:submission_reload", args=[submission.pk]), {}, follow=True)
    assert "Choose a file to import." in page.content.decode()
    assert task_states(submission) == [TaskState.FAILED]


def test_the_form_starts_with_the_gene_bank_of_the_last_submission(client, alice, germany):
    from uid.tests.factories import OrganisationFactory

    client.force_login(alice)
    bank = OrganisationFactory(name="Roslin Institute")
    data = {**form_data(germany), "gene_bank_name": "Cryobank Hannover", "organisation": bank.pk}
    client.post(reverse("uid:submission_create"), data)

    form = client.get(reverse("uid:submission_create")).context["form"]

    assert form["gene_bank_name"].value() == "Cryobank Hannover"
    assert form["gene_bank_country"].value() == germany.pk
    assert form["organisation"].value() == bank.pk
    assert form["datasource_type"].value() == "cryoweb"
    assert not form["title"].value()


def test_a_first_form_starts_with_the_curators_affiliation(client, alice, germany):
    from accounts.models import Profile
    from uid.tests.factories import OrganisationFactory

    bank = OrganisationFactory(name="INRAE CRB-Anim", country=germany)
    Profile.objects.update_or_create(user=alice, defaults={"affiliation": bank})
    client.force_login(alice)

    form = client.get(reverse("uid:submission_create")).context["form"]

    assert form["organisation"].value() == bank.pk
    assert form["gene_bank_country"].value() == germany.pk


def test_it_queues_the_import_when_the_submission_is_saved(
    client, alice, germany, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("uid:submission_create"), form_data(germany))
    assert len(callbacks) == 2  # the task to a worker, its state to the browsers


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_it_refuses_a_file_over_the_size_limit(client, alice, germany):
    client.force_login(alice)
    response = client.post(reverse("uid:submission_create"), form_data(germany, b"x" * 5000))
    assert response.status_code == 200
    assert "larger than the limit" in response.content.decode()
    assert not Submission.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=50 * 1024 * 1024)
def test_it_tells_the_size_limit_before_the_upload(client, alice):
    client.force_login(alice)
    response = client.get(reverse("uid:submission_create"))
    assert "Up to 50 MB." in response.content.decode()


def test_it_refuses_an_empty_file(client, alice, germany):
    client.force_login(alice)
    response = client.post(reverse("uid:submission_create"), form_data(germany, b""))
    assert response.status_code == 200
    assert "empty" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_owner_sees_status_message_and_counts(client, alice, submission):
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[submission.pk])).content.decode()
    assert "Alice&#x27;s sheep" in page and "line 3: bad" in page
    assert 'data-testid="count-animals"' in page
    assert reverse("language:species_words", args=[submission.pk]) in page


def test_the_owner_maps_unknown_species_words_and_the_import_is_retried(
    client, alice, submission, django_capture_on_commit_callbacks
):
    from language.selectors import species_for_word
    from uid.models import Species

    sheep = Species.objects.get(taxon_id=9940)
    client.force_login(alice)
    url = reverse("language:species_words", args=[submission.pk])
    assert "Ovis aries (sheep)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"word_0": sheep.pk})
    assert response.status_code == 302
    germany = submission.gene_bank_country
    assert species_for_word(word="schäfchen", country=germany, user=alice) == sheep
    assert species_for_word(word="schäfchen", country=germany) is None  # Alice's own, for now
    assert task_states(submission) == [TaskState.FAILED, TaskState.QUEUED]
    assert len(callbacks) == 2
    # Staff can see who mapped the word.
    from language.models import SpeciesWord

    assert SpeciesWord.objects.get(normalised="schäfchen").created_by == alice


@pytest.mark.attack
def test_a_word_mapped_meanwhile_is_told_on_the_form_not_a_server_error(client, alice, submission):
    from language.services import species_word_create
    from uid.models import Species

    sheep, goat = Species.objects.get(taxon_id=9940), Species.objects.get(taxon_id=9925)
    client.force_login(alice)
    url = reverse("language:species_words", args=[submission.pk])
    client.get(url)  # Alice opens the form in two tabs, maps the word in one ...
    species_word_create(word="Schäfchen", language="de", species=goat, user=alice)

    response = client.post(url, {"word_0": sheep.pk})  # ... and sends the other

    assert response.status_code == 200
    page = response.content.decode()
    assert "&#x27;Schäfchen&#x27; already means Capra hircus in language &#x27;de&#x27;" in page
    assert task_states(submission) == [TaskState.FAILED]  # not retried on a word it cannot use


@pytest.mark.attack
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("uid:submission_detail", "get"),
        ("uid:submission_file", "get"),
        ("language:species_words", "get"),
        ("language:species_words", "post"),
        ("uid:submission_retry", "post"),
        ("uid:submission_reload", "post"),
        ("uid:submission_delete", "post"),
    ],
)
def test_an_outsider_gets_404(client, outsider, submission, name, method):
    client.force_login(outsider)
    response = getattr(client, method)(reverse(name, args=[submission.pk]))
    assert response.status_code == 404
    assert task_states(submission) == [TaskState.FAILED]
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_it_lists_each_submission_with_its_record_counts(
    client, alice, submission, django_assert_max_num_queries
):
    from uid.tests.factories import AnimalFactory, SampleFactory, SubmissionFactory

    animals = AnimalFactory.create_batch(3, submission=submission)
    SampleFactory.create_batch(2, submission=submission, animal=animals[0])
    SubmissionFactory(owner=alice, title="Empty one")
    client.force_login(alice)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("uid:submission_list")).content.decode()

    rows = page.split("<tr>")[2:]  # after the header row
    mine = next(row for row in rows if "Alice&#x27;s sheep" in row)
    assert 'data-testid="list-animals">3<' in mine and 'data-testid="list-samples">2<' in mine
    empty = next(row for row in rows if "Empty one" in row)
    assert 'data-testid="list-animals">0<' in empty


@pytest.mark.attack
def test_an_outsider_does_not_see_the_submission_in_their_list(client, outsider, submission):
    client.force_login(outsider)
    assert submission.title not in client.get(reverse("uid:submission_list")).content.decode()


def test_the_owner_deletes_a_submission_with_its_file(
    client, alice, submission, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    storage, name = submission.file.storage, submission.file.name
    response = client.post(reverse("uid:submission_delete", args=[submission.pk]), follow=True)
    page = response.content.decode()
    # Gone from the list at once, with a word of what goes on.
    assert "“Alice&#x27;s sheep” is being deleted" in page
    assert 'data-testid="deleting"' in page and "Deleting “Alice&#x27;s sheep”" in page
    assert client.get(reverse("uid:submission_detail", args=[submission.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        run_queued(submission.pk)
    assert not Submission.objects.exists()
    assert not storage.exists(name)
    assert (
        'data-testid="deleting"' not in client.get(reverse("uid:submission_list")).content.decode()
    )


@pytest.mark.attack
def test_a_submission_being_imported_is_not_deleted(client, alice, submission):
    from django.db import connection

    Task.objects.create(owner=alice, submission=submission, kind=TaskKind.IMPORT)
    client.force_login(alice)
    client.post(reverse("uid:submission_delete", args=[submission.pk]))
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert connection.is_usable()


@pytest.mark.attack
def test_the_upload_form_still_checks_the_csrf_token(alice, germany):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("uid:submission_create"), form_data(germany))
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_the_upload_form_marks_its_required_fields_as_sign_up_does(client, alice, germany):
    client.force_login(alice)
    page = client.get(reverse("uid:submission_create")).content.decode()

    assert "Fields marked" in page and "are required." in page

    def marked(name: str) -> bool:
        # Each field sits in its own wrapper <div class="mb-3 ...">; a required one's
        # class says "required" (the red star comes from site.css).
        wrapper = next(
            chunk for chunk in page.split('<div class="mb-3')[1:] if f'name="{name}"' in chunk
        )
        return wrapper.split('"', 1)[0].split().count("required") == 1

    for name in ("title", "gene_bank_name", "gene_bank_country", "datasource_type",
                 "datasource_version", "file"):  # fmt: skip
        assert marked(name), name
    for name in ("description", "organisation", "upload_again"):
        assert not marked(name), name


def test_the_page_counts_records_per_status_and_shows_what_happened(client, alice, submission):
    from uid.services.timeline import event_from_task
    from uid.tests.factories import AnimalFactory, SampleFactory

    for task in Task.objects.filter(submission=submission):
        event_from_task(task)
    loaded = Task.objects.create(
        owner=alice, submission=submission, kind=TaskKind.IMPORT, state=TaskState.SUCCEEDED,
        message="Loaded 2 animals and 1 sample.", created_by=alice,
    )  # fmt: skip
    event_from_task(loaded)
    animal = AnimalFactory(submission=submission)
    AnimalFactory(submission=submission, breed=animal.breed, status=Status.READY)
    SampleFactory(submission=submission, animal=animal)
    client.force_login(alice)

    page = client.get(reverse("uid:submission_detail", args=[submission.pk])).content.decode()

    counts = page.split('data-testid="status-counts"')[1].split("</table>")[0]
    assert ">Loaded</span>" in counts and ">Ready</span>" in counts
    assert "Need revision" not in counts  # only the statuses it has
    # The timeline has both imports, newest first, with who started them and the file.
    timeline = page.split('data-testid="timeline"')[1].split("</ul>")[0]
    assert "Import: failed" in timeline and "dump.sql: line 3: bad" in timeline
    assert timeline.index("dump.sql: Loaded 2 animals") < timeline.index("line 3: bad")
    assert "alice" in timeline


def test_while_a_task_works_the_page_says_why_the_actions_wait(client, alice, submission):
    Task.objects.create(owner=alice, submission=submission, kind=TaskKind.IMPORT)
    client.force_login(alice)
    page = client.get(reverse("uid:submission_detail", args=[submission.pk])).content.decode()
    busy = page.split('data-testid="actions-busy"')[1].split(">")[0]
    idle = page.split('data-testid="actions-idle"')[1].split(">")[0]
    assert "d-none" not in busy and "d-none" in idle
    assert "wait until the task above has ended" in page
