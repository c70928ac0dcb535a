"""End to end, through nginx: a curator validates a submission, watches it run, reads what
to correct, mends a value of many records in one form, validates again and is ready."""

import uuid

import pytest
from playwright.sync_api import expect

from excel.tests.workbooks import pig, sample, simple_workbook
from uid.tests.test_browser_upload import PASSWORD, fill_upload_form, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SUBMITTER_SCRIPT = """
from django.contrib.auth import get_user_model
from allauth.account.models import EmailAddress
from accounts.models import Profile
from uid.models import Country, Organisation, Role
user = get_user_model().objects.create_user({name!r}, {email!r}, {password!r},
                                            first_name="Alice", last_name="Martin")
EmailAddress.objects.create(user=user, email={email!r}, primary=True, verified=True)
role = Role.objects.get(label="submitter")
organisation, _ = Organisation.objects.get_or_create(
    name="Genebank of Bentheim", defaults=dict(address="Bentheim", role=role,
    country=Country.objects.get(label="Germany")))
Profile.objects.update_or_create(user=user, defaults=dict(initials="A",
    affiliation=organisation, role=role))
"""


def straws(storage: str = "frozen") -> bytes:
    animals = [pig("boar", Sex="male"), pig("sow", Sex="female")]
    samples = [sample(f"straw-{n}", "boar", **{"Sample storage": storage,
                                               "Organism part": "semen"})
               for n in range(1, 5)]  # fmt: skip
    return simple_workbook(animals, samples)


def test_a_curator_validates_mends_and_validates_again(stack, page, screenshot, tmp_path):
    name = f"curator-{uuid.uuid4().hex[:8]}"
    script = SUBMITTER_SCRIPT.format(name=name, email=f"{name}@example.org", password=PASSWORD)
    stack.manage("shell", "-c", script)
    log_in(page, stack, name)
    path = tmp_path / "straws.xlsx"
    path.write_bytes(straws())
    fill_upload_form(page, stack, path, title="Boar straws", kind="template")
    page.get_by_label("Organisation").select_option(label="Genebank of Bentheim")
    page.get_by_role("button", name="Upload and import").click()
    live = page.get_by_test_id("live")
    expect(live).to_have_attribute("data-task-state", "succeeded", timeout=120_000)
    page.reload()
    expect(page.get_by_test_id("validation-none")).to_be_visible()
    screenshot("not-validated")

    # Validate: the page follows the task and shows what it found when it ends.
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("validation-counts")).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("submission-status")).to_contain_text("Need revision")
    findings = page.get_by_test_id("finding")
    storage = findings.filter(has_text="Sample storage").filter(has_text="Error")
    expect(storage).to_contain_text("'frozen'")
    expect(storage).to_contain_text("4 samples")
    chart = page.get_by_test_id("chart-validation")
    assert chart.evaluate("c => Chart.getChart(c).data.datasets.map(d => d.data)") == [
        [0, 0],
        [2, 0],
        [0, 4],
    ]  # Pass, Warning, Error of animals and samples
    screenshot("validated-with-errors")

    # One form for the four straws: set them all at once.
    storage.get_by_test_id("finding-fix").click()
    expect(page.get_by_test_id("fix-row")).to_have_count(4)
    screenshot("fix-form")
    page.get_by_label("Set all sample storage to").select_option(label="frozen, liquid nitrogen")
    page.get_by_test_id("fix-all-apply").click()
    expect(page.get_by_text("Set Sample storage on 4 samples.")).to_be_visible()
    expect(page.get_by_test_id("fix-now").first).to_have_text("frozen, liquid nitrogen")

    # Validate again: no error is left; the submission is ready for BioSamples.
    page.get_by_role("link", name="Back to the submission").click()
    expect(page.get_by_test_id("validation-stale")).to_contain_text("4 records changed since")
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("submission-status")).to_contain_text("Ready", timeout=120_000)
    expect(page.get_by_test_id("validation-counts")).to_contain_text("Errors 0")
    expect(page.get_by_test_id("validation")).to_contain_text(
        "No errors: the records can go to BioSamples."
    )
    screenshot("validated-ready")

    # The records show their result; a table filters by it.
    page.get_by_test_id("action-records").click()
    expect(page.get_by_test_id("validation-badge").first).to_be_visible()
    page.get_by_test_id("filter-validation").select_option(label="with errors")
    page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("records-found")).to_contain_text("0 records match")
