"""Settings for the test suite: a throwaway data folder with its own PostgreSQL and Redis.

The first process that loads these settings makes the folder and removes it (servers
included) when it exits; processes it starts (a Celery worker, the stack) inherit
INJECTTOOL_DATA and share it. Loading them starts no server: the test session does
(conftest.py), as does `manage.py` (`make bench`).
"""

import atexit
import os
import tempfile
from pathlib import Path

if not os.environ.get("INJECTTOOL_DATA"):
    _folder = Path(tempfile.mkdtemp(prefix="injecttool-test-"))
    os.environ["INJECTTOOL_DATA"] = str(_folder)

    def _remove_folder(folder: Path = _folder, pid: int = os.getpid()) -> None:
        if os.getpid() == pid:  # not in forked children
            from injecttool import embedded

            embedded.remove(folder)

    atexit.register(_remove_folder)

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, env  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
TEST_ARTIFACTS = Path(env("TEST_ARTIFACTS", default=str(BASE_DIR / "test-artifacts")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise looks at it at start)

# The emulator makes samples findable at once unless a test says otherwise (search_delay):
# a lost answer is looked for again after a second, not after BioSamples' two minutes.
BIOSAMPLES_INDEX_WAIT = env.float("BIOSAMPLES_INDEX_WAIT", default=1.0)
