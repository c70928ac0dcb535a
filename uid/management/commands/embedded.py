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
            self.stdout.write(f"Data folder: {settings.DATA_DIR}")
            self.stdout.write(f"Database:    {settings.DATABASES['default']['HOST'] or 'external'}")
            self.stdout.write(f"Redis:       {settings.REDIS_URL}")
