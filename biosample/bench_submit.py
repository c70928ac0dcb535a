"""`make bench`, the submit step: 10,000 records of one submission go to BioSamples.

A filled IMAGE template of 5,000 animals (parents of the same breed, many generations,
so parents-first ordering matters) and 5,000 samples (each of an animal) is imported and
validated by the real tasks; then the real submit task sends it to the BioSamples
emulator, a process of its own (as `make run` starts it) on a free port with a fresh
archive: once answering as fast as it can, once with 50 ms added to every answer.

What is printed, per run: seconds and records/s; and the client overhead per record, the
time our side spends per record apart from waiting for the server: the CPU time of the
submitting process (building documents, JSON, HTTP, the ORM) divided by the records.
The emulator's CPU per record is printed beside it (on two cores, with the database, it
is what the zero-latency run also waits for).
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

RECORDS = {"animals": 5_000, "samples": 5_000}
LATENCIES = (0.0, 0.05)  # seconds added to every emulator answer
TARGET_SECONDS = 60  # for the 10,000 records, answered at once
TARGET_RATE = 100  # records/s with 50 ms answers
WEBIN = "Webin-40001"
WEBIN_PASSWORD = "bench-webin-password"  # noqa: S105 (the throwaway emulator's own)


def submission_build(*, folder: Path, animals: int, samples: int):
    """A validated, READY submission of ``animals`` animals and ``samples`` samples (a
    filled IMAGE template imported and validated by their tasks), with a submitter
    IMAGE accepts."""
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.core.management import call_command

    from accounts.models import Profile
    from excel.bench import write_workbook
    from uid.models import Country, Organisation, Role, Status, Submission, TaskKind, TaskState
    from uid.services.tasks import task_queue, task_run
    from validation.services import submission_validate_start

    call_command("terms_seed", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-submit", defaults={"first_name": "Ada", "last_name": "Bench",
                                           "email": "bench@example.org"},
    )  # fmt: skip
    country = Country.objects.get(label="Germany")
    role = Role.objects.get(label="submitter")
    organisation, _ = Organisation.objects.get_or_create(
        name="Bench genebank", defaults={"address": "Berlin", "role": role, "country": country}
    )
    Profile.objects.update_or_create(
        user=user, defaults={"initials": "A", "affiliation": organisation, "role": role}
    )
    path = folder / f"submit-{animals}-{samples}.xlsx"
    write_workbook(path, animals=animals, samples=samples)
    submission = Submission(
        owner=user, title="bench submit", gene_bank_name="bench", datasource_version="1",
        gene_bank_country=country, datasource_type="template", file_name=path.name,
        organisation=organisation, description="Animals and samples of a benchmark",
    )  # fmt: skip
    with path.open("rb") as f:
        submission.file.save(path.name, File(f), save=False)
    submission.save()
    for start in (
        lambda: task_queue(submission=submission, kind=TaskKind.IMPORT, user=user),
        lambda: submission_validate_start(submission=submission, user=user),
    ):
        task = task_run(task_id=start().pk)
        if task is None or task.state != TaskState.SUCCEEDED:
            raise RuntimeError(f"the submission could not be made: {task and task.message}")
        submission.refresh_from_db()
    if submission.status != Status.READY:
        raise RuntimeError(f"the submission is {submission.status}, not ready: {task.message}")
    return submission


def submission_unsend(submission) -> None:
    """Forget that the submission went to BioSamples (its links, accessions, statuses), so
    that the next run sends all of it again, to another fresh archive."""
    from biosample.models import SampleLink
    from uid.models import Animal, Sample, Status
    from uid.services.tasks import submission_status_refresh

    SampleLink.objects.filter(submission=submission).delete()
    for model in (Animal, Sample):
        model.objects.filter(submission=submission).update(
            accession=None, status=Status.READY, last_submitted=None
        )
    submission_status_refresh(submission_id=submission.pk)


def submit_measure(*, submission, folder: Path, latency: float) -> dict:
    """Send the submission to a fresh emulator process answering ``latency`` seconds late;
    its figures. Checks that every record got one accession, and the archive one sample
    per record."""
    from django.test import override_settings

    from biosample.services import submission_submit_start
    from biosample.tokens import token_obtain
    from injecttool.testing.emulator import emulator_running
    from uid.models import Animal, Sample, TaskState
    from uid.services.tasks import task_run

    records = sum(m.objects.filter(submission=submission).count() for m in (Animal, Sample))
    args = ("--delay", str(latency)) if latency else ()
    with emulator_running(folder, username=WEBIN, password=WEBIN_PASSWORD, args=args) as emu:
        urls = {"BIOSAMPLES_URL": emu.biosamples_url, "WEBIN_AUTH_URL": emu.webin_auth_url}
        with override_settings(**urls):
            token_obtain(user=submission.owner, username=WEBIN, password=WEBIN_PASSWORD)
            task = submission_submit_start(submission=submission, user=submission.owner,
                                           account=WEBIN)  # fmt: skip
            emulator_cpu = emu.cpu_seconds()
            cpu = resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            task = task_run(task_id=task.pk)
            seconds = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_SELF)
            emulator_cpu = emu.cpu_seconds() - emulator_cpu
            stats = emu.stats()
    if task is None or task.state != TaskState.SUCCEEDED:
        raise RuntimeError(f"the submit failed: {task and task.message}")
    missing = sum(
        m.objects.filter(submission=submission, accession__isnull=True).count()
        for m in (Animal, Sample)
    )
    if missing or stats["samples"] != records or stats["duplicate_names"]:
        raise RuntimeError(
            f"not one accession per record: {missing} records without one, "
            f"{stats['samples']} samples in the archive for {records} records, "
            f"{len(stats['duplicate_names'])} names stored twice"
        )
    cpu_seconds = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    return {
        "latency": latency, "records": records, "seconds": seconds,
        "cpu_seconds": cpu_seconds, "emulator_cpu_seconds": emulator_cpu,
    }  # fmt: skip


def submit_bench(*, write, animals: int = RECORDS["animals"], samples: int = RECORDS["samples"]):
    """Build the submission, send it once per latency of LATENCIES; one row per run."""
    from biosample import services

    with tempfile.TemporaryDirectory(prefix="injecttool-bench-submit-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        submission = submission_build(folder=folder, animals=animals, samples=samples)
        generations = len(services._generations(submission))
        write(
            f"submit: {animals:,} animals ({generations} generations) + {samples:,} samples "
            f"imported and validated in {time.perf_counter() - started:.1f} s"
        )
        rows = []
        for n, latency in enumerate(LATENCIES):
            if n:
                submission_unsend(submission)
            write(f"submit: sending them, {latency * 1000:.0f} ms per answer…")
            row = submit_measure(
                submission=submission, folder=folder / f"emulator-{n}", latency=latency
            )
            row.update(
                generations=generations, concurrency=services.concurrency(), chunk=services._CHUNK
            )
            rows.append(row)
    return rows


def submit_print(rows: list[dict], write) -> None:
    """The figures of submit_bench, against the issue's targets."""
    if not rows:
        return
    first = rows[0]
    write(
        f"submit to BioSamples (emulator process), {first['records']:,} records in "
        f"{first['generations']} animal generations, concurrency {first['concurrency']}, "
        f"chunks of {first['chunk']}:"
    )
    for row in rows:
        rate = row["records"] / row["seconds"]
        if row["latency"]:
            target, ok = f">= {TARGET_RATE} records/s", rate >= TARGET_RATE
        else:
            target, ok = f"<= {TARGET_SECONDS} s", row["seconds"] <= TARGET_SECONDS
        write(
            f"  {row['latency'] * 1000:>3.0f} ms per answer: {row['seconds']:6.1f} s, "
            f"{rate:6.0f} records/s (target {target}: {'OK' if ok else 'MISSED'}); "
            f"client overhead {row['cpu_seconds'] / row['records'] * 1000:.2f} ms/record "
            f"(our CPU), emulator {row['emulator_cpu_seconds'] / row['records'] * 1000:.2f} "
            "ms/record (its CPU)"
        )
