"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from injecttool import embedded

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DATA_DIR = Path(env("INJECTTOOL_DATA", default=str(BASE_DIR / "django_data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-do-not-use-in-production")
DEBUG = False  # the local settings turn it on with DJANGO_DEBUG=1
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORT = env.int("PORT", default=8000)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_bootstrap5",
    "bootstrap",
    "import_export",
    "django_celery_beat",
    "channels",
    "accounts",
    "uid",
    "language",
    "cryoweb",
    "crbanim",
    "excel",
    "validation",
    "biosample",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "injecttool.urls"
WSGI_APPLICATION = "injecttool.wsgi.application"
ASGI_APPLICATION = "injecttool.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "injecttool" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- PostgreSQL and Redis: from the environment, else the embedded servers -------------
# The embedded servers' addresses follow from the data folder, so these lines start
# nothing: manage.py, the runner, Celery, ASGI/WSGI and the test session start the servers
# (injecttool.embedded.ensure_started); the backend below says how when one is not running.
EMBEDDED_POSTGRES = not env("DATABASE_URL", default="")
if EMBEDDED_POSTGRES:
    DATABASES = {
        "default": env.db_url_config(
            embedded.postgres_url(DATA_DIR), engine="injecttool.embedded_postgresql"
        )
    }
else:
    DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMBEDDED_REDIS = not env("REDIS_URL", default="")
REDIS_URL = embedded.redis_url(DATA_DIR) if EMBEDDED_REDIS else env("REDIS_URL")


def _kombu_url(url: str) -> str:
    """Kombu spells a unix-socket Redis as redis+socket://."""
    return "redis+socket://" + url.removeprefix("unix://") if url.startswith("unix://") else url


CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "injecttool",
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # No socket timeout: the layer blocks reading for new messages, and redis-py's
        # default would drop an idle websocket after a few seconds.
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
            "prefix": "injecttool-asgi",
        },
    }
}

CELERY_BROKER_URL = _kombu_url(REDIS_URL)
CELERY_RESULT_BACKEND = _kombu_url(REDIS_URL)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=3 * 3600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=3 * 3600 - 60)
# A task whose worker dies is given back to the queue rather than lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Synced into django-celery-beat's tables when beat starts; admins may change them there.
CELERY_BEAT_SCHEDULE = {
    # The entry keeps its first name: beat updates the row of that name to the new task.
    "reap-stale-submissions": {"task": "uid.tasks_reap_stale", "schedule": 60.0},
    "sync-biosamples": {"task": "biosample.submissions_sync_due", "schedule": 3600.0},
}
# The owner is mailed when an import took at least this long.
IMPORT_MAIL_AFTER_SECONDS = env.int("IMPORT_MAIL_AFTER_SECONDS", default=60)
CELERY_TIMEZONE = "UTC"

# --- Accounts ------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[InjectTool] "
ACCOUNT_RATE_LIMITS = {
    "signup": env("RATE_LIMIT_SIGNUP", default="20/h/ip"),
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# --- E-mail: EMAIL_URL (smtp://user:pass@host:port, console:, file:) or EMAIL_* --------
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(DATA_DIR / "mail"))
    EMAIL_HOST = env("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="InjectTool <noreply@injecttool.local>")

# --- Files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "injecttool" / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))
# Uploads are private: kept outside MEDIA_ROOT, served only through an owner-checked view.
PROTECTED_ROOT = Path(env("PROTECTED_ROOT", default=str(DATA_DIR / "protected")))
PROTECTED_URL = "/protected/"
# Behind nginx a download is handed over with X-Accel-Redirect; alone, Django streams it.
USE_X_ACCEL_REDIRECT = env.bool("USE_X_ACCEL_REDIRECT", default=False)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=200 * 1024 * 1024)
# A gzip-compressed dump or CSV may hold this much once decompressed.
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int(
    "UPLOAD_MAX_UNCOMPRESSED_BYTES", default=5 * UPLOAD_MAX_BYTES
)
# Limits of the Excel reader, checked before a workbook is opened (decompression bombs).
EXCEL_MAX_UNCOMPRESSED_BYTES = env.int("EXCEL_MAX_UNCOMPRESSED_BYTES", default=500 * 1024 * 1024)
EXCEL_MAX_CELLS = env.int("EXCEL_MAX_CELLS", default=5_000_000)
EXCEL_MAX_RATIO = env.int("EXCEL_MAX_RATIO", default=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The most body a client that is not logged in may send (log-in, sign-up, token forms);
# injecttool.request_limits refuses more before Django reads it.
REQUEST_MAX_BYTES_ANONYMOUS = env.int("REQUEST_MAX_BYTES_ANONYMOUS", default=64 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "protected": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PROTECTED_ROOT), "base_url": PROTECTED_URL},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    # S3-compatible object storage for uploads (MinIO, Ceph, AWS): see docs/configuration.
    STORAGES["protected"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            # Two uploads of the same name must both be kept (the filesystem does so too).
            "file_overwrite": False,
            # Reading an upload back (import, download) spools it to disk past 8 MB.
            "max_memory_size": 8 * 1024 * 1024,
        },
    }

# Exported CSV/XLSX cells cannot smuggle spreadsheet formulae: uid.spreadsheets does it
# for every export (the library's own escaping removes one '=' and lets '+', '-', '@' by).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# --- Browser security ----------------------------------------------------------------
# Pages load scripts, styles, images and websocket connections from this site only, run
# no inline script, and cannot be framed: an injected tag has nothing to run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# --- REST API ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "injecttool.csp.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
# An API token works this many days; a password change or DELETE /api/v1/auth/token/
# ends it sooner (accounts.tokens).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=30)
SPECTACULAR_SETTINGS = {
    "TITLE": "InjectTool API",
    "DESCRIPTION": "Upload genebank records, validate them against the IMAGE rules, "
    "submit them to BioSamples.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # A timeline entry's outcome is a task's state: one enum for both.
    "ENUM_NAME_OVERRIDES": {"TaskStateEnum": "uid.models.TaskState"},
}

# --- BioSamples ----------------------------------------------------------------------
# Where `make run` and `make stack` run the BioSamples emulator (when BIOSAMPLES_URL is unset).
EMULATOR_PORT = env.int("EMULATOR_PORT", default=8081)
_EMULATOR = f"http://127.0.0.1:{EMULATOR_PORT}"
BIOSAMPLES_URL = env("BIOSAMPLES_URL", default=f"{_EMULATOR}/biosamples")
WEBIN_AUTH_URL = env("WEBIN_AUTH_URL", default=f"{_EMULATOR}/ena/submit/webin/auth")
BIOSAMPLES_EMULATOR = env.bool("BIOSAMPLES_EMULATOR", default=False)
# Records a submission sends to BioSamples at once (a shared service: a few, not many).
# Seconds BioSamples may take to make a new sample findable by name: a record whose POST
# got no answer is looked for that long after it went out before it is posted again.
BIOSAMPLES_INDEX_WAIT = env.float("BIOSAMPLES_INDEX_WAIT", default=120.0)
BIOSAMPLES_CONCURRENCY = env.int("BIOSAMPLES_CONCURRENCY", default=8)
if not 1 <= BIOSAMPLES_CONCURRENCY <= 32:
    raise ImproperlyConfigured(
        f"BIOSAMPLES_CONCURRENCY is between 1 and 32, not {BIOSAMPLES_CONCURRENCY}"
    )
# The demo Webin account of the emulator (python -m biosample.emulator); without a password
# it makes one on first start, keeps it in DATA_DIR/biosamples-emulator and prints it.
EMULATOR_WEBIN_USERNAME = env("EMULATOR_WEBIN_USERNAME", default="Webin-40001")
EMULATOR_WEBIN_PASSWORD = env("EMULATOR_WEBIN_PASSWORD", default="")
# An instance-wide Webin broker account the admin enables by setting both: curators may
# then submit under it without a Webin account of their own (the password stays here,
# exchanged for tokens by the server; never shown, never logged).
WEBIN_BROKER_USERNAME = env("WEBIN_BROKER_USERNAME", default="")
WEBIN_BROKER_PASSWORD = env("WEBIN_BROKER_PASSWORD", default="")
# Seconds an emulator token lasts (Webin's last 3 to 5 hours).
EMULATOR_WEBIN_TOKEN_LIFETIME = env.int("EMULATOR_WEBIN_TOKEN_LIFETIME", default=3 * 3600)

# --- OLS4 (optional) -----------------------------------------------------------------
# Off when empty: validation then knows only the term table. Set, missing terms are looked
# up there and cached in the table (validation.ols).
OLS_URL = env("OLS_URL", default="")
OLS_TIMEOUT = env.float("OLS_TIMEOUT", default=10.0)  # seconds, per request

# --- Pages ---------------------------------------------------------------------------
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
BOOTSTRAP5 = {
    "css_url": {"url": "/static/bootstrap/css/bootstrap.min.css"},
    "javascript_url": {"url": "/static/bootstrap/js/bootstrap.bundle.min.js"},
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}
