from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from participe.accounts.hooks import register_eraser, register_personal_data


class OrganisationConfig(AppConfig):
    name = "participe.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from participe.organisation import (
            personal_data,
            services,  # it imports models: only once the registry of apps is ready
        )

        post_migrate.connect(_sync_site_after_migrate, sender=self)
        register_eraser("organisation", services.erase_account_data)
        register_personal_data("organisation", personal_data.personal_data)


def _sync_site_after_migrate(**kwargs: object) -> None:
    from participe.organisation.models import Organisation, sync_site

    organisation = Organisation.objects.filter(pk=1).first()
    sync_site(organisation.name if organisation else None)
