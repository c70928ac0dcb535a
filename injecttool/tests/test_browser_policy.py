"""Every kind of page keeps to its Content-Security-Policy in a real browser.

The `page` fixture fails a test whose pages log a policy violation; this one walks the
pages that other browser tests do not reach: admin (lists, forms, import and export),
the API's browsable pages and its Swagger docs, the account pages and an error page.
"""

import uuid

import pytest
from playwright.sync_api import expect

from uid.tests.test_browser_upload import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.attack]

STAFF_SCRIPT = """
from django.contrib.auth import get_user_model
from allauth.account.models import EmailAddress
user = get_user_model().objects.create_superuser({name!r}, {email!r}, {password!r})
EmailAddress.objects.create(user=user, email={email!r}, primary=True, verified=True)
"""

PAGES = [
    ("/dashboard/", "Dashboard"),
    ("/submissions/", "Submissions"),
    ("/submissions/new/", "New submission"),
    ("/accounts/profile/", None),
    ("/admin/", "Site administration"),
    ("/admin/uid/breed/", "breed"),
    ("/admin/uid/breed/add/", "Add breed"),
    ("/admin/uid/breed/export/", "Export"),
    ("/admin/uid/breed/import/", "Import"),
    ("/admin/language/speciesword/", "species word"),
    ("/api/v1/submissions/", "Submission"),
    ("/api/v1/docs/", None),
    ("/no/such/page/", "Page not found"),
]


def test_pages_keep_to_their_content_security_policy(stack, page, screenshot):
    name = f"staff-{uuid.uuid4().hex[:8]}"
    email = f"{name}@example.org"
    stack.manage("shell", "-c", STAFF_SCRIPT.format(name=name, email=email, password=PASSWORD))
    log_in(page, stack, name)

    for path, text in PAGES:
        page.goto(f"{stack.url}{path}")
        page.wait_for_load_state("networkidle")
        if text:
            expect(page.get_by_text(text, exact=False).first).to_be_visible()
    # Swagger UI draws the operations from the schema with its own script (a file).
    page.goto(f"{stack.url}/api/v1/docs/")
    expect(page.get_by_text("/api/v1/submissions/", exact=False).first).to_be_visible()
    screenshot("api-docs")
