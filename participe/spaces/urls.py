from django.urls import URLPattern, URLResolver, include, path

from participe.core.registry import registry
from participe.spaces import views

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
    if manifest.urls:
        urlpatterns.append(path("<slug:slug>/<slug:module_slug>/", include((manifest.urls, manifest.key))))
