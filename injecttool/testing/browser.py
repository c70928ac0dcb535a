"""pytest plugin: Playwright driving Debian's chromium, and full-page screenshots.

Fixtures:

- ``browser`` (session): one chromium for the whole run, started from /usr/bin/chromium
  (``playwright install`` cannot download browsers here; CI runs ``apt-get install chromium``).
- ``page`` (function): a fresh browser context, so no cookie or storage outlives its test;
  a test whose pages break their Content-Security-Policy (console) fails.
- ``screenshot`` (function): ``screenshot("signup")`` saves a full-page PNG of ``page`` as
  ``TEST_ARTIFACTS/<test name>/NN-signup.png`` (NN counts up within the test) and returns
  the path. A test that fails leaves ``NN-failure.png`` there too.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root in containers, where the sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000  # two cores shared with the stack's uWSGI, daphne and Celery

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item, so `page` knows at teardown if the test failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _artifact_folder(item: pytest.Item) -> Path:
    from django.conf import settings

    # Parametrised names carry brackets and commas; keep a file-system friendly name.
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.name).strip("-")
    return Path(settings.TEST_ARTIFACTS) / name


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium under Playwright, one for the session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's chromium. "
            "Install it with `apt-get install chromium` (CI installs it).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _Shots:
    """Numbers the screenshots of one test in the order they are taken."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def path(self, name: str) -> Path:
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{self.count:02d}-{name}.png"


@pytest.fixture
def _shots(request: pytest.FixtureRequest) -> _Shots:
    folder = _artifact_folder(request.node)
    # Pictures of an earlier run would mix with this run's under the same numbers.
    shutil.rmtree(folder, ignore_errors=True)
    return _Shots(folder)


@pytest.fixture
def page(browser, request: pytest.FixtureRequest, _shots: _Shots) -> Iterator:
    """A page in a fresh browser context (no cookies from other tests)."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Every browser test also checks that the pages break none of their own
    # Content-Security-Policy (an inline script or style would be blocked for curators).
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text[:150]}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        yield page
        assert not violations, "the page broke its Content-Security-Policy:\n" + "\n".join(
            violations
        )
    finally:
        call = request.node.stash.get(_REPORTS, {}).get("call")
        if call is not None and call.failed:
            try:
                page.screenshot(path=_shots.path("failure"), full_page=True)
            except Exception as error:  # noqa: BLE001 (a missing picture must not hide the failure)
                print(f"could not take the failure screenshot: {error}")
        context.close()


@pytest.fixture
def screenshot(page, _shots: _Shots) -> Callable[[str], Path]:
    """``screenshot(name)``: a full-page PNG of ``page`` in TEST_ARTIFACTS; returns its path."""

    def take(name: str) -> Path:
        path = _shots.path(re.sub(r"[^A-Za-z0-9_.-]+", "-", name))
        page.screenshot(path=path, full_page=True)
        return path

    return take
