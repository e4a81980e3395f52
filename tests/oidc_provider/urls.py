from django.contrib.auth import views as auth_views
from django.urls import include, path
from oauth2_provider import urls as oauth2_urls
from oauth2_provider.views import UserInfoView

from tests.oidc_provider.views import SignedUserInfoView

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("o/userinfo/", SignedUserInfoView.as_view(), name="signed-userinfo"),  # before DOT's own
    path("o/userinfo-json/", UserInfoView.as_view(), name="json-userinfo"),  # a provider that does not sign
    path("o/", include(oauth2_urls)),
]
