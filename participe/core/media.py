"""Serving uploaded files when no front server does it.

Public media (hero images, organisation logo, space documents) are served as files; attachments are not: they
belong to resources that may be private or hidden, so they go through ``/pieces-jointes/<id>/``, which checks
who is asking. A front server serving ``/media/`` must refuse the same prefixes (docs/deployment.md).
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.static import serve

# Answers' files and exports: permission-checked views; pictures kept for a form shown again: never served.
PRIVATE_PREFIXES = ("attachments/", "surveys/", "exports/", "pending/")


def public_media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    if (posixpath.normpath(path).lstrip("/") + "/").startswith(PRIVATE_PREFIXES):
        raise Http404
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
