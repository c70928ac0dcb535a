"""Uploads kept in S3-compatible object storage.

A real S3 HTTP server (moto's) plays the bucket; a live InjectTool (daphne and a Celery
worker, configured by the environment as an operator would) is driven over the REST API.
"""

from __future__ import annotations

import subprocess
import sys
import time

import boto3
import pytest
import requests
from allauth.account.models import EmailAddress
from botocore.exceptions import EndpointConnectionError
from django.conf import settings

from injecttool.testing.live import LiveServer, free_port
from uid.services.dictionaries import dictionaries_seed

pytestmark = pytest.mark.slow

BUCKET = "injecttool-uploads"
KEYS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}
PASSWORD = "s3-password-1"
HEADER = (
    "animal_ID,sex,species_latin_name,country_of_origin,breed_name,animal_birth_date,"
    "sample_identifier,sample_type_name,body_part_name,sampling_date,sampling_protocol_url,"
    "sample_availability,sample_storage_temperature,sample_bibliographic_references,"
    "EBI_Biosample_identifier\n"
)


def crbanim_csv(animals: int) -> bytes:
    rows = [
        f"ram-{n},male,Ovis aries,DE,Merinolandschaf,2015-03-01,straw-{n},semen,,2019-04-01,,,"
        "-196°C,,\n"
        for n in range(animals)
    ]
    return (HEADER + "".join(rows)).encode()


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server on a loopback port, with an empty private bucket."""
    port = free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except EndpointConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the S3 server did not start:\n" + log.read_text()) from None
            time.sleep(0.3)
    yield url, client
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def s3_server(s3_endpoint, django_db_setup, django_db_blocker, tmp_path_factory):
    """InjectTool configured for the bucket, with X-Accel-Redirect on as in production."""
    url, _client = s3_endpoint
    with LiveServer(
        tmp_path_factory.mktemp("s3-server"),
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=url,
        AWS_S3_REGION_NAME="us-east-1",
        USE_X_ACCEL_REDIRECT="true",
        **KEYS,
    ) as server:
        yield server


@pytest.fixture
def api(s3_server, transactional_db, django_user_model):
    """A token-authenticated session for a new, confirmed user."""
    dictionaries_seed()

    def log_in(username: str) -> requests.Session:
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        answer = requests.post(
            f"{s3_server.url}/api/v1/auth/token/",
            json={"username": username, "password": PASSWORD},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        session = requests.Session()
        session.headers["Authorization"] = f"Token {answer.json()['token']}"
        session.user = user
        return session

    return log_in


def upload(server: LiveServer, session: requests.Session, name: str, content: bytes) -> dict:
    answer = session.post(
        f"{server.url}/api/v1/submissions/",
        data={
            "title": name,
            "gene_bank_name": "Cryobank",
            "gene_bank_country": "Germany",
            "datasource_type": "crbanim",
            "datasource_version": "2024",
        },
        files={"file": (name, content, "text/csv")},
        timeout=60,
    )
    assert answer.status_code == 201, answer.text
    url = f"{server.url}/api/v1/submissions/{answer.json()['id']}/"
    deadline = time.monotonic() + 120
    while (submission := session.get(url, timeout=30).json())["task"]["active"]:
        assert time.monotonic() < deadline, f"still importing: {submission}"
        time.sleep(0.3)
    return submission


def bucket_objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


def test_it_keeps_uploads_in_the_bucket_imports_downloads_and_deletes_them(
    s3_server, s3_endpoint, api
):
    _url, client = s3_endpoint
    alice = api("alice")
    first, second = crbanim_csv(2), crbanim_csv(3)

    # Two uploads of the same name: both kept, each imported from the bucket.
    one = upload(s3_server, alice, "straws.csv", first)
    two = upload(s3_server, alice, "straws.csv", second)
    assert one["status"] == "loaded", one["task"]["message"]
    assert two["status"] == "loaded", two["task"]["message"]
    counts = [(s["counts"]["animals"], s["counts"]["samples"]) for s in (one, two)]
    assert counts == [(2, 2), (3, 3)]
    stored = bucket_objects(client)
    assert sorted(stored.values()) == sorted([first, second])
    assert all(key.startswith(f"submissions/{alice.user.pk}/") for key in stored)
    assert not (settings.PROTECTED_ROOT / "submissions" / str(alice.user.pk)).exists()

    # Downloads are streamed from the bucket under the uploaded name: nginx cannot reach
    # a bucket, so no X-Accel-Redirect even though it is switched on.
    for submission, content in ((one, first), (two, second)):
        answer = alice.get(f"{s3_server.url}/api/v1/submissions/{submission['id']}/file/")
        assert answer.status_code == 200
        assert answer.content == content
        assert "X-Accel-Redirect" not in answer.headers
        assert answer.headers["Content-Disposition"] == 'attachment; filename="straws.csv"'

    # Another user gets 404 and no bytes.
    bob = api("bob")
    answer = bob.get(f"{s3_server.url}/api/v1/submissions/{one['id']}/file/")
    assert answer.status_code == 404 and first not in answer.content

    # Deleting a submission deletes its object and no other.
    answer = alice.delete(f"{s3_server.url}/api/v1/submissions/{one['id']}/")
    assert answer.status_code == 202
    task_url = f"{s3_server.url}/api/v1/submissions/{two['id']}/"
    deadline = time.monotonic() + 60
    while list(bucket_objects(client).values()) != [second]:  # the delete task's work
        assert time.monotonic() < deadline, bucket_objects(client).keys()
        time.sleep(0.3)
    assert alice.get(task_url, timeout=30).status_code == 200  # the other one stays
