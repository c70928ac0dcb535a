import os
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection


def test_it_runs_on_a_throwaway_data_folder():
    data = Path(os.environ["INJECTTOOL_DATA"])
    assert data.name.startswith("injecttool-test-")
    assert data.resolve() == settings.DATA_DIR


def test_it_uses_the_embedded_postgresql_of_that_folder(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        (data_directory,) = cursor.fetchone()
    assert Path(data_directory).resolve() == (settings.DATA_DIR / "postgres").resolve()


def test_it_uses_the_embedded_redis_of_that_folder():
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.ping()
    assert f"unix://{settings.DATA_DIR / 'redis' / 'redis.sock'}" == settings.REDIS_URL
    assert client.config_get("dir")["dir"] == str(settings.DATA_DIR / "redis")
