"""The queue of the services across every module (« File d'attente des services »), and the deletion of an internal
note (from any item's back-office page: the note's item gives the page to come back to)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.assignments import selectors, services
from participe.assignments.forms import QueueFilterForm
from participe.assignments.models import Note
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor, page_cursor

PAGE_SIZE = 50


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """The items given to the agent's services (every service for an organisation administrator): overdue first,
    then by due date; each links to its page in the back-office."""
    require_perm(request, "assignments.view_queue")
    services_shown = selectors.queue_services(request.user)
    form = QueueFilterForm(request.GET, services=services_shown, modules=selectors.modules_in_queue(request.user))
    filters = form.filters()
    page = selectors.queue_page(request.user, filters, cursor=page_cursor(request), size=PAGE_SIZE)
    counts = selectors.counts_by_service([s.pk for s in services_shown])
    return render(
        request,
        "assignments/queue.html",
        {
            "form": form,
            "page": page,
            "services": [(service, counts[service.pk]) for service in services_shown],
            "mine": bool(selectors.service_ids_of(request.user)),
        },
    )


@staff_required
@require_POST
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Note.objects.select_related("content_type"), pk=pk)
    item = note.target
    if item is None or not request.user.has_perm("assignments.view_note", item):
        raise Http404
    try:
        services.note_delete(actor=actor(request), note=note)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("La note est supprimée."))
    if not hasattr(item, "get_backoffice_url"):
        return redirect("backoffice:dashboard")
    return redirect(item.get_backoffice_url() + "#notes")
