from django.conf import settings
from django.db import models
from django.urls import reverse

from participe.core.models import InteractiveModel, TimeStampedModel


class Item(InteractiveModel, TimeStampedModel):
    """The smallest resource that follows the protocol of docs/decisions/0006."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.module.get_absolute_url()}#item-{self.pk}"

    def get_backoffice_url(self) -> str:
        return f"{reverse('backoffice:module_edit', args=[self.module_id])}#item-{self.pk}"
