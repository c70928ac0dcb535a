"""ASGI entry point (uvicorn in `make run`, daphne for /ws/ in the stack): HTTP, websockets."""

import os

from django.core.asgi import get_asgi_application

from injecttool import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "injecttool.settings.local")
# The runner started the embedded servers: then this only finds them running.
embedded.ensure_started()
# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from injecttool.request_limits import RequestBodyLimit  # noqa: E402
from injecttool.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Bodies are sized up (and refused) before Django reads them.
        "http": RequestBodyLimit(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
