"""Django's PostgreSQL backend, for the embedded server of the data folder.

The settings only know where the embedded PostgreSQL listens; it runs once something
started it (``injecttool.embedded.ensure_started``). A connection to a server that is not
running fails with what to do about it instead of psycopg's bare "No such file or
directory". Only a failed connection is looked at, so queries cost what they always cost.
"""

from django.conf import settings
from django.db.backends.postgresql import base

from injecttool import embedded


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError as exc:
            if embedded.socket_answers(embedded.postgres_socket(settings.DATA_DIR)):
                raise  # running: the error is about something else
            message = embedded.not_running_message("PostgreSQL", settings.DATA_DIR, "DATABASE_URL")
            raise base.Database.OperationalError(message) from exc
