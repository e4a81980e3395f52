"""Public pages of the ballot service, under /scrutins/: checking a receipt, downloading the tally file."""

from django.urls import path

from participe.ballots import views

app_name = "ballots"
urlpatterns = [
    path("<int:pk>/recu/", views.receipt_check, name="receipt"),
    path("<int:pk>/depouillement.json", views.tally_file, name="tally"),
]
