"""Another curator has no access to Alice's BioSamples page, orphans or links: every
page and action is a 404, and a pull of her accession names nothing of hers."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from biosample.models import Orphan
from biosample.tests.conftest import OTHER_PASSWORD, OTHER_WEBIN
from biosample.tests.orphans import adopted, twin
from injecttool.testing.tasks import run_queued
from uid.models import Task, TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(alice, orphaned):
    """Alice's submission with an adopted boar (linked) and three orphans left."""
    target, accessions = orphaned
    assert adopted(target, alice, ["boar"]).state == TaskState.SUCCEEDED
    return target, accessions


def test_an_outsider_gets_404_on_the_page_and_every_action(outsider, alices):
    target, _ = alices
    own = twin(target, owner=outsider, title="Mallory's")
    sow = Orphan.objects.get(name="sow")
    theirs = Orphan.objects.create(
        owner=outsider, webin_account=OTHER_WEBIN, environment=sow.environment,
        accession="SAMEA999999990", name="x", kind="animal", first_seen=timezone.now(),
        last_seen=timezone.now(),
    )  # fmt: skip
    browser = Client()
    browser.force_login(outsider)
    tasks = Task.objects.count()

    def url(name, pk):
        return reverse(f"biosample:{name}", args=[pk])

    assert browser.get(url("submission_sync", target.pk)).status_code == 404
    assert browser.post(url("submission_sync", target.pk)).status_code == 404
    signin = {"webin_username": OTHER_WEBIN, "webin_password": OTHER_PASSWORD}
    assert browser.post(url("submission_sync_signin", target.pk), signin).status_code == 404
    assert browser.post(url("submission_pull", target.pk),
                        {"accessions": sow.accession}).status_code == 404  # fmt: skip
    # Alice's orphan, from Alice's page or the outsider's own.
    for page in (target.pk, own.pk):
        assert browser.post(url("orphans_adopt", page), {"orphans": [sow.pk]}).status_code == 404
        assert browser.post(url("orphans_withdraw", page), {"orphans": [sow.pk]}).status_code == 404
    # The outsider's own orphan, into Alice's submission.
    assert browser.post(url("orphans_adopt", own.pk),
                        {"orphans": [theirs.pk], "into": target.pk}).status_code == 404  # fmt: skip
    assert Task.objects.count() == tasks


def test_an_outsider_sees_none_of_the_owners_links_and_orphans(outsider, alices):
    from biosample.tokens import token_obtain

    target, accessions = alices
    own = twin(target, owner=outsider, title="Mallory's")
    token_obtain(user=outsider, username=OTHER_WEBIN, password=OTHER_PASSWORD)
    browser = Client()
    browser.force_login(outsider)

    page = browser.get(reverse("biosample:submission_sync", args=[own.pk])).content.decode()
    assert '<span data-testid="count-total">0</span>' in page
    assert '<span data-testid="count-orphans">0</span>' in page
    assert accessions["sow"] not in page and accessions["boar"] not in page

    browser.post(reverse("biosample:submission_pull", args=[own.pk]),
                 {"accessions": f"{accessions['boar']}\n{accessions['sow']}"})  # fmt: skip
    task = run_queued(own.pk)

    assert task.state == TaskState.SUCCEEDED, task.message
    why = {o["accession"]: o["why"] for o in task.result["outcomes"]}
    assert why == {
        accessions["boar"]: "already linked to a record of another InjectTool curator",
        accessions["sow"]: "not yours: it belongs to Webin-40001, not Webin-40002",
    }
    page = browser.get(reverse("biosample:submission_sync", args=[own.pk])).content.decode()
    assert "“boar”" not in page and target.title not in page
