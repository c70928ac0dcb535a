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
from uid.models import Animal, Country, Sample, Status, Submission
from uid.services import submissions
from uid.services.dictionaries import dictionaries_seed
from uid.tasks import submission_import_task

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
        status=Status.WAITING, file_name=path.name,
    )  # fmt: skip
    with path.open("rb") as f:
        submission.file.save(path.name, File(f), save=False)
    submission.save()
    return submission


def test_a_real_worker_imports_a_file(alice, worker_env, tmp_path):
    dictionaries_seed()
    path = tmp_path / "small.csv"
    write_crbanim(path, animals=50)
    submission = make_submission(alice, path)
    worker = start_worker(worker_env)
    try:
        submission_import_task.delay(submission.pk)
        wait_for(
            lambda: Submission.objects.get(pk=submission.pk).status != Status.WAITING,
            60,
            "the import",
        )
    finally:
        stop(worker)
    submission.refresh_from_db()
    assert submission.status == Status.LOADED, submission.message
    assert submission.message == "Loaded 50 animals and 100 samples."
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
        submission_import_task.delay(submission.pk)
        # Kill it while it is busy: the claim is taken and rows are being read.
        wait_for(
            lambda: Submission.objects.filter(pk=submission.pk, progress_done__gt=0).exists(),
            60,
            "the import to start",
        )
    finally:
        stop(worker, signal.SIGKILL)

    assert not Animal.objects.filter(submission=submission).exists()
    assert not Sample.objects.filter(submission=submission).exists()
    submission.refresh_from_db()
    assert submission.status == Status.WAITING and submission.claimed_at is not None
    # The dead worker's connection took its lock along: the claim is seen as stale at once.
    wait_for(lambda: submissions.submission_is_stale(submission=submission), 10, "a stale claim")
    assert submissions.submissions_reap_stale() == 1
    submission.refresh_from_db()
    assert submission.status == Status.ERROR
    assert "interrupted" in submission.message

    worker = start_worker(worker_env)
    try:
        submissions.submission_retry(submission=submission)  # queues the task on commit
        wait_for(
            lambda: Submission.objects.get(pk=submission.pk).status not in (Status.WAITING,),
            120,
            "the retried import",
        )
    finally:
        stop(worker)
    submission.refresh_from_db()
    assert submission.status == Status.LOADED, submission.message
    assert Animal.objects.filter(submission=submission).count() == 60_000
    assert Sample.objects.filter(submission=submission).count() == 120_000
