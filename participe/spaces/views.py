from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET

from participe.core.pagination import keyset_paginate
from participe.organisation.models import Territory, Theme
from participe.spaces import selectors
from participe.spaces.http import require_visible
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
            "open_actions": selectors.open_actions(request.user),
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


def _visible_space(request: HttpRequest, slug: str) -> Space:
    """The space, if the user may see it (else the platform's refusal: login, 404 or 403)."""
    space = get_object_or_404(Space, slug=slug)
    require_visible(request, "spaces.view_space", space)
    return space


def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = _visible_space(request, slug)
    return render(request, "spaces/space_detail.html", {"space": space, **selectors.space_detail(space)})


def module_detail(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    space = _visible_space(request, slug)
    module = get_object_or_404(Module.objects.prefetch_related("phases"), space=space, slug=module_slug)
    require_visible(request, "spaces.view_module", module)
    manifest = module.manifest
    if manifest is None or manifest.detail_view is None:
        raise Http404
    view = import_string(manifest.detail_view)
    return view(request, module)  # type: ignore[no-any-return]


def news_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    space = _visible_space(request, slug)
    post = get_object_or_404(space.news, pk=pk)
    return render(request, "spaces/news_detail.html", {"space": space, "post": post})
