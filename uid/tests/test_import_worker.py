"""The import as a real Celery worker runs it: loaded, or killed and retried cleanly."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File

from injecttool.testing.db import current_database_url
from uid.models import Animal, Country, Sample, Status, Submission, Task, TaskKind, TaskState
from uid.services import submissions, tasks
from uid.services.dictionaries import dictionaries_seed

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

COLUMNS = [
    "sample_identifier", "EBI_Biosample_identifier", "sample_availability",
    "sample_bibliographic_references", "animal_ID", "sex", "species_latin_name", "breed_name",
    "country_of_origin", "sampling_protocol_url", "sampling_date", "sample_type_name",
    "body_part_name", "animal_birth_date", "sample_storage_temperature",
]  # fmt: skip


def write_crbanim(path: Path, animals: int) -> None:
    """Two samples per animal, in the shape of a CRB-Anim export."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for i in range(animals):
            for j in range(2):
                out.writerow([
                    f"S{i}-{j}", "", "mailto:crb@example.org", "", f"ANIMAL:::{i}",
                    "Female" if i % 2 else "Male", "Capra hircus", "Alpine", "FR",
                    "https://example.org/protocol", "2015-05-16", "tissue", "blood",
                    "2010-01-02", "-80°C",
                ])  # fmt: skip


@pytest.fixture
def worker_env():
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="injecttool.settings.test",
        DATABASE_URL=current_database_url(),
        REDIS_URL=settings.REDIS_URL,
        PYTHONUNBUFFERED="1",
    )


def start_worker(env) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "celery", "-A", "injecttool", "worker", "--pool", "prefork",
           "--concurrency", "1", "--loglevel", "INFO",
           "--without-mingle", "--without-gossip"]  # fmt: skip
    log_path = Path(settings.DATA_DIR) / f"worker-{time.time_ns()}.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen(
            cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker.log_path = log_path
    return worker


def stop(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)
    # Shown by pytest when the test fails.
    print(worker.log_path.read_text(errors="replace")[-5000:])


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def make_submission(owner, path: Path) -> Submission:
    submission = Submission(
        owner=owner, title="goats", gene_bank_name="CRB", datasource_version="1",
        gene_bank_country=Country.objects.get(label="France"), datasource_type="crbanim",
        file_name=path.name,
    )  # fmt: skip
    with path.open("rb") as f:
        submission.file.save(path.name, File(f), save=False)
    submission.save()
    return submission


def queue_import(submission) -> Task:
    """Queue the import as an upload does; the worker hears of it at once (autocommit)."""
    return tasks.task_queue(submission=submission, kind=TaskKind.IMPORT, user=submission.owner)


def task_ended(task: Task):
    task.refresh_from_db()
    return not task.is_active


def test_a_real_worker_imports_a_file(alice, worker_env, tmp_path):
    dictionaries_seed()
    path = tmp_path / "small.csv"
    write_crbanim(path, animals=50)
    submission = make_submission(alice, path)
    worker = start_worker(worker_env)
    try:
        task = queue_import(submission)
        wait_for(lambda: task_ended(task), 60, "the import")
    finally:
        stop(worker)
    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.message.startswith("Loaded 50 animals and 100 samples.")
    assert task.started_at and task.heartbeat_at and task.finished_at
    submission.refresh_from_db()
    assert submission.status == Status.LOADED
    assert Sample.objects.filter(submission=submission).count() == 100


@pytest.mark.attack
def test_a_worker_killed_mid_import_leaves_nothing_and_a_retry_succeeds(
    alice, worker_env, tmp_path
):
    dictionaries_seed()
    path = tmp_path / "big.csv"
    write_crbanim(path, animals=60_000)
    submission = make_submission(alice, path)
    worker = start_worker(worker_env)
    try:
        task = queue_import(submission)
        # Kill it while it writes the records (inside their transaction).
        wait_for(
            lambda: Task.objects.filter(pk=task.pk, phase="write").exists(),
            60,
            "the import to start",
        )
    finally:
        stop(worker, signal.SIGKILL)

    assert not Animal.objects.filter(submission=submission).exists()
    assert not Sample.objects.filter(submission=submission).exists()
    task.refresh_from_db()
    assert task.state == TaskState.RUNNING and task.heartbeat_at is not None
    # The dead worker's connection took its lock along: the task is seen as stale at once.
    wait_for(lambda: tasks.task_is_stale(task=task), 10, "a stale task")
    assert tasks.tasks_reap_stale() == 1
    task.refresh_from_db()
    assert task.state == TaskState.INTERRUPTED and task.retryable
    assert (
        task.message
        == "The import was interrupted (its worker stopped) and changed nothing; run it again."
    )
    submission.refresh_from_db()
    assert submission.status == Status.EMPTY  # the data: still none

    worker = start_worker(worker_env)
    try:
        retried = submissions.submission_retry(submission=submission)  # queued on commit
        wait_for(lambda: task_ended(retried), 120, "the retried import")
    finally:
        stop(worker)
    assert retried.state == TaskState.SUCCEEDED, retried.message
    submission.refresh_from_db()
    assert submission.status == Status.LOADED
    assert Animal.objects.filter(submission=submission).count() == 60_000
    assert Sample.objects.filter(submission=submission).count() == 120_000
