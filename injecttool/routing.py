"""Websocket routes of every app, gathered for asgi.py."""

from uid.routing import websocket_urlpatterns as uid_websockets

websocket_urlpatterns = [*uid_websockets]
