"""The public page of a page module (the manifest's ``detail_view``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from participe.modules.page.models import PageContent
from participe.spaces.models import Module


def page_detail(request: HttpRequest, module: Module) -> HttpResponse:
    """The page's text under its title and current phase; "no content yet" until the staff write it.

    The platform calls it for ``/demarches/<space>/<module>/`` once ``spaces.view_module`` allowed the visitor; the
    view still asks its own permission, so that it stays right wherever it is mounted.
    """
    if not request.user.has_perm("page.view_page", module):
        raise Http404
    content = PageContent.objects.filter(module=module).first()
    context = {"module": module, "space": module.space, "content": content, "phase": module.current_phase()}
    return render(request, "page/page_detail.html", context)
