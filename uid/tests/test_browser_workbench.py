"""End to end, through nginx: a curator looks at a submission's charts, finds records in
the table, changes some at once, corrects one on its page with the searchable fields,
deletes one after reading what goes with it, and reads it all on the timeline."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from excel.tests.workbooks import pig, sample, simple_workbook
from uid.tests.test_browser_upload import fill_upload_form, log_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def pig_farm() -> bytes:
    animals = [pig("boar", Sex="male"), pig("boar-2", Sex="male"), pig("sow", Sex="female")]
    animals += [pig(f"piglet-{n}", Sex="female" if n % 2 else "male",
                    **{"Father id in data source": "boar", "Mother id in data source": "sow"})
                for n in range(1, 7)]  # fmt: skip
    samples = [sample(f"straw-{n}", "boar") for n in range(1, 4)] + [sample("hair-1", "sow")]
    return simple_workbook(animals, samples)


def test_a_curator_works_through_the_records_of_a_submission(
    stack, page, screenshot, tmp_path, browser
):
    owner = make_user(stack, f"curator-{uuid.uuid4().hex[:8]}")
    log_in(page, stack, owner)
    path = tmp_path / "farm.xlsx"
    path.write_bytes(pig_farm())
    fill_upload_form(page, stack, path, title="Pig farm", kind="template")
    page.get_by_role("button", name="Upload and import").click()
    live = page.get_by_test_id("live")
    expect(live).to_have_attribute("data-task-state", "succeeded", timeout=120_000)
    submission_url = page.url
    pk = re.search(r"/submissions/(\d+)/", submission_url).group(1)

    # The charts are drawn (from the vendored library, within the page's CSP).
    page.reload()
    charts = page.get_by_test_id("charts")
    expect(charts).to_be_visible()
    for name in ("status", "species", "breed"):
        canvas = page.get_by_test_id(f"chart-{name}")
        expect(canvas).to_be_visible()
        assert canvas.evaluate("c => c.width > 0 && Chart.getChart(c) !== undefined")
    screenshot("submission-with-charts")

    # Tick two piglets and set their birth location at once.
    page.get_by_test_id("link-animals").click()
    page.get_by_test_id("filter-search").fill("piglet")
    page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("records-found")).to_contain_text("6 records match")
    rows = page.get_by_test_id("records").locator("tbody tr")
    rows.nth(0).locator("input[name=ids]").check()
    rows.nth(1).locator("input[name=ids]").check()
    expect(page.locator("[data-ticked]")).to_have_text("2")
    screenshot("two-ticked")
    page.get_by_test_id("batch-set").click()
    expect(page.get_by_test_id("batch-title")).to_have_text("Change 2 animals")
    page.get_by_test_id("batch-field").select_option(label="Birth location")
    page.get_by_label("Birth location").fill("Bentheim")  # shown at once (no extra click)
    screenshot("batch-set-form")
    page.get_by_test_id("batch-apply").click()
    expect(page.get_by_text("Set Birth location on 2 animals.")).to_be_visible()
    expect(page.get_by_test_id("records-found")).to_contain_text("6 records match")

    # One piglet on its page: its father chosen by typing into the look-up.
    page.get_by_test_id("records").locator("tbody tr td a").nth(2).click()
    name = page.get_by_test_id("record-name").inner_text()
    page.get_by_label("Birth date").fill("2024-03")
    # The father's field is a look-up: type part of a name, pick the animal.
    page.locator(".ts-wrapper:has(#id_father-ts-control)").click()
    page.keyboard.press("Backspace")
    page.keyboard.type("boar-")
    option = page.locator(".ts-dropdown .option", has_text="boar-2 (alt-boar-2) · male")
    expect(option).to_be_visible()
    screenshot("father-look-up")
    option.click()
    page.get_by_test_id("record-save").click()
    expect(page.get_by_text(f"“{name}” is saved.")).to_be_visible()
    expect(page.get_by_label("Birth date")).to_have_value("2024-03")
    screenshot("record-saved")

    # Delete the sow: the page says what goes with her before anything goes.
    page.goto(f"{stack.url}/submissions/{pk}/animals/?search=sow")
    page.get_by_test_id("records").locator("tbody tr").first.locator("input[name=ids]").check()
    page.get_by_test_id("batch-delete").click()
    consequences = page.get_by_test_id("consequences")
    expect(consequences).to_contain_text("1 sample of these animals will be deleted with them")
    expect(consequences).to_contain_text("6 other animals will lose their father or mother")
    screenshot("delete-consequences")
    page.get_by_test_id("batch-apply").click()
    expect(
        page.get_by_text("Deleted 1 animal and their 1 sample. 6 animals lost a parent.")
    ).to_be_visible()

    # The timeline tells it all, newest first.
    page.goto(submission_url)
    entries = page.get_by_test_id("timeline").get_by_test_id("event-summary")
    expect(entries.nth(0)).to_contain_text("Deleted 1 animal")
    expect(entries.nth(1)).to_contain_text(f"Changed animal “{name}”: Father, Birth date")
    expect(entries.nth(2)).to_contain_text("Set Birth location on 2 animals.")
    expect(entries.nth(3)).to_contain_text("farm.xlsx: Loaded 9 animals and 4 samples.")
    expect(page.get_by_test_id("count-animals")).to_have_text("8")
    screenshot("timeline")

    # Export what the table shows.
    page.goto(f"{stack.url}/submissions/{pk}/animals/?search=piglet")
    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    assert download.value.suggested_filename == f"submission-{pk}-animals.csv"
    exported = download.value.path().read_text(encoding="utf-8")
    lines = exported.splitlines()[1:]
    assert len(lines) == 6 and all(line.startswith("piglet-") for line in lines)

    # Another curator gets 404 for every page of it.
    outsider = make_user(stack, f"outsider-{uuid.uuid4().hex[:8]}")
    context = browser.new_context()
    other = context.new_page()
    log_in(other, stack, outsider)
    for path in (
        f"/submissions/{pk}/animals/", f"/submissions/{pk}/samples/",
        f"/submissions/{pk}/timeline/", f"/submissions/{pk}/animals.csv",
        f"/submissions/{pk}/animals/lookup/?q=b", f"/api/v1/submissions/{pk}/events/",
        f"/api/v1/submissions/{pk}/export/?type=csv",
    ):  # fmt: skip
        assert other.goto(f"{stack.url}{path}").status == 404, path
    context.close()
