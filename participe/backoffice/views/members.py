"""Members and roles of a space."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.accounts.selectors import users_search
from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import SearchForm
from participe.backoffice.forms.spaces import MemberAddForm
from participe.backoffice.views.common import actor, space_context
from participe.spaces import services
from participe.spaces.models import Space, SpaceMembership

SEARCH_LIMIT = 20


def _members_page(request: HttpRequest, space: Space, form: MemberAddForm) -> HttpResponse:
    search = SearchForm(request.GET or None)
    results = users_search(search.cleaned_data["q"])[:SEARCH_LIMIT] if search.is_valid() else []
    memberships = space.memberships.select_related("user").order_by("role", "user__last_name", "user__pseudonym")
    context = space_context(request, space) | {
        "form": form,
        "search": search,
        "results": results,
        "memberships": memberships,
        "roles": SpaceMembership.Role.choices,
    }
    return render(request, "backoffice/member_list.html", context)


@staff_required
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.manage_members", space)
    return _members_page(request, space, MemberAddForm())


@staff_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.manage_members", space)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _members_page(request, space, form)
    user, role = form.cleaned_data["user"], form.cleaned_data["role"]
    services.membership_add(actor=actor(request), space=space, user=user, role=role)
    messages.success(
        request,
        _("%(name)s a maintenant le rôle « %(role)s » dans cet espace.")
        % {"name": user.full_name or user.pseudonym, "role": SpaceMembership.Role(role).label},
    )
    return redirect("backoffice:members", pk=space.pk)


@staff_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(SpaceMembership.objects.select_related("space", "user"), pk=pk)
    require_perm(request, "spaces.manage_members", membership.space)
    try:
        services.membership_remove(actor=actor(request), membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s n'a plus le rôle « %(role)s » dans cet espace.")
            % {"name": membership.user.full_name or membership.user.pseudonym, "role": membership.get_role_display()},
        )
    return redirect("backoffice:members", pk=membership.space_id)
