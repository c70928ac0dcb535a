"""Let processes a test starts (worker, server, CLI) use the test's own database."""

from urllib.parse import quote

from django.db import connection


def current_database_url() -> str:
    """DATABASE_URL of the database this process is connected to (pytest's test database)."""
    s = connection.settings_dict
    host = s["HOST"] or s["OPTIONS"].get("host", "")
    auth = quote(s["USER"]) + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    if host.startswith("/"):
        return f"postgresql://{auth}@/{s['NAME']}?host={quote(host)}"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgresql://{auth}@{host}{port}/{s['NAME']}"
