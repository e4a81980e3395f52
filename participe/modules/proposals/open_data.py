"""The manifest's open-data export: the published proposals a visitor sees, without personal data.

Served by the platform's open-data catalogue (``/donnees-ouvertes/``) when the module's ``open_data`` setting is on;
the module page also offers the same files filtered like its list (``views/open_data.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser

from participe.modules.proposals import exports
from participe.modules.proposals.selectors.proposals import Filters, public_proposals
from participe.spaces.models import Module


def is_open(module: Module) -> bool:
    """The module's ``open_data`` setting is on."""
    return exports.is_open_data(module)


def stream(module: Module, fmt: str) -> Iterator[str]:
    """Every published proposal a visitor sees, in ``fmt`` (``csv``, ``json`` or ``geojson``)."""
    proposals = public_proposals(module, AnonymousUser(), Filters())
    return exports.export_stream(fmt, proposals, module, public=True)
