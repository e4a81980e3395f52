"""Users of the platform: search, roles and verifications, organisation admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.accounts.models import User
from participe.accounts.selectors import users_search
from participe.accounts.services import org_admin_set
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import SearchForm
from participe.backoffice.views.common import actor, page_cursor
from participe.core.pagination import keyset_paginate
from participe.verifications import handlers


@staff_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "accounts.manage_roles")
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    admins_only = request.GET.get("admins") == "1"
    qs = users_search(query) if query else User.objects.filter(is_deleted=False)
    if admins_only:
        qs = qs.filter(is_org_admin=True)
    page = keyset_paginate(qs, ordering=("-pk",), cursor=page_cursor(request), size=30)
    return render(request, "backoffice/user_list.html", {"search": search, "page": page, "admins_only": admins_only})


@staff_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "accounts.manage_roles")
    person = get_object_or_404(User.objects.select_related("territory", "managed_by"), pk=pk)
    names = dict(handlers.choices())
    verifications = list(person.verifications.select_related("territory", "granted_by"))
    for verification in verifications:
        verification.handler_name = names.get(verification.handler, verification.handler)  # type: ignore[attr-defined]
    context = {
        "person": person,
        "services": person.services.all(),
        "memberships": person.space_memberships.select_related("space"),
        "verifications": verifications,
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "backoffice/user_detail.html", context)


@staff_required
@require_POST
def user_org_admin(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "accounts.manage_roles")
    person = get_object_or_404(User, pk=pk, is_deleted=False)
    value = request.POST.get("value") == "1"
    if person.pk == request.user.pk and not value:
        messages.error(
            request, _("Vous ne pouvez pas retirer vos propres droits : demandez-le à un autre administrateur.")
        )
        return redirect("backoffice:user_detail", pk=person.pk)
    try:
        org_admin_set(actor=actor(request), user=person, value=value)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("backoffice:user_detail", pk=person.pk)
    if value:
        messages.success(
            request, _("%(name)s est maintenant administrateur de l'organisation.") % {"name": person.pseudonym}
        )
    else:
        messages.success(
            request, _("%(name)s n'est plus administrateur de l'organisation.") % {"name": person.pseudonym}
        )
    return redirect("backoffice:user_detail", pk=person.pk)
