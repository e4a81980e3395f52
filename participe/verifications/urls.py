from django.urls import path

from participe.verifications import views

app_name = "verifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("recensement/", views.census, name="census"),
]
