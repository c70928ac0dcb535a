"""End to end, through nginx and the BioSamples emulator the stack runs: a curator whose
records are validated submits them with one click, watches the accessions arrive, and
finds them on the records."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from uid.tests.test_browser_upload import PASSWORD, fill_upload_form, log_in
from validation.tests.test_browser_validation import SUBMITTER_SCRIPT, straws

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_curator_submits_validated_records_with_one_click(stack, page, screenshot, tmp_path):
    name = f"curator-{uuid.uuid4().hex[:8]}"
    script = SUBMITTER_SCRIPT.format(name=name, email=f"{name}@example.org", password=PASSWORD)
    stack.manage("shell", "-c", script)
    webin_password = (stack.data_dir / "biosamples-emulator" / "webin-password").read_text().strip()
    log_in(page, stack, name)
    path = tmp_path / "straws.xlsx"
    path.write_bytes(straws(storage="frozen, liquid nitrogen"))
    fill_upload_form(page, stack, path, title="Straws for BioSamples", kind="template")
    page.get_by_label("Organisation").select_option(label="Genebank of Bentheim")
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_test_id("live")).to_have_attribute(
        "data-task-state", "succeeded", timeout=120_000
    )
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("submission-status")).to_contain_text("Ready", timeout=120_000)

    # What goes out, then the Webin sign-in and one click.
    page.get_by_test_id("action-submit").click()
    expect(page.get_by_test_id("plan")).to_contain_text("6 records get an accession")
    page.get_by_label("Webin account").fill("Webin-40001")
    page.get_by_label("Webin password").fill(webin_password)
    screenshot("submit-preview")
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("submission-status")).to_contain_text("Completed", timeout=120_000)
    expect(page.get_by_test_id("submission-message")).to_contain_text(
        "Sent to BioSamples: 6 new in BioSamples, 0 updated, 0 unchanged."
    )
    screenshot("submitted")

    # Each record shows its accession.
    page.get_by_test_id("action-records").click()
    accessions = page.get_by_test_id("records").locator("tbody tr td:last-child")
    expect(accessions).to_have_count(2)
    for n in range(2):
        expect(accessions.nth(n)).to_have_text(re.compile(r"^SAMEA\d+$"))
    screenshot("accessions")

    # Nothing changed: a second look says there is nothing to send.
    page.goto(page.url.split("/animals/")[0] + "/submit/")
    expect(page.get_by_test_id("nothing-to-send")).to_be_visible()
