"""Every string a curator supplies is shown escaped, on every page that shows it.

A title, a gene bank name, a file name, an import message quoting a cell of the file,
names on the profile: each carries a script and an event handler here, and no page may
hand either to the browser as markup.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.services import profile_get_or_create
from uid.models import Country, Submission, TaskState
from uid.selectors import submission_task
from uid.services.dictionaries import dictionaries_seed
from uid.services.submissions import submission_create, submission_import
from uid.tests.test_submission_import import CRB_HEADER, crb_row

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


@pytest.fixture
def poisoned(alice, django_capture_on_commit_callbacks):
    dictionaries_seed()
    alice.first_name, alice.last_name = PAYLOAD[:30], PAYLOAD[30:]
    alice.save()
    profile_get_or_create(user=alice)
    # A sample name used twice: the import's message quotes it back.
    name = PAYLOAD.replace('"', "'")
    row = crb_row(name, "A1") + crb_row(name, "A2")
    with django_capture_on_commit_callbacks():
        submission = submission_create(
            owner=alice, title=PAYLOAD, description=PAYLOAD, gene_bank_name=PAYLOAD,
            gene_bank_country=Country.objects.get(label="France"), datasource_type="crbanim",
            datasource_version=PAYLOAD[:60],
            file=SimpleUploadedFile(f"{PAYLOAD[:40]}.csv", (CRB_HEADER + row).encode()),
        )  # fmt: skip
    submission_import(submission_id=submission.pk)
    return Submission.objects.get(pk=submission.pk)


def test_no_page_hands_a_curators_string_to_the_browser_as_markup(client, alice, poisoned):
    client.force_login(alice)
    pages = [
        reverse("dashboard"),
        reverse("uid:submission_list"),
        reverse("uid:submission_detail", args=[poisoned.pk]),
        reverse("language:species_words", args=[poisoned.pk]),
        reverse("profile"),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page, url
        assert "<img src=x onerror" not in page, url
    detail = client.get(pages[2]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail  # shown, as text
    message = detail.split('data-testid="submission-message">')[1].split("</div>")[0]
    assert submission_task(submission=poisoned).state == TaskState.FAILED
    assert "is used on rows 2 and 3" in message
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message


def test_the_admin_shows_curators_strings_escaped(client, poisoned, django_user_model):
    staff = django_user_model.objects.create_superuser("root", "root@example.org", "pw-12345678")
    client.force_login(staff)
    for url in (
        reverse("admin:uid_submission_changelist"),
        reverse("admin:uid_submission_change", args=[poisoned.pk]),
        reverse("admin:auth_user_changelist"),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<img src=x onerror" not in page, url


def test_a_file_name_cannot_climb_out_of_the_upload_folder(
    client, alice, settings, django_capture_on_commit_callbacks
):
    from pathlib import Path

    dictionaries_seed()
    for name in ("../../../../etc/passwd", "..\\..\\windows\\win.ini", "/abs/path.csv"):
        with django_capture_on_commit_callbacks():
            submission = submission_create(
                owner=alice, title="t", gene_bank_name="g", datasource_version="1",
                gene_bank_country=Country.objects.get(label="France"), datasource_type="crbanim",
                file=SimpleUploadedFile(name, b"sex\nfemale\n"), upload_again=True,
            )  # fmt: skip
        stored = (Path(settings.PROTECTED_ROOT) / submission.file.name).resolve()
        assert stored.is_relative_to(Path(settings.PROTECTED_ROOT).resolve() / "submissions")
        assert stored.read_bytes() == b"sex\nfemale\n"
        client.force_login(alice)
        download = client.get(reverse("uid:submission_file", args=[submission.pk]))
        assert b"".join(download.streaming_content) == b"sex\nfemale\n"
