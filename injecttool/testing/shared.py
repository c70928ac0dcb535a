"""The real-world fixtures the project's tests may read: ``../shared/fixtures`` beside it.

One way to find them (``INJECTTOOL_SHARED`` names another folder). Where the folder is
absent (a clone on its own), a test that needs one skips, saying so; where it is there
but the file is missing, the test fails: a renamed or lost fixture must not pass for a
machine without fixtures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SHARED = Path(os.environ.get("INJECTTOOL_SHARED") or BASE_DIR.parent / "shared")
FIXTURES = SHARED / "fixtures"


def shared_fixture(relative: str) -> Path:
    """The path of ``fixtures/<relative>``; skips without ../shared, fails if it lacks it."""
    path = FIXTURES / relative
    if path.exists():
        return path
    if FIXTURES.is_dir():
        pytest.fail(f"the shared fixture {path} is missing, though {FIXTURES} is there")
    print(f"skipped: {FIXTURES} is not beside the project")
    pytest.skip(f"the shared fixtures are absent ({FIXTURES} is not beside the project)")
