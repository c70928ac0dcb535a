"""WSGI entry point (uWSGI in production and in `make stack`)."""

import os

from django.core.wsgi import get_wsgi_application

from injecttool import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")
# The stack started the embedded servers: then this only finds them running.
embedded.ensure_started()

application = get_wsgi_application()
