"""Submitting through faults: the emulator, a process of its own, fails one request in ten
with a 500 and drops the connection of one write in fifty after storing the sample. The
submit run, run again while it asks to be, ends with exactly one accession per record,
in BioSamples and here."""

from collections import defaultdict

import pytest

from biosample.client import BioSamplesClient
from biosample.models import LinkState, SampleLink
from biosample.services import submission_submit_start
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from injecttool.testing.emulator import emulator_running
from injecttool.testing.tasks import import_loaded, run_queued
from uid.models import Animal, Sample, Status, TaskState

pytestmark = pytest.mark.django_db

RUNS = 10  # the runs a submission may take before the test gives up


def genebank(owner, tmp_path, *, animals: int, samples: int):
    """A validated, READY submission of a filled IMAGE template: animals with parents of
    the same breed over several generations, each sample of one of them."""
    from excel.bench import write_workbook
    from validation.tests.test_validate import complete_submitter, validated

    path = tmp_path / "genebank.xlsx"
    write_workbook(path, animals=animals, samples=samples, seed=3)
    submission = import_loaded(
        owner, kind="template", name=path.name, content=path.read_bytes()
    ).submission
    complete_submitter(owner, submission)
    validated(submission, owner)
    assert submission.status == Status.READY
    assert Animal.objects.filter(submission=submission, father__isnull=False).exists()
    return submission


def submitted_until_done(submission, user) -> list:
    """Submit, and again while the run ends asking for it; the tasks of every run."""
    tasks = []
    for _ in range(RUNS):
        submission_submit_start(submission=submission, user=user, account=WEBIN)
        task = run_queued(submission.pk)
        tasks.append(task)
        if task.state == TaskState.SUCCEEDED:
            return tasks
        assert task.retryable, task.message
    raise AssertionError(f"not done after {RUNS} runs: {tasks[-1].message}")


def assert_one_accession_per_record(submission, emulator) -> None:
    """Every record has an accession of its own, its link says the same, and the archive
    holds exactly one sample per record, under the record's name."""
    records = {
        (kind, pk): accession
        for kind, model in (("animal", Animal), ("sample", Sample))
        for pk, accession in model.objects.filter(submission=submission).values_list(
            "pk", "accession"
        )
    }
    assert None not in records.values()
    assert len(set(records.values())) == len(records)
    links = SampleLink.objects.filter(submission=submission)
    assert {(link.kind, link.record_id): link.accession for link in links} == records
    assert {link.state for link in links} == {LinkState.CREATED}

    emulator.faults()  # none: the archive is read as it is
    stored = defaultdict(list)
    token = BioSamplesClient(webin_auth_url=emulator.webin_auth_url).token_get(
        username=WEBIN, password=WEBIN_PASSWORD
    )
    with BioSamplesClient(token=token.value, biosamples_url=emulator.biosamples_url) as client:
        for sample in client.samples_search():
            stored[sample["name"]].append(sample["accession"])
    assert {link.name: [link.accession] for link in links} == dict(stored)
    stats = emulator.stats()
    assert stats["samples"] == len(records) and stats["duplicate_names"] == {}


@pytest.fixture
def faulty_emulator(tmp_path, settings):
    """The emulator as a process, failing 10 % of requests with a 500 and dropping 2 % of
    writes after storing them; BIOSAMPLES_URL points at it."""
    args = ("--error-rate", "0.1", "--drop-after-write-rate", "0.02", "--seed", "12")
    with emulator_running(
        tmp_path / "emulator", username=WEBIN, password=WEBIN_PASSWORD, args=args
    ) as running:
        settings.BIOSAMPLES_URL = running.biosamples_url
        settings.WEBIN_AUTH_URL = running.webin_auth_url
        yield running


def test_it_ends_with_one_accession_per_record_through_500s_and_dropped_writes(
    alice, tmp_path, faulty_emulator
):
    from biosample.tokens import token_obtain

    submission = genebank(alice, tmp_path, animals=150, samples=150)
    token_obtain(user=alice, username=WEBIN, password=WEBIN_PASSWORD)

    tasks = submitted_until_done(submission, alice)

    injected = faulty_emulator.stats()["faults"]["injected"]
    assert injected.get("500") and injected.get("drop-after-write"), injected
    first = tasks[0]
    assert first.state == TaskState.FAILED and first.retryable
    assert "BioSamples did not answer for" in first.message
    assert "run the submission again" in first.message
    assert_one_accession_per_record(submission, faulty_emulator)
    submission.refresh_from_db()
    assert submission.status == Status.COMPLETED
    # The last run sent what the others could not: nothing was left for it to repeat.
    assert tasks[-1].result["refused"] == 0 and tasks[-1].result["unanswered"] == 0


def test_a_token_refused_mid_run_keeps_every_accession_that_came_back(alice, tmp_path, settings):
    from biosample.tokens import token_obtain

    # The samples are three chunks: the third is on the way while the second is stored.
    submission = genebank(alice, tmp_path, animals=60, samples=250)
    with emulator_running(tmp_path / "emulator", username=WEBIN, password=WEBIN_PASSWORD) as emu:
        settings.BIOSAMPLES_URL = emu.biosamples_url
        settings.WEBIN_AUTH_URL = emu.webin_auth_url
        token_obtain(user=alice, username=WEBIN, password=WEBIN_PASSWORD)
        # Webin's token is refused once, in the second chunk of samples.
        emu.faults(script=["ok"] * 210 + [401], script_method="POST",
                   script_path="/biosamples/samples")  # fmt: skip
        submission_submit_start(submission=submission, user=alice, account=WEBIN)
        stopped = run_queued(submission.pk)

        assert stopped.state == TaskState.FAILED and stopped.retryable
        assert "The Webin token expired" in stopped.message
        created = SampleLink.objects.filter(state=LinkState.CREATED).count()
        assert 210 <= created < 310
        assert emu.stats()["samples"] == created  # every accession that came back is kept

        tasks = submitted_until_done(submission, alice)
        assert tasks[0].result["created"] + tasks[0].result["unchanged"] == 310
        assert_one_accession_per_record(submission, emu)
