"""Tests find ../shared/fixtures one way; a lost fixture fails rather than skips."""

import pytest

from injecttool.testing import shared


def test_it_finds_a_fixture_beside_the_project(tmp_path, monkeypatch):
    (tmp_path / "cryoweb").mkdir()
    (tmp_path / "cryoweb" / "dump.sql").write_text("-- dump\n")
    monkeypatch.setattr(shared, "FIXTURES", tmp_path)

    assert shared.shared_fixture("cryoweb/dump.sql") == tmp_path / "cryoweb" / "dump.sql"


def test_it_fails_when_the_folder_is_there_but_the_fixture_is_not(tmp_path, monkeypatch):
    monkeypatch.setattr(shared, "FIXTURES", tmp_path)

    with pytest.raises(pytest.fail.Exception, match="is missing, though"):
        shared.shared_fixture("cryoweb/renamed.sql")


def test_it_skips_saying_why_when_there_is_no_shared_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(shared, "FIXTURES", tmp_path / "absent")

    with pytest.raises(pytest.skip.Exception, match="not beside the project"):
        shared.shared_fixture("cryoweb/dump.sql")
