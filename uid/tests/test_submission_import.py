"""The import service end to end on bad files: ERROR, a message naming where, nothing loaded."""

import gzip
import io
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test import override_settings

from uid.models import Animal, Country, Sample, Submission, TaskKind, TaskState
from uid.services.dictionaries import dictionaries_seed
from uid.services.submissions import submission_import, submission_reload
from uid.services.tasks import task_queue

CRYOWEB = Path(__file__).resolve().parents[2] / "cryoweb" / "tests" / "data" / "copy_form.sql"
CRB_HEADER = (
    "sex,species_latin_name,country_of_origin,breed_name,animal_ID,"
    "sample_bibliographic_references,sample_identifier,animal_birth_date,"
    "sample_storage_temperature,sample_type_name,body_part_name,sampling_date,"
    "sampling_protocol_url,sample_availability,EBI_Biosample_identifier\n"
)


def crb_row(sample: str, animal: str, sex: str = "female") -> str:
    return (
        f"{sex},Capra hircus,FR,Alpine,{animal},,{sample},2010-01-02,-80°C,tissue,blood,"
        "2015-05-16,https://example.org/p,mailto:crb@example.org,\n"
    )


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 200_000_000 + b"/>")
    return out.getvalue()


def cryoweb(transform) -> bytes:
    return transform(CRYOWEB.read_bytes())


CASES = [
    ("cryoweb", "truncated.sql", lambda: cryoweb(lambda b: b[: len(b) // 2]), "truncated.sql"),
    (
        "cryoweb",
        "unterminated.sql",
        lambda: cryoweb(lambda b: b.replace(b"\n\\.\n", b"\n", 1)),
        "unterminated.sql",
    ),
    (
        "cryoweb",
        "sql.sql",
        lambda: cryoweb(lambda b: b + b"\nDROP TABLE apiis_admin.animal;\n"),
        "line",
    ),
    (
        "crbanim",
        "latin1.csv",
        lambda: (CRB_HEADER + crb_row("S1", "A1")).encode("latin-1"),
        "UTF-8",
    ),
    (
        "crbanim",
        "nosex.csv",
        lambda: (CRB_HEADER.replace("sex,", "gender,", 1) + crb_row("S1", "A1")).encode(),
        "sex",
    ),
    (
        "crbanim",
        "dupes.csv",
        lambda: (CRB_HEADER + crb_row("S1", "A1") + crb_row("S1", "A2")).encode(),
        "'S1' is used on rows 2 and 3",
    ),
    ("template", "notxlsx.xlsx", lambda: b"this is not a workbook at all", "not an Excel workbook"),
    ("template", "bomb.xlsx", bomb, "bomb.xlsx"),
    ("crbanim", "empty.csv", lambda: b"\n", "empty.csv"),
    (
        "cryoweb",
        "nul.sql",
        lambda: cryoweb(lambda b: b.replace(b"Ostfriesisches", b"Ost\\000friesisches", 1)),
        "nul.sql, line 45, column breeds_species: an escape gives no valid text (an escape "
        "gives a NUL byte",
    ),
    (
        "cryoweb",
        "rawnul.sql",
        lambda: cryoweb(lambda b: b.replace(b"Ostfriesisches", b"Ost\0friesisches", 1)),
        "rawnul.sql, line 45: a NUL byte (\\0) at position",
    ),
    (
        "crbanim",
        "nul.csv",
        lambda: (CRB_HEADER + crb_row("S1", "A1").replace("Alpine", "Alp\0ine")).encode(),
        "nul.csv, line 2: this line holds binary data",
    ),
]


@pytest.mark.attack
@pytest.mark.parametrize(("kind", "name", "content", "expected"), CASES, ids=[c[1] for c in CASES])
def test_a_bad_file_ends_in_error_naming_where_and_loads_nothing(
    db, alice, kind, name, content, expected
):
    submission = _submission(alice, kind, name, content())

    result = submission_import(submission_id=submission.pk)

    assert result.state == TaskState.FAILED
    assert expected in result.message
    assert not result.is_active
    assert not Animal.objects.exists() and not Sample.objects.exists()


def test_a_good_file_of_the_same_shape_loads(db, alice):
    content = (CRB_HEADER + crb_row("S1", "A1")).encode()
    submission = _submission(alice, "crbanim", "ok.csv", content)
    assert submission_import(submission_id=submission.pk).state == TaskState.SUCCEEDED


@override_settings(IMPORT_MAIL_AFTER_SECONDS=0)
def test_the_owner_is_mailed_when_a_long_import_ends(db, alice, django_capture_on_commit_callbacks):
    content = (CRB_HEADER + crb_row("S1", "A1") + crb_row("S2", "A1")).encode()
    submission = _submission(alice, "crbanim", "goats.csv", content)

    # The mail goes once the records are committed, not from inside their transaction.
    with django_capture_on_commit_callbacks(execute=True):
        submission_import(submission_id=submission.pk)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "is loaded" in mail.outbox[0].subject
    assert "Loaded 1 animal and 2 samples." in mail.outbox[0].body


def test_a_short_import_sends_no_mail(db, alice):
    content = (CRB_HEADER + crb_row("S1", "A1")).encode()
    submission_import(submission_id=_submission(alice, "crbanim", "g.csv", content).pk)
    assert mail.outbox == []


def test_a_submission_that_is_not_waiting_is_not_imported_again(db, alice):
    content = (CRB_HEADER + crb_row("S1", "A1")).encode()
    submission = _submission(alice, "crbanim", "g.csv", content)
    submission_import(submission_id=submission.pk)
    assert submission_import(submission_id=submission.pk) is None
    assert Animal.objects.count() == 1


def _submission(owner, kind: str, name: str, content: bytes) -> Submission:
    dictionaries_seed()
    submission = Submission(
        owner=owner, title=name, gene_bank_name="g", datasource_version="1",
        gene_bank_country=Country.objects.get(label="France"), datasource_type=kind,
        file_name=name,
    )  # fmt: skip
    submission.file.save(name, ContentFile(content), save=False)
    submission.save()
    task_queue(submission=submission, kind=TaskKind.IMPORT, user=owner)
    return submission


# --- gzip-compressed uploads ------------------------------------------------------------


def test_a_gzip_compressed_dump_loads_like_the_plain_one(db, alice):
    plain = _submission(alice, "cryoweb", "dump.sql", CRYOWEB.read_bytes())
    packed = _submission(alice, "cryoweb", "dump.sql.gz", gzip.compress(CRYOWEB.read_bytes()))

    plain, packed = (submission_import(submission_id=s.pk) for s in (plain, packed))

    assert packed.state == TaskState.SUCCEEDED, packed.message
    assert packed.message == plain.message
    names = {t.pk: sorted(Animal.objects.filter(submission=t.submission_id)
                          .values_list("name", "father__name"))
             for t in (plain, packed)}  # fmt: skip
    assert names[packed.pk] == names[plain.pk] and names[packed.pk]


def test_a_gzip_compressed_export_loads(db, alice):
    content = gzip.compress((CRB_HEADER + crb_row("S1", "A1") + crb_row("S2", "A1")).encode())
    submission = _submission(alice, "crbanim", "goats.csv.gz", content)

    result = submission_import(submission_id=submission.pk)

    assert result.state == TaskState.SUCCEEDED, result.message
    assert result.message == (
        "Loaded 1 animal and 2 samples. "
        "Mapped to IMAGE values (each record notes what the file said): sample storage 2."
    )


def test_a_damaged_gzip_file_ends_in_error_and_loads_nothing(db, alice):
    packed = gzip.compress(CRYOWEB.read_bytes())
    submission = _submission(alice, "cryoweb", "cut.sql.gz", packed[: len(packed) // 2])

    result = submission_import(submission_id=submission.pk)

    assert result.state == TaskState.FAILED
    assert result.message.startswith("cut.sql.gz: the file is compressed with gzip, but")
    assert "damaged or cut short" in result.message
    assert not Animal.objects.exists() and not Sample.objects.exists()


@pytest.mark.attack
@override_settings(UPLOAD_MAX_UNCOMPRESSED_BYTES=1024 * 1024)
def test_a_gzip_file_that_unpacks_beyond_the_limit_is_refused(db, alice):
    # 8 MB of one repeated row compress to a few kB.
    content = gzip.compress((CRB_HEADER + crb_row("S1", "A1") * 60_000).encode())
    assert len(content) < 100_000
    submission = _submission(alice, "crbanim", "bomb.csv.gz", content)

    result = submission_import(submission_id=submission.pk)

    assert result.state == TaskState.FAILED
    assert "bomb.csv.gz: decompressed, the file holds more than 1 MB" in result.message
    assert not Animal.objects.exists()


# --- reloads and species words ----------------------------------------------------------


def test_a_reload_keeps_records_with_an_accession_and_lists_those_missing(db, alice):
    first = CRB_HEADER + crb_row("S1", "A1") + crb_row("S2", "A1")
    submission = _submission(alice, "crbanim", "goats.csv", first.encode())
    assert submission_import(submission_id=submission.pk).state == TaskState.SUCCEEDED
    Sample.objects.filter(submission=submission, name="S2").update(accession="SAMEA900")
    # The new file has S1 again and a new S3, but not S2, which is in BioSamples.
    submission_reload(
        submission=submission,
        file=ContentFile(
            (CRB_HEADER + crb_row("S1", "A1") + crb_row("S3", "A1")).encode(), "n.csv"
        ),
        user=alice,
    )

    result = submission_import(submission_id=submission.pk)

    assert result.state == TaskState.SUCCEEDED, result.message
    assert result.message == (
        "Loaded 1 animal and 2 samples. 1 record(s) with an accession are not in the new "
        "file and were kept: sample 'S2' (SAMEA900) "
        "Mapped to IMAGE values (each record notes what the file said): sample storage 2."
    )
    names = set(Sample.objects.filter(submission=submission).values_list("name", flat=True))
    assert names == {"S1", "S2", "S3"}


def test_unknown_species_words_end_in_error_with_the_words_and_where_to_map_them(db, alice):
    row = crb_row("S1", "A1").replace("Capra hircus", "Ziegenbock")
    submission = _submission(alice, "crbanim", "ziegen.csv", (CRB_HEADER + row).encode())

    result = submission_import(submission_id=submission.pk)

    assert result.state == TaskState.FAILED
    assert result.result["unknown_species_words"] == ["Ziegenbock"]
    assert result.message == (
        "Unknown species word(s): Ziegenbock. Say which species each word means (“Map them "
        "to species” on the submission's page); the import is then retried."
    )
    assert "/submissions/" not in result.message  # no raw paths in what curators read
    assert not Animal.objects.exists()


def test_an_import_leaves_fresh_table_statistics(db, alice):
    # Stale statistics after a bulk COPY make PostgreSQL check foreign keys by scanning
    # whole tables: deleting 100,000 animals then took a quarter of an hour.
    rows = "".join(crb_row(f"S{n}", f"A{n}") for n in range(40))
    submission = _submission(alice, "crbanim", "goats.csv", (CRB_HEADER + rows).encode())

    assert submission_import(submission_id=submission.pk).state == TaskState.SUCCEEDED

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN ('uid_animal', 'uid_sample')"
        )
        assert dict(cursor.fetchall()) == {"uid_animal": 40, "uid_sample": 40}
