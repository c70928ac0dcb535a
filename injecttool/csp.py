"""Narrow exceptions to the Content-Security-Policy for pages whose templates we do not write.

Our own pages need none (styles and scripts are files). Two library pages carry inline
bits: django-import-export's export form (two style attributes and one change handler)
and the browsable REST API (style attributes and its code-highlighting stylesheet).
Each exception is added to the one response that needs it, never site-wide.
"""

from __future__ import annotations

import base64
import hashlib

from rest_framework.renderers import BrowsableAPIRenderer as _BrowsableAPIRenderer


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Exactly the inline attributes of import_export/templates/admin/import_export/export.html:
# 'unsafe-hashes' lets an attribute run only when its text has one of these hashes.
ADMIN_EXPORT_PAGE = {
    "script-src": ["'unsafe-hashes'", _hash("onSelectToggleChange(event)")],
    "style-src": ["'unsafe-hashes'", _hash("padding: 0;"), _hash("font-weight: bold;")],
}
# The browsable API's HTML pages: inline styles only, scripts stay files.
BROWSABLE_API_PAGE = {"style-src": ["'unsafe-inline'"]}


class BrowsableAPIRenderer(_BrowsableAPIRenderer):
    """DRF's HTML pages for people, with their inline styles allowed (and nothing else)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = BROWSABLE_API_PAGE
        return super().render(data, accepted_media_type, renderer_context)
