from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "participe.api"
    label = "api"
    verbose_name = "API"
