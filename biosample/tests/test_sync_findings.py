"""What a sync finds and the BioSamples page shows: records as sent, changed there (drift),
missing or not ours (lost), and orphans (samples of the Webin account no record holds)."""

import pytest
from django.test import Client
from django.urls import reverse

from biosample.models import Orphan, RemoteStatus, SampleLink
from biosample.sync import submissions_sync_due
from biosample.tests.conftest import OTHER_WEBIN, WEBIN
from biosample.tests.documents import FUTURE, sample_document
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Task, TaskKind, TaskState

pytestmark = pytest.mark.django_db


def compared(submission, user) -> Task:
    """ "Compare with BioSamples now" on the page, and the task it queued, run."""
    browser = Client()
    browser.force_login(user)
    response = browser.post(reverse("biosample:submission_sync", args=[submission.pk]))
    assert response.status_code == 302
    assert response.url == reverse("biosample:submission_sync", args=[submission.pk])
    task = run_queued(submission.pk)
    assert task.kind == TaskKind.SYNC and task.state == TaskState.SUCCEEDED, task.message
    return task


def page(submission, user) -> str:
    browser = Client()
    browser.force_login(user)
    response = browser.get(reverse("biosample:submission_sync", args=[submission.pk]))
    assert response.status_code == 200
    return response.content.decode()


def statuses() -> dict[str, str]:
    return dict(SampleLink.objects.values_list("name", "remote_status"))


def test_records_as_sent_are_the_same_and_nothing_is_an_orphan(alice, in_biosamples):
    task = compared(in_biosamples, alice)

    assert task.message == (
        "Compared 4 records with BioSamples: 4 as sent, 0 changed there, 0 missing or not "
        "yours. Orphans: 0 samples of Webin-40001 that no InjectTool record links to."
    )
    assert set(statuses().values()) == {RemoteStatus.SAME}
    shown = page(in_biosamples, alice)
    assert '<span data-testid="count-same">4</span>' in shown
    assert '<span data-testid="count-drift">0</span>' in shown
    assert '<span data-testid="count-orphans">0</span>' in shown
    assert 'data-testid="drift-row"' not in shown and 'data-testid="orphan-row"' not in shown


def test_a_copy_changed_in_biosamples_is_drift_and_the_page_says_what_changed(
    alice, in_biosamples, api, token
):
    boar = Animal.objects.get(name="boar")
    curated = api.get(f"/samples/{boar.accession}", token=token).json()
    curated["characteristics"]["Sex"] = [{"text": "female"}]
    curated["characteristics"]["Birth location"] = [{"text": "Bentheim"}]  # added there
    assert api.put(boar.accession, curated, token=token).status_code == 200

    task = compared(in_biosamples, alice)

    assert "4 records with BioSamples: 3 as sent, 1 changed there, 0 missing" in task.message
    assert statuses()["boar"] == RemoteStatus.DRIFT
    shown = page(in_biosamples, alice)
    assert '<span data-testid="count-drift">1</span>' in shown
    assert shown.count('data-testid="drift-row"') == 1
    assert "<strong>Sex</strong>: male → female" in shown
    assert "<strong>Birth location</strong>: (none) → Bentheim" in shown
    assert "Submitting again puts back what is here" in shown


def test_an_accession_biosamples_no_longer_gives_or_that_is_not_ours_is_lost(
    alice, in_biosamples, api, other_token
):
    private = api.post(sample_document("theirs", release=FUTURE), token=other_token).json()
    public = api.post(sample_document("theirs-public"), token=other_token).json()
    for name, accession in (("sow", "SAMEA999999999"), ("piglet", private["accession"]),
                            ("straw-1", public["accession"])):  # fmt: skip
        SampleLink.objects.filter(name=name).update(accession=accession)

    task = compared(in_biosamples, alice)

    assert "4 records with BioSamples: 1 as sent, 0 changed there, 3 missing or not yours." in (
        task.message
    )
    assert statuses() == {"boar": RemoteStatus.SAME, "sow": RemoteStatus.LOST,
                          "piglet": RemoteStatus.LOST, "straw-1": RemoteStatus.LOST}  # fmt: skip
    shown = page(in_biosamples, alice)
    assert shown.count('data-testid="lost-row"') == 3
    assert "BioSamples no longer gives these accessions to your Webin account" in shown


def test_samples_of_the_account_that_no_record_links_to_are_orphans(
    alice, in_biosamples, api, token, other_token
):
    image = api.post(
        sample_document("boar-2", characteristics={
            "organism": [{"text": "Sus scrofa"}], "Material": [{"text": "organism"}],
            "Project": [{"text": "IMAGE"}]}),
        token=token,
    ).json()  # fmt: skip
    other = api.post(
        sample_document("pig-9", release=FUTURE,
                        characteristics={"organism": [{"text": "Sus scrofa"}]}),
        token=token,
    ).json()  # not IMAGE  # fmt: skip
    api.post(sample_document("not-ours"), token=other_token)
    # The sow's link names another accession: its sample is held by no record.
    sow = SampleLink.objects.get(name="sow")
    SampleLink.objects.filter(pk=sow.pk).update(accession="SAMEA999999999")

    task = compared(in_biosamples, alice)

    assert task.message.endswith(
        "Orphans: 3 samples of Webin-40001 that no InjectTool record links to."
    )
    found = {o.name: (o.accession, o.kind) for o in Orphan.objects.filter(owner=alice)}
    assert found == {"boar-2": (image["accession"], "animal"), "sow": (sow.accession, "animal"),
                     "pig-9": (other["accession"], "")}  # fmt: skip
    shown = page(in_biosamples, alice)
    assert shown.count('data-testid="orphan-row"') == 3
    assert '<span data-testid="count-orphans">3</span>' in shown
    assert "1 of them are not IMAGE animals or samples: they cannot be adopted." in shown
    assert shown.count('data-testid="adopt"') == 2  # not pig-9
    assert "private until 2999-01-01" in shown

    # Linked again, the sow is no orphan at the next comparison.
    SampleLink.objects.filter(pk=sow.pk).update(accession=sow.accession)
    task = compared(in_biosamples, alice)
    assert task.message.endswith("Orphans: 2 samples of Webin-40001 that no InjectTool record "
                                 "links to.")  # fmt: skip
    assert not Orphan.objects.filter(name="sow").exists()


def test_beat_looks_for_orphans_once_per_owner_and_account(alice, in_biosamples):
    from biosample.tests.orphans import twin

    other = twin(in_biosamples)
    link = SampleLink.objects.first()
    SampleLink.objects.create(submission=other, kind="animal", record_id=0, name="x",
                              accession="SAMEA999999998", webin_account=WEBIN,
                              environment=link.environment, state="created")  # fmt: skip

    assert submissions_sync_due() == 2

    tasks = Task.objects.filter(kind=TaskKind.SYNC, state=TaskState.QUEUED)
    assert sorted(task.params["orphans"] for task in tasks) == [False, True]
    assert {task.params["account"] for task in tasks} == {WEBIN}
    assert OTHER_WEBIN not in {task.params["account"] for task in tasks}


def test_the_submissions_page_leads_to_its_biosamples_page(alice, ready):
    browser = Client()
    browser.force_login(alice)
    shown = browser.get(reverse("uid:submission_detail", args=[ready.pk])).content.decode()
    assert f'href="{reverse("biosample:submission_sync", args=[ready.pk])}"' in shown
    assert "In BioSamples: compare, adopt, pull…" in shown
