"""Abstract base models shared by the platform and the modules."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.sanitize import sanitize_html


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class RichTextField(models.TextField):
    """A TextField whose HTML is sanitised every time it is saved."""

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        from participe.core.widgets import RICH_TEXT_HELP, RichTextarea

        kwargs.setdefault("widget", RichTextarea)
        field = super().formfield(form_class=form_class, choices_form_class=choices_form_class, **kwargs)
        if field is not None and not field.help_text:
            field.help_text = RICH_TEXT_HELP
        return field

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
