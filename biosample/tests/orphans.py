"""Orphans for the sync tests: a farm put into BioSamples by "another tool" (so that no
record links to its samples), an empty twin submission to adopt them into, and the
steps (sync, adopt) as the pages run them. conftest.py makes the fixtures available."""

import pytest

from biosample.models import Orphan
from biosample.services import _outgoing
from biosample.sync import orphans_adopt_start, submission_sync_start
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from injecttool.testing.tasks import run_queued
from uid.models import Status, Submission, TaskState
from validation.documents import submission_documents


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
