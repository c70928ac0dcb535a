"""Pulling BioSamples records into a submission by accession (a genebank takes over what
it submitted elsewhere): each accession is adopted, or says why not."""

import pytest
from django.test import Client
from django.urls import reverse

from biosample.models import SampleLink
from biosample.services import environment
from biosample.tests.conftest import WEBIN
from biosample.tests.documents import FUTURE, sample_document
from biosample.tests.orphans import adopted
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, Task, TaskState

pytestmark = pytest.mark.django_db


def pulled(browser, submission, text: str):
    url = reverse("biosample:submission_pull", args=[submission.pk])
    return browser.post(url, {"accessions": text})


def test_a_list_of_accessions_is_pulled_and_each_one_left_out_says_why(
    alice, orphaned, api, token, other_token
):
    target, accessions = orphaned
    adopted(target, alice, ["boar"])
    theirs_private = api.post(sample_document("t1", release=FUTURE), token=other_token).json()
    theirs_public = api.post(sample_document("t2"), token=other_token).json()
    not_image = api.post(
        sample_document("pig-9", characteristics={"organism": [{"text": "Sus scrofa"}]}),
        token=token,
    ).json()
    sow, straw, boar = accessions["sow"], accessions["straw-1"], accessions["boar"]
    text = (
        f"{straw}, {sow}\n{sow.lower()}\n{boar}\nSAMEA999999999\n"
        f"{theirs_private['accession']}; {theirs_public['accession']}\n"
        f"{not_image['accession']}\n"
    )
    browser = Client()
    browser.force_login(alice)

    response = pulled(browser, target, text)

    assert response.status_code == 302
    assert response.url == reverse("biosample:submission_sync", args=[target.pk])
    task = run_queued(target.pk)
    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.params["accessions"][:3] == [straw, sow, boar]  # in order, each once
    assert task.message.startswith(
        "Adopted 2 of 7 BioSamples records into this submission (1 animal, 1 sample), each "
        "linked to its accession and completed. Not adopted: 5.\n"
    )
    why = {o["accession"]: o.get("why") for o in task.result["outcomes"]}
    assert why[straw] is None and why[sow] is None
    assert why[boar] == f"already linked to animal “boar” of the submission “{target.title}”"
    assert why["SAMEA999999999"] == f"not found in BioSamples ({environment()})"
    assert why[theirs_private["accession"]] == (
        "not yours: BioSamples keeps it private for another Webin account than Webin-40001"
    )
    assert why[theirs_public["accession"]] == (
        "not yours: it belongs to Webin-40002, not Webin-40001"
    )
    assert why[not_image["accession"]] == (
        "not an IMAGE animal or sample: it has no Project, not IMAGE"
    )
    straw_1 = Sample.objects.get(submission=target, name="straw-1")
    assert straw_1.accession == straw and straw_1.animal.accession == boar
    assert Animal.objects.get(submission=target, name="sow").accession == sow
    assert SampleLink.objects.filter(submission=target).count() == 3

    page = browser.get(response.url).content.decode()
    assert page.count('data-testid="outcome"') == 7
    assert "not found in BioSamples" in page and "already linked to animal" in page


def test_what_is_not_an_accession_is_named_and_nothing_starts(alice, orphaned):
    target, _ = orphaned
    browser = Client()
    browser.force_login(alice)

    response = pulled(browser, target, "SAMEA1, boar\nERS12")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Not accessions: “boar”, “ERS12”." in page
    assert not Task.objects.filter(submission=target, params__action="pull").exists()


def test_without_a_webin_sign_in_it_asks_for_one(alice, orphaned):
    from biosample.models import StoredToken

    target, accessions = orphaned
    StoredToken.objects.filter(user=alice).delete()
    alice.profile.webin_username = WEBIN
    alice.profile.save()
    browser = Client()
    browser.force_login(alice)

    page = pulled(browser, target, accessions["boar"]).content.decode()

    assert "Sign in to Webin first: your token has expired." in page
    assert 'data-testid="signin-form"' in page
    assert not Task.objects.filter(submission=target, params__action="pull").exists()
