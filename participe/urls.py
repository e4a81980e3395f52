import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import set_language

from participe.api.api import api
from participe.core.media import public_media
from participe.spaces import views as space_views
from participe.spaces.http import permission_denied
from participe.spaces.urls import organisation_patterns

# Refusals: the login page for a visitor of a private space, else the 403 page with the reasons (permissions.http).
handler403 = permission_denied

urlpatterns = [
    path("", space_views.home, name="home"),
    path("demarches/", include("participe.spaces.urls")),
    path("compte/identite/", include("participe.identity.urls")),
    path("compte/", include("allauth.urls")),
    path("compte/", include("participe.accounts.urls")),
    path("compte/mes-donnees/", include("participe.dataright.urls")),
    path("verification/", include("participe.verifications.urls")),
    path("gestion/moderation/", include("participe.moderation.backoffice.urls")),
    path("gestion/messages/", include("participe.notifications.backoffice.urls")),
    path("gestion/file-d-attente/", include("participe.assignments.backoffice.urls")),
    path("gestion/scrutins/", include("participe.ballots.backoffice.urls")),
    path("gestion/engagements/", include("participe.commitments.backoffice.urls")),
    path("gestion/syntheses/", include("participe.synthesis.backoffice.urls")),
    path("gestion/bilans/", include("participe.restitution.backoffice.urls")),
    path("gestion/statistiques/", include("participe.audience.urls")),
    path("gestion/import-decidim/", include("participe.decidim_import.urls")),
    path("gestion/", include("participe.backoffice.urls")),
    path("commentaires/", include("participe.comments.urls")),
    path("soutiens/", include("participe.supports.urls")),
    path("notifications/", include("participe.notifications.urls")),
    path("moderation/", include("participe.moderation.urls")),
    path("recherche/", include("participe.search.urls")),
    path("pieces-jointes/", include("participe.attachments.urls")),
    path("scrutins/", include("participe.ballots.urls")),
    path("engagements/", include("participe.commitments.urls")),
    path("syntheses/", include("participe.synthesis.urls")),
    path("bilans/", include("participe.restitution.urls")),
    path("api/v1/", api.urls),
    path("donnees-ouvertes/", include("participe.opendata.urls")),
    # Open311 GeoReport v2 (signalements): its clients expect this address, beside the API.
    path("open311/v2/", include("participe.modules.signalements.open311.urls")),
    # The organisation's agenda and its iCalendar feeds (/agenda/, /agenda.ics): every meetings module (decision 0023).
    path("", include("participe.modules.meetings.agenda_urls")),
    path("langue/", set_language, name="set_language"),
    path("plan-du-site/", space_views.sitemap, name="sitemap"),
    path("", include("participe.organisation.urls")),
]

# The organisation-wide modules at their own addresses (/signalements/, /agenda/…), after the platform's routes: a
# module's path that a platform route already takes is reported by the start-up checks.
urlpatterns += organisation_patterns()

# Media is served by the application when no front server does it (see docs/deployment.md), except attachments,
# which go through their permission-checked view.
MEDIA_PREFIX = re.escape(settings.MEDIA_URL.lstrip("/"))
urlpatterns += [re_path(rf"^{MEDIA_PREFIX}(?P<path>.*)$", public_media)]
