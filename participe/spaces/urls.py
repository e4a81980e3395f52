from typing import Any

from django.urls import URLPattern, URLResolver, include, path, reverse

from participe.core.registry import registry
from participe.spaces import views
from participe.spaces.models import ORGANISATION_SPACE_SLUG, Module, Space

app_name = "spaces"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.space_list, name="list"),
    path("<slug:slug>/", views.space_detail, name="detail"),
    path("<slug:slug>/actualites/<int:pk>/", views.news_detail, name="news"),
    path("<slug:slug>/<slug:module_slug>/", views.module_detail, name="module"),
]

# Each module's public pages, declared in its manifest, live under the module's own address; their views
# receive ``slug`` (the space) and ``module_slug``. URL names are namespaced by the module key.
for manifest in registry.all():
    if manifest.urls and not manifest.is_organisation_wide:
        urlpatterns.append(path("<slug:slug>/<slug:module_slug>/", include((manifest.urls, manifest.key))))


def module_reverse(module: Module, name: str, **kwargs: Any) -> str:
    """The address of the page ``name`` of ``module``'s own URLs, wherever the module is served: under its space
    (``/demarches/<space>/<module>/…``) or, for an organisation-wide module, at its own path (``/signalements/…``).
    Modules reverse their pages with it rather than naming the ``spaces:`` namespace."""
    manifest = module.manifest
    if manifest is not None and manifest.is_organisation_wide and module.space.kind == Space.Kind.ORGANISATION:
        return reverse(f"{manifest.key}:{name}", kwargs=kwargs)
    return reverse(
        f"spaces:{module.module_type}:{name}", kwargs={"slug": module.space.slug, "module_slug": module.slug, **kwargs}
    )


def organisation_patterns() -> list[URLPattern | URLResolver]:
    """Each organisation-wide module at ``/<organisation_path>/`` (decision 0010): its page, named
    ``organisation_module_<key>``, and its own URLs, namespaced by its key. Their views receive ``slug`` (the
    organisation's permanent space) and ``module_slug`` (the path) like any module's."""
    found: list[URLPattern | URLResolver] = []
    for manifest in registry.organisation_wide():
        prefix = manifest.organisation_path
        kwargs = {"slug": ORGANISATION_SPACE_SLUG, "module_slug": prefix}
        found.append(path(f"{prefix}/", views.module_detail, kwargs, name=f"organisation_module_{manifest.key}"))
        if manifest.urls:
            found.append(path(f"{prefix}/", include((manifest.urls, manifest.key)), kwargs))
    return found
