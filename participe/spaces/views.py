from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from participe.core.pagination import keyset_paginate
from participe.organisation.models import Territory, Theme
from participe.spaces import selectors
from participe.spaces.models import Module, Space


def home(request: HttpRequest) -> HttpResponse:
    visible = selectors.spaces_visible_to(request.user)
    current = selectors.with_list_data(selectors.filter_spaces(visible, timing="ongoing", kind=Space.Kind.PROCESS))[:6]
    assemblies = visible.filter(kind=Space.Kind.ASSEMBLY).exclude(status=Space.Status.ARCHIVED)[:4]
    return render(
        request,
        "spaces/home.html",
        {
            "current_spaces": current,
            "assemblies": assemblies,
            "open_phases": selectors.open_phases(request.user),
            "deadlines": selectors.next_deadlines(request.user),
        },
    )


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """ "Plan du site": a second way to find every page (RGAA criterion 12.1)."""
    spaces = selectors.spaces_visible_to(request.user).prefetch_related("modules").order_by("kind", "title")
    return render(request, "spaces/sitemap.html", {"spaces": spaces})


def space_list(request: HttpRequest) -> HttpResponse:
    timing = request.GET.get("quand") or None
    if timing not in selectors.TIMINGS:
        timing = None
    territory = Territory.objects.filter(slug=request.GET.get("territoire") or "").first()
    theme = request.GET.get("theme") or None
    kind = request.GET.get("type") or None
    qs = selectors.filter_spaces(
        selectors.spaces_visible_to(request.user), timing=timing, territory=territory, theme_slug=theme, kind=kind
    )
    page = keyset_paginate(
        selectors.with_list_data(qs), ordering=("-start_date", "-pk"), cursor=request.GET.get("apres"), size=12
    )
    context = {
        "page": page,
        "timing": timing,
        "territory": territory,
        "theme": theme,
        "kind": kind,
        "territories": Territory.objects.all(),
        "themes": Theme.objects.all(),
        "kinds": Space.Kind.choices,
    }
    template = "spaces/partials/_space_results.html" if request.htmx else "spaces/space_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


class LoginRequired(Exception):
    pass


def _visible_space(request: HttpRequest, slug: str) -> Space:
    """The space, if the user may see it: drafts are 404, private spaces 403 (or login for visitors)."""
    space = get_object_or_404(Space, slug=slug)
    if not request.user.has_perm("spaces.view_space", space):
        if space.status == Space.Status.DRAFT or space.is_public:
            raise Http404
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied
    return space


def _login_for_private(view):  # type: ignore[no-untyped-def]
    """Visitors asking for a private space are sent to the login page, then back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]
        except LoginRequired:
            return redirect_to_login(request.get_full_path())

    return wrapped


@_login_for_private
def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = _visible_space(request, slug)
    return render(request, "spaces/space_detail.html", {"space": space, **selectors.space_detail(space)})


@_login_for_private
def module_detail(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    space = _visible_space(request, slug)
    module = get_object_or_404(Module.objects.prefetch_related("phases"), space=space, slug=module_slug)
    if not request.user.has_perm("spaces.view_module", module):
        raise Http404
    manifest = module.manifest
    if manifest is None or manifest.detail_view is None:
        raise Http404
    view = import_string(manifest.detail_view)
    return view(request, module)  # type: ignore[no-any-return]


@_login_for_private
def news_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space = _visible_space(request, slug)
    post = get_object_or_404(space.news, pk=pk)
    return render(request, "spaces/news_detail.html", {"space": space, "post": post})
