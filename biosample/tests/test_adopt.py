"""Adopting orphans: samples of the curator's Webin account that no record links to
become records again (the reverse of validation.documents), linked to their accession,
completed, and not sent again by the next submit."""

import pytest
from django.forms.models import model_to_dict

from biosample.models import LinkState, Orphan, SampleLink
from biosample.services import _outgoing, document_hash, submission_submit_start, submit_plan
from biosample.sync import orphans_adopt_start, submission_sync_start
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from injecttool.testing.tasks import run_queued
from uid.models import Animal, Sample, Status, Submission, TaskState
from validation.documents import submission_documents

pytestmark = pytest.mark.django_db

# What a record is, apart from where it is and its life cycle.
_NOT_COMPARED = ["id", "submission", "accession", "status", "edited_at", "last_submitted",
                 "import_notes", "father", "mother", "animal"]  # fmt: skip


@pytest.fixture
def rich(alice, emulator, settings):
    """A validated farm whose records use most IMAGE attributes; Alice signed in to Webin."""
    from biosample.tokens import token_obtain
    from excel.tests.workbooks import pig, sample, simple_workbook
    from uid.tests.test_record_exports import imported
    from validation.tests.test_validate import complete_submitter, validated

    settings.BIOSAMPLES_URL = emulator.biosamples_url
    settings.WEBIN_AUTH_URL = emulator.webin_auth_url
    born = {
        "Birth date": "2019-04-02",
        "Birth location": "Bentheim",
        "Birth location longitude": 7.16,
        "Birth location latitude": 52.3,
        "Birth location accuracy": "precise coordinates",
        "Animal description": "the sire",
    }
    taken = {"Organism part": "hair", "Collection date": "2021-05", "Collection place": "Bentheim",
             "Collection place accuracy": "region level", "Animal age at collection": "2 years",
             "Sample storage": "frozen, liquid nitrogen", "Sample description": "a lock",
             "Specimen collection protocol": "https://example.org/protocol",
             "availability": "mailto:bank@example.org"}  # fmt: skip
    workbook = simple_workbook(
        [pig("boar", Sex="male", **born), pig("sow", Sex="female"),
         pig("piglet", Sex="female", **{"Father id in data source": "boar",
                                         "Mother id in data source": "sow"})],
        [sample("straw-1", "boar", **taken)],
    )  # fmt: skip
    submission = imported(alice, "farm.xlsx", workbook)
    complete_submitter(alice, submission)
    validated(submission, alice)
    assert submission.status == Status.READY
    token_obtain(user=alice, username=WEBIN, password=WEBIN_PASSWORD)
    return submission


def submitted_elsewhere(submission, api, token) -> dict[str, str]:
    """Post the submission's documents straight to BioSamples, parents first, as another
    tool would: no record here links to them. Name → accession."""
    accessions: dict[str, str] = {}
    pending = list(submission_documents(submission=submission))
    while pending:
        for built in list(pending):
            targets = [rel["target"] for rel in built.document["relationships"]]
            if all(target in accessions for target in targets):
                answer = api.post(_outgoing(built.document, accessions, None), token=token)
                assert answer.status_code == 201, answer.text
                accessions[built.document["name"]] = answer.json()["accession"]
                pending.remove(built)
    return accessions


def twin(submission, **changes) -> Submission:
    """An empty submission that says what ``submission`` says."""
    names = ("owner", "title", "description", "gene_bank_name", "gene_bank_country",
             "organisation", "datasource_type", "datasource_version", "release_date")  # fmt: skip
    return Submission.objects.create(**{name: getattr(submission, name) for name in names}
                                     | changes)  # fmt: skip


def synced(submission, user):
    submission_sync_start(submission=submission, user=user, account=WEBIN)
    task = run_queued(submission.pk)
    assert task.state == TaskState.SUCCEEDED, task.message
    return task


def adopted(submission, user, names):
    orphans = list(Orphan.objects.filter(owner=user, name__in=names))
    assert len(orphans) == len(names)
    orphans_adopt_start(submission=submission, user=user, orphans=orphans)
    return run_queued(submission.pk)


def same_record(original, copy) -> None:
    assert model_to_dict(copy, exclude=_NOT_COMPARED) == model_to_dict(
        original, exclude=_NOT_COMPARED
    )
    for parent in ("father", "mother", "animal"):
        if hasattr(original, parent):
            was, now = getattr(original, parent), getattr(copy, parent)
            assert (was and was.name) == (now and now.name), parent


@pytest.fixture
def orphaned(alice, rich, api, token):
    """The farm's records in BioSamples, put there by another tool; an empty twin
    submission whose sync found them."""
    accessions = submitted_elsewhere(rich, api, token)
    target = twin(rich)
    task = synced(target, alice)
    assert task.message.endswith("Orphans: 4 samples of Webin-40001 that no InjectTool record "
                                 "links to.")  # fmt: skip
    return target, accessions


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
