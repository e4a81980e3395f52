from django.urls import path

from participe.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.account, name="account"),
    path("<str:provider>/connexion/", views.start, name="start"),
    path("<str:provider>/retour/", views.callback, name="callback"),
    path("<str:provider>/delier/", views.unlink, name="unlink"),
    path("franceconnect/inscription/", views.signup, name="signup"),
    path("deconnexion/", views.logged_out, name="logged_out"),
]
