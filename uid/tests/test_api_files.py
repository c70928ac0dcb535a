"""GET /api/v1/submissions/{id}/file/: the original upload, to its owner only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.tokens import token_create
from uid.tests.factories import SubmissionFactory

CONTENT = "animal_ID,sex\nbélier-1,male\n".encode()


def client_for(user) -> APIClient:
    api = APIClient()
    _, key = token_create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def submission(alice):
    submission = SubmissionFactory.build(owner=alice)
    submission.gene_bank_country.save()
    submission.file.save("Cryo bank 2024.csv", SimpleUploadedFile("x", CONTENT), save=False)
    submission.file_name = "Cryo bank 2024.csv"
    submission.save()
    return submission


def url(submission) -> str:
    return f"/api/v1/submissions/{submission.pk}/file/"


def test_it_streams_the_file_under_its_original_name(alice, submission):
    response = client_for(alice).get(url(submission))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="Cryo bank 2024.csv"'
    assert response["Content-Length"] == str(len(CONTENT))
    assert "X-Accel-Redirect" not in response


def test_it_answers_a_client_that_asks_for_bytes(alice, submission):
    response = client_for(alice).get(url(submission), HTTP_ACCEPT="application/octet-stream")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT


@override_settings(USE_X_ACCEL_REDIRECT=True)
def test_it_hands_the_file_to_nginx_behind_a_proxy(alice, submission):
    response = client_for(alice).get(url(submission))

    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{submission.file.name}"
    assert response["X-Accel-Redirect"].startswith(f"/protected/submissions/{alice.pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="Cryo bank 2024.csv"'


@override_settings(USE_X_ACCEL_REDIRECT=True)
def test_it_percent_encodes_a_name_outside_ascii_for_nginx(alice, submission):
    submission.file.save("bélier.csv", SimpleUploadedFile("x", CONTENT), save=False)
    submission.file_name = "bélier.csv"
    submission.save()

    response = client_for(alice).get(url(submission))

    assert response["X-Accel-Redirect"] == f"/protected/submissions/{alice.pk}/b%C3%A9lier.csv"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''b%C3%A9lier.csv"


def test_it_answers_404_when_there_is_no_file(alice):
    bare = SubmissionFactory(owner=alice)
    assert client_for(alice).get(url(bare)).status_code == 404


def test_it_answers_404_when_the_storage_lost_the_file(alice, submission):
    submission.file.storage.delete(submission.file.name)
    assert client_for(alice).get(url(submission)).status_code == 404


@pytest.mark.attack
@pytest.mark.parametrize("x_accel", [False, True])
def test_an_outsider_gets_404(outsider, submission, x_accel, settings):
    settings.USE_X_ACCEL_REDIRECT = x_accel
    response = client_for(outsider).get(url(submission))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


@pytest.mark.attack
def test_an_anonymous_client_gets_401(submission):
    assert APIClient().get(url(submission)).status_code == 401
