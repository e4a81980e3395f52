"""The audit log: who did what, when, with the values before and after."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from participe.activity.models import AuditEntry
from participe.activity.selectors import audit_entries
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.audit import AuditFilterForm
from participe.backoffice.views.common import page_cursor
from participe.core.pagination import keyset_paginate


@staff_required
def audit_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "activity.view_audit")
    filters = AuditFilterForm(request.GET)
    entries = audit_entries(**filters.filters())
    page = keyset_paginate(entries, ordering=("-created_at", "-pk"), cursor=page_cursor(request), size=50)
    return render(request, "backoffice/audit_list.html", {"filters": filters, "page": page})


@staff_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "activity.view_audit")
    entry = get_object_or_404(AuditEntry.objects.select_related("actor", "on_behalf_of", "target_type"), pk=pk)
    return render(request, "backoffice/audit_detail.html", {"entry": entry, "changes": entry.changes()})
