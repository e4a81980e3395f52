from django.urls import include, path

from participe.backoffice import views
from participe.core.registry import registry

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("saisie-pour-un-habitant/terminer/", views.acting_stop, name="acting_stop"),
    path("modules/<int:pk>/", views.module_edit, name="module_edit"),
]

# Each module's own back-office pages, declared in its manifest.
for manifest in registry.all():
    if manifest.backoffice_urls:
        urlpatterns.append(path(f"m/{manifest.key}/", include(manifest.backoffice_urls)))
