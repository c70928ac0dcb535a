"""Sample documents as InjectTool sends them."""

from __future__ import annotations

import copy
from typing import Any

PAST = "2020-01-14T00:00:00Z"
FUTURE = "2999-01-01T00:00:00Z"


def sample_document(name: str = "IMAGEA000000001", **changes: Any) -> dict[str, Any]:
    """A document that passes every check of the server (a pig, released in the past)."""
    document: dict[str, Any] = {
        "name": name,
        "release": PAST,
        "characteristics": {
            "organism": [
                {
                    "text": "Sus scrofa",
                    "ontologyTerms": ["http://purl.obolibrary.org/obo/NCBITaxon_9823"],
                }
            ],
            "material": [
                {
                    "text": "organism",
                    "ontologyTerms": ["http://purl.obolibrary.org/obo/OBI_0100026"],
                }
            ],
            "project": [{"text": "IMAGE"}],
            "Supplied breed": [{"text": "Cinta Senese"}],
        },
    }
    document.update(copy.deepcopy(changes))
    return document
