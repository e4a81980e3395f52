"""/open311/v2/: the Open311 GeoReport v2 server (docs/open311.md)."""

from django.urls import URLPattern, re_path

from participe.modules.signalements.open311 import views

FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns: list[URLPattern] = [
    re_path(r"^discovery" + FMT, views.discovery, name="open311_discovery"),
    re_path(r"^services" + FMT, views.service_list, name="open311_services"),
    re_path(r"^services/(?P<code>[-\w]+)" + FMT, views.service_definition, name="open311_service"),
    re_path(r"^requests" + FMT, views.requests, name="open311_requests"),
    re_path(r"^requests/(?P<request_id>[^/.]+)" + FMT, views.request_get, name="open311_request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, views.token, name="open311_token"),
]
