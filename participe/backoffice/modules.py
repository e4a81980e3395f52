"""Links to the back-office pages a module declares in its manifest (``backoffice_urls``)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.urls import NoReverseMatch, URLPattern, reverse
from django.utils.translation import gettext as _

from participe.spaces.models import Module


def module_backoffice_links(module: Module) -> list[tuple[str, str]]:
    """(label, url) of each page of the module's own back-office that takes the module (``module_pk``).

    The module's urlconf may name its pages in a ``labels`` dict (URL name → label).
    """
    manifest = module.manifest
    if manifest is None or not manifest.backoffice_urls:
        return []
    urlconf: Any = import_module(manifest.backoffice_urls)
    namespace = getattr(urlconf, "app_name", manifest.key)
    labels = getattr(urlconf, "labels", {})
    links = []
    for pattern in getattr(urlconf, "urlpatterns", []):
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        try:
            url = reverse(f"backoffice:{namespace}:{pattern.name}", kwargs={"module_pk": module.pk})
        except NoReverseMatch:
            continue
        links.append((str(labels.get(pattern.name, _("Gérer le contenu du module"))), url))
    return links
