from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language

from participe.api.api import api
from participe.spaces import views as space_views

urlpatterns = [
    path("", space_views.home, name="home"),
    path("demarches/", include("participe.spaces.urls")),
    path("compte/", include("allauth.urls")),
    path("compte/", include("participe.accounts.urls")),
    path("verification/", include("participe.verifications.urls")),
    path("gestion/", include("participe.backoffice.urls")),
    path("api/v1/", api.urls),
    path("langue/", set_language, name="set_language"),
    path("", include("participe.organisation.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.views.static import serve

    # Media is served by the application only when no front server does it (see docs/deployment.md).
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
