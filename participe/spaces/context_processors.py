from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from participe.core import pagecache
from participe.spaces.selectors import organisation_modules


def organisation_services(request: HttpRequest) -> dict[str, Any]:
    """The organisation-wide modules that are on (header and home page); read only by the pages that show them."""
    return {"organisation_services": SimpleLazyObject(_modules)}


def _modules() -> list[Any]:
    return list(pagecache.site_value("organisation_modules", organisation_modules))  # kept for the site's token
