"""Settings for `make run`: a single genebank's or curator's own machine.

`make run` may well be what a genebank really runs, so it is safe by default: DEBUG is
off (plain error pages, no settings or paths shown) unless DJANGO_DEBUG=1, and the secret
key is generated once into the data folder rather than a known default. Everything of
`manage.py check --deploy` holds here except what needs HTTPS.
"""

import secrets

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATA_DIR, env

_DEBUG = env("DJANGO_DEBUG", default="0").strip()
if _DEBUG not in ("0", "1"):
    raise ImproperlyConfigured(f"DJANGO_DEBUG must be 0 or 1, not {_DEBUG!r}")
DEBUG = _DEBUG == "1"


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one made on first start and kept (mode 600)."""
    given = env("SECRET_KEY", default="")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        path.touch(mode=0o600)
        path.write_text(key)
        return key


SECRET_KEY = _secret_key()
