"""Public pages of a debate: the module page (its subjects) and a subject's page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from participe.modules.debate import selectors
from participe.modules.debate.models import Subject
from participe.spaces.http import require_visible
from participe.spaces.models import Module


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The module page (``manifest.detail_view``): the platform has already checked the module is visible."""
    can_manage = selectors.can_manage(request.user, module)
    subjects = list(selectors.subjects_for_page(module, include_drafts=can_manage))
    context = {
        "module": module,
        "space": module.space,
        "phase": module.current_phase(),
        "timeline": [(phase, module) for phase in module.phases.all()],
        "subjects": subjects,
        "can_manage": can_manage,
    }
    return render(request, "debate/module_page.html", context)


@require_safe
def subject_detail(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    subject = selectors.subject_for_page(space_slug=slug, module_slug=module_slug, pk=pk)
    if subject is None:
        raise Http404
    module = subject.module
    require_visible(request, "debate.view_subject", subject)
    can_manage = selectors.can_manage(request.user, module)
    siblings = list(selectors.subjects_for_page(module, include_drafts=can_manage))
    context: dict[str, Any] = {
        "subject": subject,
        "module": module,
        "space": module.space,
        "phase": module.current_phase(),
        "can_manage": can_manage,
        "siblings": siblings if len(siblings) > 1 else [],
        "previous": _neighbour(siblings, subject, -1),
        "next": _neighbour(siblings, subject, +1),
    }
    return render(request, "debate/subject_detail.html", context)


def _neighbour(siblings: list[Subject], subject: Subject, offset: int) -> Subject | None:
    index = next((i for i, s in enumerate(siblings) if s.pk == subject.pk), None)
    if index is None or not 0 <= index + offset < len(siblings):
        return None
    return siblings[index + offset]
