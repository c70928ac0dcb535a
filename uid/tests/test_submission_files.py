"""Every upload of a submission is kept, with its outcome, and the records' file is marked."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tokens import token_create
from uid.models import Animal, Country, FileOutcome, Submission, TaskState
from uid.services.dictionaries import dictionaries_seed
from uid.services.submissions import submission_create, submission_import, submission_reload
from uid.tests.test_submission_import import CRB_HEADER, crb_row

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

GOOD = (CRB_HEADER + crb_row("S1", "A1") + crb_row("S2", "A2")).encode()
BAD = (CRB_HEADER + crb_row("S1", "A1") + crb_row("S1", "A2")).encode()  # S1 twice
LONG_NAME = "Genebank export " + "très long nom de fichier " * 12 + ".csv"


def api_for(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user)[1]}")
    return api


def create(owner, name: str, capture) -> Submission:
    """A CRB-Anim submission of ``owner`` with one upload (its import queued, not run)."""
    with capture():
        return submission_create(
            owner=owner, title=name, gene_bank_name="CRB", datasource_version="1",
            gene_bank_country=Country.objects.get(label="France"), datasource_type="crbanim",
            file=SimpleUploadedFile(name, GOOD), upload_again=True,
        )  # fmt: skip


@pytest.fixture
def loaded(alice, django_capture_on_commit_callbacks):
    """A CRB-Anim submission whose first file loaded."""
    dictionaries_seed()
    submission = create(alice, "goats.csv", django_capture_on_commit_callbacks)
    assert submission_import(submission_id=submission.pk).state == TaskState.SUCCEEDED
    return submission


def _reload(submission, alice, content: bytes, name: str):
    submission_reload(submission=submission, file=SimpleUploadedFile(name, content), user=alice)
    return submission_import(submission_id=submission.pk)


def test_a_failed_reload_keeps_the_file_the_records_came_from(client, alice, loaded):
    result = _reload(loaded, alice, BAD, "goats-broken.csv")

    assert result.state == TaskState.FAILED
    assert Animal.objects.filter(submission=loaded).count() == 2  # the records are intact
    first, second = sorted(loaded.files.all(), key=lambda kept: kept.pk)
    assert (first.name, first.outcome) == ("goats.csv", FileOutcome.LOADED)
    assert (second.name, second.outcome) == ("goats-broken.csv", FileOutcome.FAILED)
    assert "'S1' is used on rows 2 and 3" in second.message
    assert Submission.objects.get(pk=loaded.pk).records_file == first
    assert second.sha256 == hashlib.sha256(BAD).hexdigest()

    client.force_login(alice)
    for kept, content in ((first, GOOD), (second, BAD)):
        url = reverse("uid:submission_kept_file", args=[loaded.pk, kept.pk])
        assert b"".join(client.get(url).streaming_content) == content
    # The one download of "the original file" is the records' file, not the failed one.
    response = client.get(reverse("uid:submission_file", args=[loaded.pk]))
    assert b"".join(response.streaming_content) == GOOD
    page = client.get(reverse("uid:submission_detail", args=[loaded.pk])).content.decode()
    assert "goats-broken.csv" in page and "import failed" in page
    assert page.count('data-testid="records-file"') == 1


def test_a_reload_that_loads_becomes_the_records_file(alice, loaded):
    fixed = GOOD + crb_row("S3", "A3").encode()
    assert _reload(loaded, alice, fixed, "goats-2.csv").state == TaskState.SUCCEEDED

    newest = loaded.files.first()
    assert (newest.name, newest.outcome) == ("goats-2.csv", FileOutcome.LOADED)
    assert Submission.objects.get(pk=loaded.pk).records_file == newest
    assert loaded.files.count() == 2


def test_the_api_lists_every_file_and_serves_each(alice, loaded):
    _reload(loaded, alice, BAD, "goats-broken.csv")
    api = api_for(alice)

    listed = api.get(f"/api/v1/submissions/{loaded.pk}/files/").json()

    assert [(f["name"], f["outcome"], f["records_came_from"]) for f in listed] == [
        ("goats-broken.csv", "failed", False),
        ("goats.csv", "loaded", True),
    ]
    assert listed[0]["uploaded_by"] == "alice" and listed[0]["size"] == len(BAD)
    response = api.get(listed[1]["url"])
    assert b"".join(response.streaming_content) == GOOD


def test_an_outsider_gets_404_for_any_file(client, outsider, loaded):
    kept = loaded.files.get()
    client.force_login(outsider)
    assert (
        client.get(reverse("uid:submission_kept_file", args=[loaded.pk, kept.pk])).status_code
        == 404
    )
    api = api_for(outsider)
    assert api.get(f"/api/v1/submissions/{loaded.pk}/files/").status_code == 404
    assert api.get(f"/api/v1/submissions/{loaded.pk}/files/{kept.pk}/").status_code == 404


def test_a_file_id_of_another_submission_is_404(
    client, alice, loaded, django_capture_on_commit_callbacks
):
    other = create(alice, "other.csv", django_capture_on_commit_callbacks)
    client.force_login(alice)
    url = reverse("uid:submission_kept_file", args=[loaded.pk, other.files.get().pk])
    assert client.get(url).status_code == 404


def test_it_keeps_a_file_with_a_very_long_name_twice(
    client, alice, django_capture_on_commit_callbacks
):
    # A 300-character name answered 500 on its second upload (the file system allows 255).
    dictionaries_seed()
    germany = Country.objects.get(label="Germany")
    client.force_login(alice)
    api = api_for(alice)
    form = {"title": "t", "gene_bank_name": "g", "gene_bank_country": germany.pk,
            "datasource_type": "crbanim", "datasource_version": "1",
            "upload_again": "on"}  # fmt: skip
    assert len(LONG_NAME) > 300

    with django_capture_on_commit_callbacks():
        for _ in range(2):
            web = client.post(
                reverse("uid:submission_create"),
                {**form, "file": SimpleUploadedFile(LONG_NAME, GOOD)},
            )
            assert web.status_code == 302
            created = api.post(
                "/api/v1/submissions/", {**form, "gene_bank_country": "Germany",
                                         "upload_again": "true",
                                         "file": SimpleUploadedFile(LONG_NAME, GOOD)},
                format="multipart",
            )  # fmt: skip
            assert created.status_code == 201, created.content

    # Django hands a view at most 255 characters of a name (extension kept): that is kept.
    received = LONG_NAME[: 255 - len(".csv")] + ".csv"
    names = set()
    for submission in Submission.objects.filter(owner=alice):
        assert submission.file_name == received
        assert submission.files.get().name == received
        stored = submission.file.name.rsplit("/", 1)[-1]
        assert len(stored.encode()) < 100 and stored.endswith(".csv")
        names.add(submission.file.name)
        with submission.file.open("rb") as f:
            assert f.read() == GOOD
    assert len(names) == 4


def test_the_same_file_again_is_named_and_needs_a_choice(client, alice, loaded):
    # Three identical submissions used to be made without a word.
    form = {"title": "Goats again", "gene_bank_name": "CRB", "datasource_version": "1",
            "gene_bank_country": Country.objects.get(label="France").pk,
            "datasource_type": "crbanim"}  # fmt: skip
    client.force_login(alice)

    page = client.post(
        reverse("uid:submission_create"), {**form, "file": SimpleUploadedFile("copy.csv", GOOD)}
    )

    text = page.content.decode()
    assert page.status_code == 200 and "You uploaded this file on" in text
    assert "goats.csv" in text and f"#{loaded.pk}" in text
    assert Submission.objects.filter(owner=alice).count() == 1
    again = client.post(
        reverse("uid:submission_create"),
        {**form, "upload_again": "on", "file": SimpleUploadedFile("copy.csv", GOOD)},
    )
    assert again.status_code == 302
    assert Submission.objects.filter(owner=alice).count() == 2


def test_the_api_names_the_earlier_upload_too(alice, outsider, loaded):
    data = {"title": "t", "gene_bank_name": "g", "gene_bank_country": "France",
            "datasource_type": "crbanim", "datasource_version": "1"}  # fmt: skip
    answer = api_for(alice).post(
        "/api/v1/submissions/", {**data, "file": SimpleUploadedFile("c.csv", GOOD)},
        format="multipart",
    )  # fmt: skip
    assert answer.status_code == 400 and "You uploaded this file on" in answer.json()["file"][0]
    # Another curator's identical file is theirs to upload: nothing is said of Alice's.
    theirs = api_for(outsider).post(
        "/api/v1/submissions/", {**data, "file": SimpleUploadedFile("c.csv", GOOD)},
        format="multipart",
    )  # fmt: skip
    assert theirs.status_code == 201, theirs.content
