"""Adopting orphans: samples of the curator's Webin account that no record links to
become records again (the reverse of validation.documents), linked to their accession,
completed, and not sent again by the next submit."""

import pytest
from django.forms.models import model_to_dict

from biosample.models import LinkState, Orphan, SampleLink
from biosample.services import document_hash, submission_submit_start, submit_plan
from biosample.tests.conftest import WEBIN
from biosample.tests.orphans import adopted, submitted_elsewhere, synced, twin
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, Status, TaskState

pytestmark = pytest.mark.django_db

# What a record is, apart from where it is and its life cycle.
_NOT_COMPARED = ["id", "submission", "accession", "status", "edited_at", "last_submitted",
                 "import_notes", "father", "mother", "animal"]  # fmt: skip


def same_record(original, copy) -> None:
    assert model_to_dict(copy, exclude=_NOT_COMPARED) == model_to_dict(
        original, exclude=_NOT_COMPARED
    )
    for parent in ("father", "mother", "animal"):
        if hasattr(original, parent):
            was, now = getattr(original, parent), getattr(copy, parent)
            assert (was and was.name) == (now and now.name), parent


def test_an_adopted_orphan_is_the_record_it_was_and_nothing_is_sent_again(
    alice, rich, orphaned, emulator
):
    target, accessions = orphaned

    task = adopted(target, alice, ["boar"])

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message.startswith(
        "Adopted 1 of 1 BioSamples record into this submission (1 animal, 0 samples)"
    )
    boar = Animal.objects.get(submission=target, name="boar")
    same_record(Animal.objects.get(submission=rich, name="boar"), boar)
    assert (boar.accession, boar.status) == (accessions["boar"], Status.COMPLETED)
    link = SampleLink.objects.get(kind="animal", record_id=boar.pk)
    assert (link.state, link.accession, link.webin_account) == (
        LinkState.CREATED, accessions["boar"], WEBIN
    )  # fmt: skip
    assert link.payload_hash == document_hash(link.payload)
    assert not Orphan.objects.filter(accession=accessions["boar"]).exists()
    assert Orphan.objects.filter(owner=alice).count() == 3

    plan = submit_plan(submission=target)
    assert (plan.new, plan.update, plan.unchanged) == (0, 0, 1)
    writes = sum(n for (method, *_), n in emulator.request_counts().items() if method != "GET")
    target.refresh_from_db()
    assert target.status == Status.COMPLETED
    submission_submit_start(submission=target, user=alice, account=WEBIN)
    sent = run_queued(target.pk)
    assert "0 new in BioSamples, 0 updated, 1 unchanged" in sent.message, sent.message
    assert sum(n for (m, *_), n in emulator.request_counts().items() if m != "GET") == writes


def test_orphans_adopted_together_find_their_parents_and_animal(alice, rich, orphaned):
    target, accessions = orphaned

    # The children first: the adoption puts the parents before them.
    task = adopted(target, alice, ["straw-1", "piglet", "sow", "boar"])

    assert task.state == TaskState.SUCCEEDED, task.message
    assert "Adopted 4 of 4 BioSamples records into this submission (3 animals, 1 sample)" in (
        task.message
    )
    for model in (Animal, Sample):
        for original in model.objects.filter(submission=rich):
            same_record(original, model.objects.get(submission=target, name=original.name))
    piglet = Animal.objects.get(submission=target, name="piglet")
    assert (piglet.father.accession, piglet.mother.accession) == (
        accessions["boar"], accessions["sow"]
    )  # fmt: skip
    target.refresh_from_db()
    assert target.status == Status.COMPLETED
    plan = submit_plan(submission=target)
    assert (plan.new, plan.update, plan.unchanged) == (0, 0, 4)


def test_a_child_is_not_adopted_before_its_parents(alice, orphaned):
    target, accessions = orphaned

    task = adopted(target, alice, ["piglet"])

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message == (
        "Adopted 0 of 1 BioSamples record into this submission (0 animals, 0 samples), each "
        "linked to its accession and completed. Not adopted: 1.\n"
        f"{accessions['piglet']}: its parent {accessions['boar']} is not a record here: "
        "adopt or pull it first (or in the same list)"
    )
    assert not Animal.objects.filter(submission=target).exists()
    assert Orphan.objects.filter(name="piglet").exists()


def test_what_the_submission_says_otherwise_is_said_and_sent_by_the_next_submit(
    alice, rich, api, token
):
    submitted_elsewhere(rich, api, token)
    target = twin(rich, title="Pigs taken over")
    synced(target, alice)

    task = adopted(target, alice, ["sow"])

    assert "1 of them differ from their BioSamples copy in what this submission says " in (
        task.message
    )
    assert "(Submission title): the next submit updates them there." in task.message
    plan = submit_plan(submission=target)
    assert (plan.new, plan.update, plan.unchanged) == (0, 1, 0)
    assert {"field": "Submission title", "was": rich.title, "now": "Pigs taken over"} in (
        plan.examples[0]["changes"]
    )


def test_it_adopts_many_records_in_a_constant_number_of_queries(
    alice, emulator, settings, api, token, django_assert_max_num_queries
):
    from django.db import transaction

    from biosample.adopt import documents_adopt
    from biosample.client import BioSamplesClient
    from biosample.services import environment
    from excel.tests.workbooks import pig, sample, simple_workbook
    from uid.tests.test_record_exports import imported
    from validation.services import terms_seed
    from validation.tests.test_validate import complete_submitter

    settings.BIOSAMPLES_URL = emulator.biosamples_url
    terms_seed()
    parents = {"Father id in data source": "boar", "Mother id in data source": "sow"}
    litter = [pig(f"piglet-{n}", Sex="female", **parents) for n in range(20)]
    straws = [sample(f"straw-{n}", f"piglet-{n}", **{"Organism part": "hair"}) for n in range(20)]
    farm = imported(alice, "litter.xlsx", simple_workbook(
        [pig("boar", Sex="male"), pig("sow", Sex="female"), *litter], straws))  # fmt: skip
    complete_submitter(alice, farm)
    accessions = submitted_elsewhere(farm, api, token)
    target = twin(farm)
    with BioSamplesClient(token=token, biosamples_url=emulator.biosamples_url) as client:
        documents = [client.sample_get(accession) for accession in accessions.values()]

    # Per distinct dictionary value, per generation and per kind: not per record.
    with django_assert_max_num_queries(60), transaction.atomic():
        adoption = documents_adopt(submission=target, documents=documents, account=WEBIN,
                                   environment=environment())  # fmt: skip

    assert (len(adoption.adopted), adoption.refused) == (42, {})
    assert not adoption.differing
