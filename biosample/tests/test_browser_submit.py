"""End to end, through nginx and the BioSamples emulator the stack runs: a curator whose
records are validated submits them with one click, watches the accessions arrive, and
finds them on the records."""

import re
import uuid

import pytest
import requests
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
    # Slowed a little, as a busy BioSamples is, so that the accessions can be seen arriving.
    emulator_faults(stack, delay=1.0)
    page.get_by_test_id("submit").click()
    page.evaluate("window.notReloaded = true")

    # Accessions arrive on the page as they come back, without reloading it.
    expect(page.get_by_test_id("submission-message")).to_contain_text(
        re.compile(r"the latest, \S+, is SAMEA\d+"), timeout=60_000
    )
    assert page.evaluate("window.notReloaded") is True  # it came over the websocket
    screenshot("accessions-arriving")
    # Once done, the page reads itself again (counts, charts, timeline).
    expect(page.get_by_test_id("submission-status")).to_contain_text("Completed", timeout=120_000)
    emulator_faults(stack)
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
    detail = page.url.split("/animals/")[0] + "/"
    page.goto(detail + "submit/")
    expect(page.get_by_test_id("nothing-to-send")).to_be_visible()

    # One straw is described better: validated again, it alone goes out, as an update.
    page.goto(detail + "samples/")
    page.get_by_test_id("records").get_by_role("link", name="straw-2").click()
    page.get_by_label("Description").fill("Collected at dawn, frozen within the hour")
    page.get_by_test_id("record-save").click()
    expect(page.get_by_test_id("record-status")).to_contain_text("Need revision")
    page.goto(detail)
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("submission-status")).to_contain_text("Ready", timeout=120_000)
    page.get_by_test_id("action-submit").click()
    plan = page.get_by_test_id("plan")
    expect(plan).to_contain_text("0 records get an accession")
    expect(plan).to_contain_text("1 changed since last sent")
    expect(plan).to_contain_text("5 not sent again")
    expect(page.get_by_test_id("documents")).to_contain_text("straw-2")
    expect(page.get_by_test_id("changed-fields")).to_have_text("changed: Description")
    screenshot("update-preview")
    page.get_by_test_id("submit").click()  # the Webin sign-in is kept: no password again
    expect(page.get_by_test_id("submission-status")).to_contain_text("Completed", timeout=120_000)
    expect(page.get_by_test_id("submission-message")).to_contain_text(
        "Sent to BioSamples: 0 new in BioSamples, 1 updated, 5 unchanged."
    )
    screenshot("updated")

    # BioSamples' copies are as sent: the BioSamples page compares them on demand.
    page.get_by_test_id("action-biosamples").click()
    page.get_by_test_id("compare").click()
    expect(page.get_by_test_id("compared")).to_contain_text(
        "Compared 6 records with BioSamples: 6 as sent, 0 changed there, 0 missing",
        timeout=120_000,
    )
    expect(page.get_by_test_id("count-same")).to_have_text("6")
    screenshot("biosamples-page")


def emulator_faults(stack, **settings) -> None:
    """Set the faults of the stack's BioSamples emulator (none: back to normal)."""
    folder = stack.data_dir / "biosamples-emulator"
    secret = (folder / "control-secret").read_text().strip()
    url = f"http://127.0.0.1:{stack.env['EMULATOR_PORT']}/_emulator/{secret}/faults"
    answer = requests.post(url, json=settings, timeout=10)
    assert answer.status_code == 200, answer.text
