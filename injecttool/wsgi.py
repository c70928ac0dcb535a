"""WSGI entry point (uWSGI in production and in `make stack`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")

application = get_wsgi_application()
