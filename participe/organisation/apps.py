from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "participe.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_sync_site_after_migrate, sender=self)


def _sync_site_after_migrate(**kwargs: object) -> None:
    from participe.organisation.models import Organisation, sync_site

    organisation = Organisation.objects.filter(pk=1).first()
    sync_site(organisation.name if organisation else None)
