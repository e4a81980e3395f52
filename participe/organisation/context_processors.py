import copy
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from participe.core import pagecache
from participe.organisation.models import Organisation


def organisation(request: HttpRequest) -> dict[str, Any]:
    """The organisation is on every page (header, footer, theme); fetched once per request."""
    if not hasattr(request, "_organisation"):
        # A copy of the one kept for the site's token: a view may change its own (pagecache.site_value).
        request._organisation = copy.copy(pagecache.site_value("organisation", Organisation.get))  # type: ignore[attr-defined]
    return {"organisation": request._organisation, "source_url": settings.PARTICIPE_SOURCE_URL}  # type: ignore[attr-defined]
