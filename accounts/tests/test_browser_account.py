"""A curator's account, end to end in chromium through the stack (nginx, uWSGI, daphne).

Sign up, be kept out until the e-mail is confirmed, confirm with the link from the mail the
stack sent, log in, see the empty dashboard, edit the profile, log out. Every page is
saved as a screenshot in TEST_ARTIFACTS/<test name>/.
"""

import email
import re
import time
import uuid
from email.message import Message
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Nothing like the username ("curator-…"): the similarity check would refuse it at random.
PASSWORD = "Tall-grass-and-9-hayricks"
MAIL_TIMEOUT = 20  # seconds


def messages_in(folder: Path) -> list[tuple[float, Message]]:
    """Every message the file e-mail backend wrote: one .log per connection, 79 dashes apart."""
    found = []
    for log in folder.glob("*.log"):
        for raw in re.split(rb"\n-{79}\n", log.read_bytes()):
            if raw.strip():
                found.append((log.stat().st_mtime, email.message_from_bytes(raw.lstrip())))
    return found


def newest_mail_to(folder: Path, address: str) -> str:
    """The text of the newest message sent to ``address``, waiting for it a little."""
    deadline = time.monotonic() + MAIL_TIMEOUT
    while time.monotonic() < deadline:
        mine = [(at, m) for at, m in messages_in(folder) if address in m.get("To", "")]
        if mine:
            message = max(mine, key=lambda pair: pair[0])[1]
            part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        time.sleep(0.25)
    raise AssertionError(f"no mail to {address} in {folder} after {MAIL_TIMEOUT} s")


def dictionary_rows(stack, suffix: str) -> tuple[str, str]:
    """An organisation and a role in the stack's dictionaries: their names."""
    organisation = f"Browser Test Institute {suffix}"
    role = f"browser tester {suffix}"
    stack.manage(
        "shell",
        "-c",
        "from uid.models import Organisation, Role; "
        f"Organisation.objects.create(name={organisation!r}); "
        f"Role.objects.create(label={role!r}, term='EFO_0001741')",
    )
    return organisation, role


def test_it_takes_a_curator_from_sign_up_to_log_out(stack, page, screenshot):
    suffix = uuid.uuid4().hex[:8]
    username = f"curator-{suffix}"
    address = f"{username}@example.org"
    organisation, role = dictionary_rows(stack, suffix)

    # The home page invites visitors to sign up.
    page.goto(f"{stack.url}/")
    expect(page.get_by_role("heading", name="Your genebank records in BioSamples")).to_be_visible()
    screenshot("home")

    # Sign up, every field filled, the terms accepted.
    page.get_by_test_id("nav-signup").click()
    expect(page.get_by_role("heading", name="Create your curator account")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Last name").fill("Doe")
    page.get_by_label("Initials").fill("J. D.")
    page.get_by_label("Affiliation").select_option(label=organisation)
    page.get_by_label("Role").select_option(label=role)
    page.get_by_label("I accept the terms of use").check()
    screenshot("signup-filled")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_test_id("verification-sent")).to_be_visible()
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    screenshot("confirmation-sent")

    # Not confirmed yet: logging in leads back to "confirm your e-mail", not the dashboard.
    page.goto(f"{stack.url}/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("verification-sent")).to_be_visible()
    expect(page.get_by_test_id("nav-login")).to_be_visible()

    # The link in the stack's mail points at the stack.
    text = newest_mail_to(stack.data_dir / "mail", address)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text)
    assert link, text
    assert link.group(0).startswith(f"{stack.url}/")
    page.goto(link.group(0))
    expect(page.get_by_text(address)).to_be_visible()
    screenshot("confirm-email")
    page.get_by_role("button", name="Confirm").click()

    # Confirmed: log in, by username.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    screenshot("login")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_test_id("dashboard-empty")).to_contain_text("You have no submissions yet.")
    for kind in ("submissions", "animals", "samples"):
        expect(page.get_by_test_id(f"total-{kind}")).to_have_text("0")
    screenshot("dashboard-empty")

    # The profile: what was given at sign-up, then an edit.
    page.get_by_test_id("nav-profile").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(page.get_by_test_id("profile-email")).to_have_text(address)
    expect(page.get_by_test_id("profile-terms")).to_contain_text("accepted on")
    expect(page.get_by_label("Affiliation")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Initials")).to_have_value("J. D.")
    page.get_by_label("First name").fill("Janet")
    page.get_by_label("Last name").fill("Doe-Smith")
    page.get_by_label("Initials").fill("J. D.-S.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("message")).to_contain_text("Your profile was saved.")
    expect(page.get_by_label("First name")).to_have_value("Janet")
    expect(page.get_by_label("Last name")).to_have_value("Doe-Smith")
    expect(page.get_by_label("Initials")).to_have_value("J. D.-S.")
    expect(page.get_by_test_id("nav-profile")).to_have_text("Janet Doe-Smith")
    screenshot("profile-saved")

    # Log out: back on the home page, as a visitor.
    page.get_by_test_id("nav-logout").click()
    expect(page.get_by_role("heading", name="Your genebank records in BioSamples")).to_be_visible()
    expect(page.get_by_test_id("nav-login")).to_be_visible()
    screenshot("logged-out-home")
