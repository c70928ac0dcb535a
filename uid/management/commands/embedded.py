from django.conf import settings
from django.core.management.base import BaseCommand

from injecttool import embedded


class Command(BaseCommand):
    help = "Show or stop the embedded PostgreSQL and Redis of the data folder (INJECTTOOL_DATA)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["status", "stop"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "stop":
            stopped = embedded.stop(settings.DATA_DIR)
            self.stdout.write(f"Stopped: {', '.join(stopped) or 'nothing was running'}")
        else:
            db = settings.DATABASES["default"]
            host = db["HOST"] or db["OPTIONS"].get("host", "")
            where = f"{host}:{db['PORT']}" if db["PORT"] else host
            embedded_db = host == str(settings.DATA_DIR / "postgres")
            kind = "embedded PostgreSQL" if embedded_db else "PostgreSQL from DATABASE_URL"
            self.stdout.write(f"Data folder: {settings.DATA_DIR}")
            self.stdout.write(f"Database:    {db['NAME']} on {where} ({kind})")
            self.stdout.write(f"Redis:       {settings.REDIS_URL}")
