from django.urls import path

from participe.dataright import views

app_name = "dataright"
urlpatterns = [
    path("", views.my_data, name="index"),
    path("etat/", views.status, name="status"),
    path("telecharger/<str:token>/", views.download, name="download"),
]
