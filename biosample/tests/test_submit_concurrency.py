"""BIOSAMPLES_CONCURRENCY: how many records a submit sends at once (BioSamples is shared)."""

import pytest

from biosample.tests.conftest import WEBIN, WEBIN_PASSWORD
from biosample.tests.test_submit import submitted
from biosample.tests.test_submit_faults import genebank
from injecttool.tests.test_deploy import _manage
from injecttool.tests.test_local_settings import _local_env
from uid.models import TaskState


@pytest.mark.django_db
def test_it_sends_no_more_at_once_than_the_setting_says(alice, tmp_path, emulator, settings):
    from biosample.tokens import token_obtain

    settings.BIOSAMPLES_URL = emulator.biosamples_url
    settings.WEBIN_AUTH_URL = emulator.webin_auth_url
    settings.BIOSAMPLES_CONCURRENCY = 3
    submission = genebank(alice, tmp_path, animals=30, samples=30)
    token_obtain(user=alice, username=WEBIN, password=WEBIN_PASSWORD)
    emulator.faults.configure(delay=0.02)  # answers overlap: each one holds its connection
    before = emulator.connections_accepted

    task = submitted(submission, alice)

    assert task.state == TaskState.SUCCEEDED, task.message
    assert task.result["created"] == 60
    assert emulator.connections_accepted - before == 3


def test_a_value_out_of_range_stops_the_start(tmp_path):
    result = _manage("check", env=_local_env(tmp_path, BIOSAMPLES_CONCURRENCY="0"))

    assert result.returncode != 0
    assert "BIOSAMPLES_CONCURRENCY is between 1 and 32, not 0" in result.stderr
