"""End to end, through nginx: upload each format, watch the import live, keep outsiders out."""

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "a-long-test-password-9"
USER_SCRIPT = """
from django.contrib.auth import get_user_model
from allauth.account.models import EmailAddress
user = get_user_model().objects.create_user({name!r}, {email!r}, {password!r})
EmailAddress.objects.create(user=user, email={email!r}, primary=True, verified=True)
"""


def make_user(stack, name: str) -> str:
    email = f"{name}@example.org"
    stack.manage("shell", "-c", USER_SCRIPT.format(name=name, email=email, password=PASSWORD))
    return name


def log_in(page, stack, username: str) -> None:
    page.goto(f"{stack.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def fill_upload_form(page, stack, path: Path, *, title: str, kind: str, country: str = "Germany"):
    """Open the new-submission form and fill it in for ``path``; the caller sends it."""
    page.goto(f"{stack.url}/submissions/new/")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Gene bank name").fill("Test genebank")
    page.get_by_label("Gene bank country").select_option(label=country)
    page.get_by_label("Data source type").select_option(value=kind)
    page.get_by_label("Data source version").fill("1.0")
    page.get_by_label("File").set_input_files(str(path))


def files(folder: Path) -> list[tuple[str, Path, int, int]]:
    from crbanim.bench import write_csv
    from cryoweb.bench import write_dump
    from excel.bench import write_workbook

    dump, csv, xlsx = folder / "cryoweb.sql", folder / "crbanim.csv", folder / "template.xlsx"
    write_dump(dump, animals=40, samples=80, form="copy")
    write_csv(csv, animals=30, samples=60)
    write_workbook(xlsx, animals=20, samples=40)
    return [("cryoweb", dump, 40, 80), ("crbanim", csv, 30, 60), ("template", xlsx, 20, 40)]


def test_a_curator_uploads_each_format_and_watches_it_load(
    stack, page, screenshot, tmp_path, browser
):
    owner = make_user(stack, f"curator-{uuid.uuid4().hex[:8]}")
    outsider = make_user(stack, f"outsider-{uuid.uuid4().hex[:8]}")
    log_in(page, stack, owner)
    urls = []
    for kind, path, animals, samples in files(tmp_path):
        fill_upload_form(page, stack, path, title=f"{kind} upload", kind=kind)
        screenshot(f"{kind}-form")
        page.get_by_role("button", name="Upload and import").click()

        expect(page.get_by_test_id("live")).to_be_visible()
        # A mark that a reload would wipe: the page must finish without one.
        page.evaluate("window.__notReloaded = true")
        live = page.get_by_test_id("live")
        expect(live).to_have_attribute("data-task-state", "succeeded", timeout=120_000)
        expect(live).to_have_attribute("data-status", "loaded")
        # The submission's badge (the counts table, filled live, has badges of its own).
        badge = page.get_by_test_id("submission-status").get_by_test_id("status-badge")
        expect(badge).to_have_text("Loaded")
        expect(page.get_by_test_id("task-state")).to_have_text("Import: done")
        expect(page.get_by_test_id("progress-bar")).to_have_attribute(
            "style", re.compile(r"width: 100%")
        )
        expect(page.get_by_test_id("count-animals")).to_have_text(str(animals))
        expect(page.get_by_test_id("count-samples")).to_have_text(str(samples))
        # What was loaded, and what the import put into IMAGE's words (the bench files
        # write sexes and storage as their formats do), as one message.
        expect(page.get_by_test_id("submission-message")).to_contain_text(
            re.compile(rf"^Loaded {animals} animals and {samples} samples\.( Mapped to IMAGE )?")
        )
        assert page.evaluate("window.__notReloaded") is True
        # What comes next is offered as soon as the import ends, still without a reload.
        expect(page.get_by_role("button", name="Import a new file")).to_be_visible()
        expect(page.get_by_role("button", name="Retry the import")).to_be_hidden()
        # The file's badge tells the outcome too, without a reload.
        expect(page.get_by_test_id("records-file")).to_have_text("the records came from this file")
        page.wait_for_timeout(800)  # let the bar's CSS transition finish for the picture
        screenshot(f"{kind}-loaded")
        urls.append(page.url)

    # The records are a click away: a table to search, filter and sort.
    page.get_by_test_id("link-animals").click()
    expect(page.get_by_test_id("records")).to_be_visible()
    expect(page.get_by_test_id("records-found")).to_contain_text("20 records")
    first = page.get_by_test_id("records").locator("tbody tr td a").first.inner_text()
    page.get_by_test_id("filter-search").fill(first)
    page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("records-found")).to_contain_text("1 record matches")
    screenshot("animals-table")
    # One record: what it holds, what its import noted, and a form to correct it.
    page.get_by_test_id("records").locator("tbody tr td a").first.click()
    expect(page.get_by_test_id("record-name")).to_have_text(first)
    page.get_by_label("Birth location", exact=True).fill("Piber stud")
    page.get_by_test_id("record-save").click()
    expect(page.get_by_text(f"“{first}” is saved.")).to_be_visible()
    expect(page.get_by_label("Birth location", exact=True)).to_have_value("Piber stud")
    screenshot("animal-edited")
    page.goto(urls[-1])

    # The owner can download the original file again.
    with page.expect_download() as download:
        page.get_by_test_id("file-link").click()
    assert download.value.suggested_filename == "template.xlsx"

    # Another curator: 404 for the page, the records, the file, and no websocket.
    context = browser.new_context()
    other = context.new_page()
    log_in(other, stack, outsider)
    for url in urls:
        pk = re.search(r"/submissions/(\d+)/", url).group(1)
        for path in (
            f"/submissions/{pk}/",
            f"/submissions/{pk}/file/",
            f"/api/v1/submissions/{pk}/",
            f"/api/v1/submissions/{pk}/animals/",
            f"/api/v1/submissions/{pk}/samples/",
            f"/api/v1/submissions/{pk}/file/",
        ):
            assert other.goto(f"{stack.url}{path}").status == 404, path
        outcome = other.evaluate(
            """pk => new Promise(resolve => {
                const socket = new WebSocket(`ws://${location.host}/ws/submissions/${pk}/`);
                socket.onmessage = () => resolve("got a message");
                socket.onclose = () => resolve("closed");
                setTimeout(() => resolve("still open"), 5000);
            })""",
            pk,
        )
        assert outcome == "closed"
    context.close()


CRBANIM_HEADER = (
    "animal_ID,sex,species_latin_name,country_of_origin,breed_name,animal_birth_date,"
    "sample_identifier,sample_type_name,body_part_name,sampling_date,sampling_protocol_url,"
    "sample_availability,sample_storage_temperature,sample_bibliographic_references,"
    "EBI_Biosample_identifier\n"
)


def test_a_curator_maps_unknown_species_words_and_the_import_goes_through(
    stack, page, screenshot, tmp_path
):
    owner = make_user(stack, f"curator-{uuid.uuid4().hex[:8]}")
    ram, ewe = (f"{word}{uuid.uuid4().hex[:6]}" for word in ("Schafbock", "Mutterschaf"))
    path = tmp_path / "schafe.csv"
    path.write_text(
        CRBANIM_HEADER
        + f"ram-1,male,{ram},DE,Merinolandschaf,2015-03-01,straw-1,semen,,2019-04-01,,,,,\n"
        + f"ewe-1,female,{ewe},DE,Merinolandschaf,2016-05-01,straw-2,semen,,2019-04-02,,,,,\n"
    )
    log_in(page, stack, owner)
    fill_upload_form(page, stack, path, title="German words", kind="crbanim")
    page.get_by_role("button", name="Upload and import").click()

    # The import stops on the words it does not know, and says which, live.
    expect(page.get_by_test_id("live")).to_be_visible()
    page.evaluate("window.__notReloaded = true")
    live = page.get_by_test_id("live")
    expect(live).to_have_attribute("data-task-state", "failed", timeout=120_000)
    expect(live).to_have_attribute("data-status", "empty")  # nothing loaded, nothing lost
    words = page.get_by_test_id("unknown-words")
    expect(words).to_be_visible()
    expect(words).to_contain_text(ram)
    expect(words).to_contain_text(ewe)
    # Mapping the words is the way on (it retries); a bare retry would fail the same way.
    expect(page.get_by_role("button", name="Retry the import")).to_be_hidden()
    assert page.evaluate("window.__notReloaded") is True
    screenshot("unknown-words")

    # One form maps every word; the import is retried and loads.
    page.get_by_role("link", name="Map them to species").click()
    page.get_by_label(f"“{ram}” means").select_option(label="Ovis aries (sheep)")
    page.get_by_label(f"“{ewe}” means").select_option(label="Ovis aries (sheep)")
    screenshot("mapping")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(live).to_have_attribute("data-task-state", "succeeded", timeout=120_000)
    expect(live).to_have_attribute("data-status", "loaded")
    expect(page.get_by_test_id("count-animals")).to_have_text("2")
    expect(page.get_by_test_id("unknown-words")).to_be_hidden()
    # The file the retry loaded is the records' file now, without a reload.
    expect(page.get_by_test_id("records-file")).to_have_text("the records came from this file")
    page.wait_for_timeout(800)  # let the bar's CSS transition finish for the picture
    screenshot("loaded")


def test_a_curator_sees_a_large_file_travel_before_the_import(stack, page, screenshot, tmp_path):
    from crbanim.bench import write_csv

    owner = make_user(stack, f"curator-{uuid.uuid4().hex[:8]}")
    path = tmp_path / "large.csv"
    write_csv(path, animals=3_000, samples=6_000, seed=1)  # accessions of its own
    assert path.stat().st_size > 2_000_000
    log_in(page, stack, owner)
    # A slow line (1 MB/s up), so that the upload takes a few seconds.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 1 << 20},
    )
    fill_upload_form(page, stack, path, title="large upload", kind="crbanim", country="France")
    page.get_by_role("button", name="Upload and import").click()

    status = page.get_by_test_id("upload-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text(re.compile(r"Uploading: [1-9]\d? % of \d"), timeout=30_000)
    expect(page.get_by_role("button", name="Upload and import")).to_be_disabled()
    screenshot("uploading")

    # Then the submission's page, with the message meant for it, and the import live.
    expect(page.get_by_test_id("live")).to_have_attribute(
        "data-task-state", "succeeded", timeout=120_000
    )
    # The notice of the upload was true when it was given; once the import ends it goes.
    expect(page.get_by_text("Your file is uploaded; the import has started.")).to_be_hidden()
    expect(page.get_by_test_id("count-samples")).to_have_text("6,000")


def test_a_curator_watches_a_large_import_move_through_its_phases(
    stack, page, screenshot, tmp_path
):
    from crbanim.bench import write_csv

    owner = make_user(stack, f"curator-{uuid.uuid4().hex[:8]}")
    path = tmp_path / "large.csv"
    write_csv(path, animals=40_000, samples=80_000, seed=2)
    log_in(page, stack, owner)
    fill_upload_form(page, stack, path, title="large import", kind="crbanim", country="France")
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url(re.compile(r"/submissions/\d+/$"))
    # Note every state the bar and the text under it show, as they change.
    page.evaluate(
        """() => {
            const bar = document.getElementById("progress-bar");
            const text = document.getElementById("message");
            window.__seen = [];
            window.__watch = setInterval(() => {
                const now = [bar.style.width, bar.textContent.trim(), text.textContent.trim()];
                const last = window.__seen[window.__seen.length - 1];
                if (!last || now.join("|") !== last.join("|")) window.__seen.push(now);
            }, 20);
        }"""
    )
    live = page.get_by_test_id("live")
    expect(live).to_have_attribute("data-task-state", "running", timeout=60_000)
    expect(page.get_by_test_id("submission-message")).to_contain_text(
        "Writing the records", timeout=120_000
    )
    screenshot("writing")
    expect(live).to_have_attribute("data-task-state", "succeeded", timeout=120_000)
    seen = page.evaluate("() => { clearInterval(window.__watch); return window.__seen; }")

    running = [
        (float(w.rstrip("%")), label, text) for w, label, text in seen if label.endswith("%")
    ]
    assert len(running) >= 3, seen
    # The bar only moves on, and its label is its own width (a sliver at the least, to be
    # seen): bar and text are one state.
    widths = [w for w, _, _ in running]
    assert widths == sorted(widths), seen
    assert all(max(2, int(label[:-1])) == round(w) for w, label, _ in running), seen
    texts = " / ".join(text for _, _, text in running)
    assert "Reading the file" in texts and "Writing the records:" in texts, texts
    assert re.search(r"Writing the records: [\d,]+ of 120,000", texts), texts
    # Every count written one way: 120,000 on the page as in the message.
    expect(page.get_by_test_id("submission-message")).to_contain_text(
        "Loaded 40,000 animals and 80,000 samples."
    )
    expect(page.get_by_test_id("count-samples")).to_have_text("80,000")
    page.wait_for_timeout(800)
    screenshot("loaded")


def test_a_curator_who_picks_a_picture_as_a_dump_is_told_what_it_is(
    stack, page, screenshot, tmp_path
):
    owner = make_user(stack, f"curator-{uuid.uuid4().hex[:8]}")
    path = tmp_path / "straws.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    log_in(page, stack, owner)
    fill_upload_form(page, stack, path, title="straws", kind="cryoweb")
    page.get_by_role("button", name="Upload and import").click()

    # Told on the form, before any import: what the file is, not a dump's encoding advice.
    hint = page.get_by_text(re.compile("This is a PNG image, not a data file"))
    expect(hint).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile("pg_dump --encoding"))).to_have_count(0)
    assert page.url.endswith("/submissions/new/")  # still the form: nothing was made
    screenshot("png-hint")


def test_a_curator_sees_every_bad_cell_of_a_row_at_once(stack, page, screenshot, tmp_path):
    owner = make_user(stack, f"curator-{uuid.uuid4().hex[:8]}")
    path = tmp_path / "goats.csv"
    path.write_text(
        CRBANIM_HEADER
        + "ram-1,male,Capra hircus,FR,Alpine,2015-03-01,straw-1,semen,,2019-04-01,,,,,\n"
        # A note with a line break: one spreadsheet row over two lines.
        + "ewe-1,female,Capra hircus,FR,Alpine,2016-05-01,straw-2,semen,,2019-04-02,,,,"
        '"Dupont et al.\n2016",\n'
        + "ewe-2,female,Capra hircus,QQ,Alpine,someday,straw-3,semen,,31/02/2019,,,,,\n"
    )
    log_in(page, stack, owner)
    fill_upload_form(page, stack, path, title="goats", kind="crbanim", country="France")
    page.get_by_role("button", name="Upload and import").click()

    live = page.get_by_test_id("live")
    expect(live).to_have_attribute("data-task-state", "failed", timeout=120_000)
    message = page.get_by_test_id("submission-message")
    # All three of row 4 at once, with the spreadsheet's row and the file's line.
    expect(message).to_contain_text("goats.csv: 3 problems:")
    expect(message).to_contain_text("row 4 (line 5), column country_of_origin: 'QQ'")
    expect(message).to_contain_text("row 4 (line 5), column animal_birth_date: 'someday'")
    expect(message).to_contain_text("row 4 (line 5), column sampling_date: '31/02/2019'")
    link = page.get_by_test_id("problems-link")
    expect(link).to_be_visible()
    expect(link).to_contain_text("Download all 3 problems")
    # A new file is the way on, not a retry of this one.
    expect(page.get_by_role("button", name="Retry the import")).to_be_hidden()
    expect(page.get_by_test_id("reload")).to_have_class(re.compile("btn-primary"))
    screenshot("every-bad-cell")
    # The file's own note does not repeat what the task says (live or reloaded).
    assert page.content().count("is not an ISO 3166") == 1
    with page.expect_download() as download:
        link.click()
    text = Path(download.value.path()).read_text()
    assert text.splitlines()[0] == "row,line,sheet,column,value,problem"
    assert len(text.splitlines()) == 4
