"""A real Celery worker killed (SIGKILL) in the middle of a submission to BioSamples: the
task is seen as interrupted, the submission can be sent again, and the second run ends
with exactly one accession per record, in BioSamples and here."""

import os
import signal

import pytest
from django.conf import settings

from biosample.models import LinkState, SampleLink
from biosample.services import submission_submit_start
from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from biosample.tests.test_submit_faults import assert_one_accession_per_record, genebank
from injecttool.testing.db import current_database_url
from injecttool.testing.emulator import emulator_running
from uid.models import Status, Task, TaskState
from uid.services import tasks
from uid.tests.test_import_worker import start_worker, stop, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_emulator(tmp_path, settings):
    """The emulator as a process answering 0.2 s late; BIOSAMPLES_URL points at it."""
    with emulator_running(
        tmp_path / "emulator", username=WEBIN, password=WEBIN_PASSWORD, args=("--delay", "0.2")
    ) as running:
        settings.BIOSAMPLES_URL = running.biosamples_url
        settings.WEBIN_AUTH_URL = running.webin_auth_url
        yield running


@pytest.fixture
def worker_env(slow_emulator):
    """A worker's environment: the test database, the session's Redis, the emulator."""
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="injecttool.settings.test",
        DATABASE_URL=current_database_url(),
        REDIS_URL=settings.REDIS_URL,
        BIOSAMPLES_URL=slow_emulator.biosamples_url,
        WEBIN_AUTH_URL=slow_emulator.webin_auth_url,
        PYTHONUNBUFFERED="1",
    )


def accessioned(submission) -> int:
    return SampleLink.objects.filter(submission=submission, state=LinkState.CREATED).count()


def unrecorded(submission, emulator) -> bool:
    """Some accessions are stored here, and BioSamples has stored samples whose answers
    are not (yet) stored here: a kill now loses answers."""
    stored = emulator.stats()["samples"]  # first: it only grows
    known = accessioned(submission)
    return known >= 40 and stored > known


def task_ended(task: Task) -> bool:
    task.refresh_from_db()
    return not task.is_active


def test_a_worker_killed_mid_submission_leaves_one_accession_per_record_after_a_resubmit(
    alice, tmp_path, slow_emulator, worker_env
):
    from biosample.tokens import token_obtain

    submission = genebank(alice, tmp_path, animals=150, samples=150)
    token_obtain(user=alice, username=WEBIN, password=WEBIN_PASSWORD)
    worker = start_worker(worker_env)
    try:
        killed = submission_submit_start(submission=submission, user=alice, account=WEBIN)
        wait_for(lambda: unrecorded(submission, slow_emulator), 120, "answers on the way")
    finally:
        stop(worker, signal.SIGKILL)
    known = accessioned(submission)
    assert 40 <= known < 300
    assert SampleLink.objects.filter(submission=submission, state=LinkState.CREATING).exists()
    # What the worker had on the way is stored all the same, the accessions never heard.
    wait_for(lambda: slow_emulator.stats()["samples"] > known, 10, "samples stored unheard")
    killed.refresh_from_db()
    assert killed.state == TaskState.RUNNING
    # The dead worker's connection took its lock along: the task is stale, and a new
    # submit marks it interrupted and goes ahead.
    wait_for(lambda: tasks.task_is_stale(task=killed), 10, "a stale task")

    slow_emulator.faults()  # answering at once again
    worker = start_worker(worker_env)
    try:
        again = submission_submit_start(submission=submission, user=alice, account=WEBIN)
        wait_for(lambda: task_ended(again), 120, "the second submit")
    finally:
        stop(worker)

    killed.refresh_from_db()
    assert killed.state == TaskState.INTERRUPTED and killed.retryable
    assert again.state == TaskState.SUCCEEDED, again.message
    assert again.result["created"] + again.result["unchanged"] == 300
    assert_one_accession_per_record(submission, slow_emulator)
    submission.refresh_from_db()
    assert submission.status == Status.COMPLETED
