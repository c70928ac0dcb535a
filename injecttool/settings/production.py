"""Settings for a deployment: secrets come from the environment; a missing one stops start-up.

The embedded PostgreSQL and Redis are for one machine's `make run`; a deployment names its
own servers, so DATABASE_URL and REDIS_URL are required here (checked before base.py,
which would otherwise start embedded servers inside a container and lose their data).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
_missing = [name for name in _REQUIRED if not os.environ.get(name, "").strip()]
if _missing:
    raise ImproperlyConfigured(
        f"production settings need these environment variables: {', '.join(_missing)} "
        "(see docs/configuration.rst)"
    )

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters in production"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# TLS ends at the proxy in front of nginx (or at nginx itself).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health checks from the compose network come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
USE_X_ACCEL_REDIRECT = env.bool("USE_X_ACCEL_REDIRECT", default=True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# With CONN_MAX_AGE, a kept connection is checked before it is reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
