"""Deleting a submission never touches another submission's records, nor accessioned ones."""

import pytest
from django.urls import reverse

from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, Submission, TaskState
from uid.services.submissions import SubmissionStateError, submission_delete
from uid.tests.factories import AnimalFactory, SampleFactory, SubmissionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.attack]


@pytest.fixture
def first(alice):
    return SubmissionFactory(owner=alice, title="first")


@pytest.fixture
def second(alice):
    return SubmissionFactory(owner=alice, title="second")


def test_it_refuses_while_another_submissions_sample_names_one_of_its_animals(first, second):
    ram = AnimalFactory(submission=first, name="ram")
    SampleFactory(submission=second, animal=ram, name="straw-7")

    with pytest.raises(SubmissionStateError, match=f"submission #{second.pk}: sample 'straw-7'"):
        submission_delete(submission=first)

    # It used to delete the other submission's sample with the animal.
    assert Sample.objects.filter(submission=second, name="straw-7").exists()
    assert Animal.objects.filter(submission=first).exists()


def test_it_refuses_while_another_submissions_animal_has_a_parent_in_it(first, second):
    ram = AnimalFactory(submission=first, name="ram")
    ewe = AnimalFactory(submission=first, name="ewe", sex=ram.sex)
    lamb = AnimalFactory(submission=second, name="lamb", father=ram, mother=ewe)

    with pytest.raises(SubmissionStateError, match="animal 'lamb'"):
        submission_delete(submission=first)

    lamb.refresh_from_db()
    assert (lamb.father, lamb.mother) == (ram, ewe)  # not unlinked


def test_it_never_deletes_a_record_with_an_accession(first):
    AnimalFactory(submission=first, name="ram", accession="SAMEA1234567")

    with pytest.raises(SubmissionStateError, match=r"animal 'ram' \(SAMEA1234567\)"):
        submission_delete(submission=first)

    assert Animal.objects.filter(accession="SAMEA1234567").exists()


def test_it_deletes_a_submission_whose_records_only_name_each_other(first, second):
    ram = AnimalFactory(submission=first, name="ram")
    lamb = AnimalFactory(submission=first, name="lamb", father=ram)
    SampleFactory(submission=first, animal=lamb, name="straw")
    keep = AnimalFactory(submission=second, name="other")

    queued = submission_delete(submission=first)
    # Gone from the owner's lists at once; the task removes it.
    assert not Submission.objects.present().filter(pk=first.pk).exists()
    task = run_queued(first.pk)

    assert task.pk == queued.pk and task.state == TaskState.SUCCEEDED
    assert task.message == "Deleted “first” with 3 records."
    assert not Submission.objects.filter(pk=first.pk).exists()
    assert list(Animal.objects.all()) == [keep]
    task.refresh_from_db()
    assert task.submission is None and task.submission_title == "first"  # the history stays


def test_the_page_says_why_it_was_not_deleted(client, alice, first, second):
    ram = AnimalFactory(submission=first, name="ram")
    SampleFactory(submission=second, animal=ram, name="straw-7")
    client.force_login(alice)

    response = client.post(reverse("uid:submission_delete", args=[first.pk]), follow=True)

    assert "Records of other submissions name records of this one" in response.content.decode()
    assert Submission.objects.filter(pk=first.pk).exists()


def test_the_api_answers_409_with_the_reason(first, second):
    from rest_framework.test import APIClient

    from accounts.tokens import token_create

    ram = AnimalFactory(submission=first, name="ram")
    SampleFactory(submission=second, animal=ram, name="straw-7")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=first.owner)[1]}")

    response = api.delete(f"/api/v1/submissions/{first.pk}/")

    assert response.status_code == 409
    assert "straw-7" in response.json()["detail"]


def test_the_database_keys_stop_a_delete_that_a_late_reference_would_break(
    first, second, monkeypatch
):
    # A sample of another submission that came to name an animal after the look before
    # the delete: the database's own keys refuse the delete, whole.
    from uid.services import submissions

    real_check = submissions._check_deletable
    calls = []

    def late_check(submission):
        calls.append(submission.pk)
        if len(calls) > 1:
            real_check(submission)

    monkeypatch.setattr(submissions, "_check_deletable", late_check)
    ram = AnimalFactory(submission=first, name="ram")
    SampleFactory(submission=second, animal=ram, name="straw-7")

    submission_delete(submission=first)
    monkeypatch.setattr(submissions, "_check_deletable", late_check)  # the task looks once more
    calls.clear()
    task = run_queued(first.pk)

    assert task.state == TaskState.FAILED and "straw-7" in task.message
    assert Animal.objects.filter(pk=ram.pk).exists()
    assert Sample.objects.get(name="straw-7").animal_id == ram.pk
    # It is the owner's again, with the reason on its page.
    assert Submission.objects.present().filter(pk=first.pk).exists()
