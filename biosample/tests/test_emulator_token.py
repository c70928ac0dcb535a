"""The emulator's Webin token endpoint: a JWT naming the account in ``principle``."""

import requests

from biosample.emulator import Emulator
from biosample.emulator.webin import token_payload

from .conftest import WEBIN, WEBIN_PASSWORD


def _token(emulator, username, password):
    return requests.post(
        f"{emulator.webin_auth_url}/token",
        json={"authRealms": ["ENA"], "username": username, "password": password},
        timeout=10,
    )


def test_it_gives_a_jwt_naming_the_account_in_principle(emulator):
    answer = _token(emulator, WEBIN, WEBIN_PASSWORD)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    payload = token_payload(answer.text)
    assert payload["principle"] == WEBIN
    assert payload["exp"] - payload["iat"] == 3 * 3600


def test_it_takes_the_lifetime_from_configuration(tmp_path):
    with Emulator(accounts={WEBIN: WEBIN_PASSWORD}, token_lifetime=90) as emulator:
        payload = token_payload(_token(emulator, WEBIN, WEBIN_PASSWORD).text)

    assert payload["exp"] - payload["iat"] == 90


def test_it_refuses_a_wrong_password(emulator):
    answer = _token(emulator, WEBIN, "not-the-password")

    assert answer.status_code == 401
    assert WEBIN_PASSWORD not in answer.text


def test_it_refuses_an_unknown_account(emulator):
    assert _token(emulator, "Webin-99999", WEBIN_PASSWORD).status_code == 401


def test_it_knows_accounts_added_while_it_runs(emulator):
    emulator.account_add("Webin-50000", "new-password")

    assert _token(emulator, "Webin-50000", "new-password").status_code == 200
