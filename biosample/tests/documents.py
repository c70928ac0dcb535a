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


def family_posted(api, token) -> dict[str, str]:
    """Posted, as the recorded SAMEA6376992's neighbours are: an animal "child of" two
    parents (named in reverse order), a specimen "derived from" it, and a sample whose
    accession sorts before the animal's that links to it later. Name → accession."""
    posted = {
        name: api.post(sample_document(name), token=token).json()["accession"]
        for name in ("parent a", "parent b", "early")
    }
    children = [{"type": "child of", "target": posted[p]} for p in ("parent b", "parent a")]
    posted["animal"] = api.post(
        sample_document("animal", relationships=children), token=token
    ).json()["accession"]
    derived = [{"type": "derived from", "target": posted["animal"]}]
    posted["specimen"] = api.post(
        sample_document("specimen", relationships=derived), token=token
    ).json()["accession"]
    linked = [{"type": "child of", "target": posted["animal"]}]
    early = sample_document("early", accession=posted["early"], relationships=linked)
    api.put(posted["early"], early, token=token)
    return posted
