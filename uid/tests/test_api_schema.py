"""/api/v1/schema/ and /api/v1/docs/: a valid OpenAPI 3 document of every endpoint, no warnings."""

import json

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from rest_framework.test import APIClient

PATHS = {
    "/api/v1/auth/token/": {"post", "delete"},
    "/api/v1/submissions/": {"get", "post"},
    "/api/v1/submissions/{id}/": {"get", "patch", "delete"},
    "/api/v1/submissions/{id}/retry/": {"post"},
    "/api/v1/submissions/{id}/reload/": {"post"},
    "/api/v1/submissions/{id}/file/": {"get"},
    "/api/v1/submissions/{id}/files/": {"get"},
    "/api/v1/submissions/{id}/files/{file_id}/": {"get"},
    "/api/v1/submissions/{id}/tasks/": {"get"},
    "/api/v1/submissions/{id}/tasks/{task_id}/problems/": {"get"},
    "/api/v1/animals/{id}/": {"get", "patch"},
    "/api/v1/submissions/{id}/export/": {"get"},
    "/api/v1/submissions/{id}/events/": {"get"},
    "/api/v1/submissions/{id}/records/batch/": {"post"},
    "/api/v1/submissions/{id}/validate/": {"post"},
    "/api/v1/submissions/{id}/validation/": {"get"},
    "/api/v1/submissions/{id}/submit/": {"post"},
    "/api/v1/submissions/{id}/preview/": {"get"},
    "/api/v1/submissions/{id}/sync/": {"get"},
    "/api/v1/samples/{id}/": {"get", "patch"},
    "/api/v1/submissions/{submission_id}/animals/": {"get"},
    "/api/v1/submissions/{submission_id}/samples/": {"get"},
}


def test_it_serves_an_openapi_document_of_every_endpoint(db):
    response = APIClient().get("/api/v1/schema/")

    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert {path: set(ops) - {"parameters"} for path, ops in document["paths"].items()} == PATHS
    upload = document["components"]["schemas"]["SubmissionCreate"]["properties"]["file"]
    assert upload == {**upload, "type": "string", "format": "binary"}


def test_it_serves_the_document_as_json_too(db):
    response = APIClient().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert set(json.loads(response.content)["paths"]) == set(PATHS)


def test_the_schema_generates_without_warnings_and_validates(db, tmp_path):
    # --fail-on-warn turns any drf-spectacular warning (an unknown type, a guessed
    # parameter) into an error; --validate checks the document against OpenAPI 3.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    assert "/api/v1/submissions/" in yaml.safe_load(out.read_text())["paths"]


def test_it_serves_swagger_ui_from_the_packaged_copy(db):
    if not apps.is_installed("drf_spectacular_sidecar"):
        pytest.skip("drf_spectacular_sidecar is not in INSTALLED_APPS: /api/v1/docs/ is off")
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    # Its set-up script is a file of its own (no inline script under the CSP).
    assert '<script src="/api/v1/docs/?script="></script>' in page
    script = APIClient().get("/api/v1/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
