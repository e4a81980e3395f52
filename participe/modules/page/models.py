from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.models import RichTextField, TimeStampedModel


class PageContent(TimeStampedModel):
    """The rich text of a page module."""

    module = models.OneToOneField("spaces.Module", on_delete=models.CASCADE, related_name="page_content")
    body = RichTextField(_("contenu"), blank=True)

    class Meta:
        verbose_name = _("contenu de page")

    def __str__(self) -> str:
        return str(self.module)
