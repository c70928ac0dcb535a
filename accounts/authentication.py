"""REST API authentication by the tokens of accounts.tokens (``Authorization: Token <key>``)."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts import tokens


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's header format, our tokens: hashed, expiring, revoked by a password change."""

    keyword = "Token"

    def authenticate_credentials(self, key: str):
        try:
            token = tokens.token_check(key=key)
        except tokens.TokenProblem as problem:
            raise AuthenticationFailed(str(problem)) from None
        return token.user, token
