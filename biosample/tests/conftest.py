"""The emulator on a free port of 127.0.0.1, in this process, and clients pointed at it."""

from __future__ import annotations

import pytest
import requests

from biosample.client import BioSamplesClient, WebinCredentials
from biosample.emulator import Emulator

WEBIN = "Webin-40001"
WEBIN_PASSWORD = "alice-webin-password"
OTHER_WEBIN = "Webin-40002"
OTHER_PASSWORD = "mallory-webin-password"
SAMPLES = "/biosamples/samples"  # where a fault hits samples but not Webin's token endpoint


@pytest.fixture
def emulator(tmp_path):
    """A running emulator with two Webin accounts and an archive of its own."""
    with Emulator(
        storage=tmp_path / "biosamples-emulator" / "archive.sqlite3",
        accounts={WEBIN: WEBIN_PASSWORD, OTHER_WEBIN: OTHER_PASSWORD},
    ) as running:
        yield running


class Api:
    """Raw HTTP to the emulator, as any client would speak it."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.session = requests.Session()

    def headers(self, token: str | None) -> dict[str, str]:
        headers = {"Accept": "application/hal+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def post(self, document, *, token: str | None = None, **kwargs) -> requests.Response:
        return self.session.post(
            f"{self.emulator.biosamples_url}/samples",
            json=document,
            headers=self.headers(token),
            timeout=10,
            **kwargs,
        )

    def put(self, accession, document, *, token: str | None = None) -> requests.Response:
        return self.session.put(
            f"{self.emulator.biosamples_url}/samples/{accession}",
            json=document,
            headers=self.headers(token),
            timeout=10,
        )

    def get(self, path: str, *, token: str | None = None, **kwargs) -> requests.Response:
        url = path if path.startswith("http") else f"{self.emulator.biosamples_url}{path}"
        return self.session.get(url, headers=self.headers(token), timeout=10, **kwargs)


@pytest.fixture
def api(emulator):
    """Raw HTTP to the emulator."""
    made = Api(emulator)
    yield made
    made.session.close()


@pytest.fixture
def token(emulator) -> str:
    """A valid token of the first Webin account."""
    return emulator.token_issue(WEBIN)


@pytest.fixture
def other_token(emulator) -> str:
    """A valid token of the second Webin account, which should not touch the first's."""
    return emulator.token_issue(OTHER_WEBIN)


class Sleeps(list):
    """Records the waits a client asked for instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(emulator, sleeps):
    """A client of the first Webin account that records its waits instead of sleeping."""
    with BioSamplesClient(
        credentials=WebinCredentials(WEBIN, WEBIN_PASSWORD),
        biosamples_url=emulator.biosamples_url,
        webin_auth_url=emulator.webin_auth_url,
        sleep=sleeps,
        jitter=lambda: 1.0,
    ) as made:
        yield made


@pytest.fixture
def ready(alice, emulator, settings):
    """A validated, ready farm (uid's test records); BioSamples is the emulator; Alice
    signed in to Webin (her token is kept)."""
    from biosample.tokens import token_obtain
    from uid.models import Status
    from validation.tests.test_validate import complete_submitter, farm, validated

    settings.BIOSAMPLES_URL = emulator.biosamples_url
    settings.WEBIN_AUTH_URL = emulator.webin_auth_url
    submission = farm(alice, **{"Organism part": "hair"})
    complete_submitter(alice, submission)
    validated(submission, alice)
    assert submission.status == Status.READY
    token_obtain(user=alice, username=WEBIN, password=WEBIN_PASSWORD)
    return submission


# The sync tests' orphans (a farm put into BioSamples by another tool), for every module.
@pytest.fixture
def in_biosamples(alice, ready):
    """The ready farm, submitted: every record in BioSamples (the emulator)."""
    from biosample.services import submission_submit_start
    from injecttool.testing.tasks import run_queued
    from uid.models import TaskState

    submission_submit_start(submission=ready, user=alice, account=WEBIN)
    assert run_queued(ready.pk).state == TaskState.SUCCEEDED
    return ready


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, emulator, tmp_path_factory):
    """A web server and a worker whose BioSamples and Webin are the emulator's, logging
    everything at DEBUG (the password test reads their logs). For modules that keep one
    emulator for the module (their own module-scoped ``emulator``)."""
    from injecttool.testing.live import LiveServer

    folder = tmp_path_factory.mktemp("live")
    with LiveServer(
        folder, BIOSAMPLES_URL=emulator.biosamples_url, WEBIN_AUTH_URL=emulator.webin_auth_url,
        LOG_LEVEL="DEBUG",
    ) as server:  # fmt: skip
        yield server


from biosample.tests.orphans import orphaned, rich  # noqa: E402, F401
