"""`make bench`: how fast and how lean is an import, per format, against the old way.

Each measured import runs in a child process of its own (so its peak memory is its
own) on a throwaway instance: run it with the test settings, as `make bench` does.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from injecttool.memory import peak_rss_mb

TARGETS = {  # seconds, from the issue
    "cryoweb-copy": 20,
    "cryoweb-insert": 40,
    "crbanim": 30,
    "template": 20,
}


class Command(BaseCommand):
    help = "Generate synthetic files and print records/s and peak memory of whole imports."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--animals", type=int, default=100_000)
        parser.add_argument("--samples", type=int, default=200_000)
        parser.add_argument("--template-animals", type=int, default=10_000)
        parser.add_argument("--template-samples", type=int, default=20_000)
        parser.add_argument(
            "--orm-animals", type=int, default=2_000, help="size of the record-by-record sample"
        )
        parser.add_argument(
            "--formats", default=",".join([*TARGETS, "orm", "validate", "tables", "submit"])
        )
        parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: one import, in a child
        parser.add_argument("--file", help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        if options["one"] == "delete":
            return self._delete(int(options["file"]))
        if options["one"] == "validate":
            return self._validate(int(options["file"]))
        if options["one"]:
            return self._one(options["one"], Path(options["file"]))
        if "test" not in settings.SETTINGS_MODULE:
            raise CommandError(
                "run the benchmark on a throwaway instance: "
                "DJANGO_SETTINGS_MODULE=injecttool.settings.test (make bench does)"
            )
        call_command("migrate", verbosity=0)
        call_command("seed_dictionaries", verbosity=0)
        formats = options["formats"].split(",")
        rows = []
        with tempfile.TemporaryDirectory(prefix="injecttool-bench-") as tmp:
            folder = Path(tmp)
            for fmt in formats:
                if fmt in ("orm", "validate", "tables", "submit"):
                    continue
                big = fmt != "template"
                animals = options["animals"] if big else options["template_animals"]
                samples = options["samples"] if big else options["template_samples"]
                path = self._generate(fmt, folder, animals, samples)
                self.stdout.write(
                    f"{fmt}: {animals:,} animals + {samples:,} samples, "
                    f"{path.stat().st_size / 1e6:.1f} MB file; importing…"
                )
                rows.append(self._child(fmt, path))
            # The old way, per format: the same parser, then one ORM save per record, on a
            # smaller file of the same shape (the full size would take too long).
            orm = {}
            if "orm" in formats:
                n = options["orm_animals"]
                for row in rows:
                    fmt = row["format"]
                    path = self._generate(fmt, folder / "orm", n, 2 * n)
                    self.stdout.write(f"{fmt} record by record: {n:,} animals + {2 * n:,} samples…")
                    orm[fmt] = self._child(f"orm-{fmt}", path)
            # Validation of the largest submission, the whole genebank at once.
            validated = None
            if "validate" in formats and rows:
                biggest = max(rows, key=lambda row: row["records"])
                self.stdout.write(f"validating the {biggest['format']} submission…")
                validated = self._run_child(
                    ["--one", "validate", "--file", str(biggest["submission"])]
                )
            # The record tables under load, on the largest submission (before it goes).
            tables = None
            if "tables" in formats:
                tables = self._tables(rows, folder, options)
            # Submitting to BioSamples (the emulator, a process of its own): a submission
            # of its own, built, validated and sent by the real tasks.
            submitted = None
            if "submit" in formats:
                from biosample.bench_submit import submit_bench

                submitted = submit_bench(write=self.stdout.write)
            # Deleting is the other bulk operation a curator starts from a page: the
            # biggest submission goes last, so that it slows no import down.
            deleted = None
            if rows:
                biggest = max(rows, key=lambda row: row["records"])
                self.stdout.write(f"deleting the {biggest['format']} submission…")
                deleted = self._run_child(["--one", "delete", "--file", str(biggest["submission"])])
                deleted["format"] = biggest["format"]
        if rows:
            self._print(rows, orm)
        if validated:
            self.stdout.write(
                f"validating {validated['records']:,} records: {validated['seconds']:.1f} s "
                f"({validated['records'] / validated['seconds']:,.0f} records/s), "
                f"peak {validated['peak_mb']:.0f} MB"
            )
        if tables is not None:
            from uid.bench_tables import tables_print

            tables_print(tables, self.stdout.write)
        if submitted:
            from biosample.bench_submit import submit_print

            submit_print(submitted, self.stdout.write)
        if deleted:
            self.stdout.write(
                f"deleting the {deleted['format']} submission ({deleted['records']:,} records): "
                f"{deleted['seconds']:.1f} s, peak {deleted['peak_mb']:.0f} MB"
            )

    def _tables(self, rows: list[dict], folder: Path, options: dict) -> list[dict] | None:
        import os

        from injecttool.stack import NGINX
        from uid.bench_tables import tables_bench

        if not os.access(NGINX, os.X_OK):
            self.stdout.write(f"tables: not measured, {NGINX} is missing (apt-get install nginx)")
            return None
        source = next((row for row in rows if row["format"] == "cryoweb-copy"), None)
        if source is None:
            path = self._generate("cryoweb-copy", folder, options["animals"], options["samples"])
            self.stdout.write("tables: importing their submission…")
            source = self._child("cryoweb-copy", path)
        return tables_bench(
            submission_id=source["submission"], data_dir=Path(settings.DATA_DIR),
            write=self.stdout.write,
        )  # fmt: skip

    def _generate(self, fmt: str, folder: Path, animals: int, samples: int) -> Path:
        folder.mkdir(exist_ok=True)
        started = time.monotonic()
        if fmt.startswith("cryoweb"):
            from cryoweb.bench import write_dump

            form = fmt.split("-")[1]
            path = folder / f"dump-{form}-{animals}.sql"
            write_dump(path, animals=animals, samples=samples, form=form)
        elif fmt == "crbanim":
            from crbanim.bench import write_csv

            path = folder / f"crbanim-{animals}.csv"
            write_csv(path, animals=animals, samples=samples)
        elif fmt == "template":
            from excel.bench import write_workbook

            path = folder / f"template-{animals}.xlsx"
            write_workbook(path, animals=animals, samples=samples)
        else:
            raise CommandError(f"unknown format {fmt}")
        self.stdout.write(f"  generated {path.name} in {time.monotonic() - started:.1f} s")
        return path

    def _child(self, fmt: str, path: Path) -> dict:
        result = self._run_child(["--one", fmt, "--file", str(path)])
        result["format"] = fmt
        return result

    def _run_child(self, args: list[str]) -> dict:
        cmd = [sys.executable, "manage.py", "bench", *args]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise CommandError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _one(self, fmt: str, path: Path) -> None:
        """In the child: one whole import, timed, then its figures as one JSON line."""
        from django.contrib.auth import get_user_model
        from django.core.files import File

        from uid.models import Country, Submission, TaskKind, TaskState
        from uid.services.tasks import task_queue, task_run

        user, _ = get_user_model().objects.get_or_create(username=f"bench-{fmt}")
        orm = fmt.startswith("orm-")
        source = fmt.removeprefix("orm-").split("-")[0]
        submission = Submission(
            owner=user, title=f"bench {fmt}", gene_bank_name="bench", datasource_version="1",
            gene_bank_country=Country.objects.get(label="Germany"),
            datasource_type=source, file_name=path.name,
        )  # fmt: skip
        with path.open("rb") as f:
            submission.file.save(path.name, File(f), save=False)
        submission.save()
        task = None if orm else task_queue(submission=submission, kind=TaskKind.IMPORT, user=user)
        started = time.monotonic()
        if orm:
            counts = _orm_import(submission)
        else:
            task = task_run(task_id=task.pk)
            if task.state != TaskState.SUCCEEDED:
                raise CommandError(task.message)
            counts = task.result
        elapsed = time.monotonic() - started
        peak_mb = peak_rss_mb()
        records = counts["animals"] + counts["samples"]
        figures = {"seconds": elapsed, "records": records, "peak_mb": peak_mb}
        print(json.dumps({**figures, "submission": submission.pk}))

    def _delete(self, submission_id: int) -> None:
        """In the child: delete one submission with its records, timed."""
        from uid.models import Submission, TaskState
        from uid.services.submissions import submission_delete
        from uid.services.tasks import task_run

        submission = Submission.objects.get(pk=submission_id)
        # A record in BioSamples is never deleted (it is withdrawn): the synthetic files
        # give some records accessions, so the bench deletes a submission never sent.
        submission.animals.update(accession=None)
        submission.samples.update(accession=None)
        records = submission.animals.count() + submission.samples.count()
        started = time.monotonic()
        task = task_run(task_id=submission_delete(submission=submission).pk)
        seconds = time.monotonic() - started
        if task.state != TaskState.SUCCEEDED:
            raise CommandError(task.message)
        print(json.dumps({"seconds": seconds, "records": records, "peak_mb": peak_rss_mb()}))

    def _validate(self, submission_id: int) -> None:
        """In the child: validate one submission's records, timed."""
        from django.core.management import call_command

        from uid.models import Submission, TaskState
        from uid.services.tasks import task_run
        from validation.services import submission_validate_start

        call_command("terms_seed", verbosity=0)
        submission = Submission.objects.get(pk=submission_id)
        records = submission.animals.count() + submission.samples.count()
        started = time.monotonic()
        task = submission_validate_start(submission=submission, user=submission.owner)
        task = task_run(task_id=task.pk)
        seconds = time.monotonic() - started
        if task.state != TaskState.SUCCEEDED:
            raise CommandError(task.message)
        print(json.dumps({"seconds": seconds, "records": records, "peak_mb": peak_rss_mb()}))

    def _print(self, rows: list[dict], orm: dict[str, dict]) -> None:
        self.stdout.write("")
        header = f"{'format':<24}{'records':>10}{'seconds':>10}{'records/s':>12}{'peak MB':>10}"
        header += f"{'target s':>10}{'vs ORM':>9}  verdict"
        self.stdout.write(header)
        for r in rows:
            rate = r["records"] / r["seconds"]
            base = orm.get(r["format"])
            orm_rate = base["records"] / base["seconds"] if base else None
            target = TARGETS[r["format"]]
            ratio = f"{rate / orm_rate:.0f}x" if orm_rate else "-"
            ok = r["seconds"] <= target and r["peak_mb"] <= 1024
            ok = ok and (not orm_rate or rate / orm_rate >= 20)
            self.stdout.write(
                f"{r['format']:<24}{r['records']:>10,}{r['seconds']:>10.1f}{rate:>12,.0f}"
                f"{r['peak_mb']:>10.0f}{target:>10}{ratio:>9}  {'OK' if ok else 'MISSED'}"
            )
        for fmt, base in orm.items():
            self.stdout.write(
                f"{'old way: ' + fmt:<24}{base['records']:>10,}{base['seconds']:>10.1f}"
                f"{base['records'] / base['seconds']:>12,.0f}{base['peak_mb']:>10.0f}"
            )


def _orm_import(submission) -> dict:
    """The original tool's way: parse, then one ORM save (and look-ups) per record."""
    from uid.models import Animal, Breed, Country, OrganismPart, Sample, Sex
    from uid.parsers import parser_for
    from uid.records import AnimalRecord, SampleRecord
    from uid.services.dictionaries import species_resolve
    from validation.registry import UNKNOWN_SEX

    with submission.file.open("rb") as stream:
        parse = parser_for(submission.datasource_type)
        records = list(parse(stream, filename=submission.file_name))
    animals = {}
    n_animals = n_samples = 0
    for record in records:
        if isinstance(record, AnimalRecord):
            species = species_resolve(
                words=[record.species], country=submission.gene_bank_country,
                user=submission.owner,
            )[record.species]  # fmt: skip
            country = Country.objects.get(label__iexact=record.country)
            # The owner's own (proposed) breed: every bench import is another curator's.
            breed, _ = Breed.objects.get_or_create(
                supplied_breed=record.breed, species=species, country=country,
                proposed_by=submission.owner,
            )  # fmt: skip
            sex = Sex.objects.filter(label=record.sex).first() or Sex.objects.get(label=UNKNOWN_SEX)
            animals[record.name] = Animal.objects.create(
                owner=submission.owner, submission=submission, name=record.name,
                breed=breed, species=species, sex=sex, birth_date=record.birth_date,
            )  # fmt: skip
            n_animals += 1
    for record in records:
        if isinstance(record, SampleRecord):
            part, _ = OrganismPart.objects.get_or_create(label=record.organism_part)
            Sample.objects.create(
                owner=submission.owner, submission=submission, name=record.name,
                animal=animals[record.animal], organism_part=part,
                collection_date=record.collection_date,
            )  # fmt: skip
            n_samples += 1
    return {"animals": n_animals, "samples": n_samples}
