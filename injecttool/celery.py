"""The one Celery app, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")

app = Celery("injecttool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.import_modules.connect
def embedded_servers_start(sender=None, **kwargs) -> None:
    """The worker, beat and the celery commands need the embedded servers (when used).

    Not at import: this module loads with the settings. ``import_modules`` comes before the
    worker or beat touch the broker or the database (``beat_init`` comes after beat's
    scheduler has read its table). Under the runner the servers run already and this only
    finds them.
    """
    if sender is app:
        from injecttool import embedded

        embedded.ensure_started()
