"""Shared pieces of the back-office forms."""

from __future__ import annotations

import copy
import json
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.accounts.selectors import user_by_identifier
from participe.core import pictures
from participe.core.uploads import clean_image
from participe.core.widgets import KEPT_SUFFIX, KeptImageInput, limit_length

M = TypeVar("M", bound=models.Model)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def detached(instance: M) -> M:
    """A copy of ``instance`` for a ModelForm to write into, so the service still sees the values before."""
    return copy.copy(instance)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateTimeLocalField(forms.DateTimeField):
    widget = DateTimeLocalInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"])
        kwargs.setdefault("help_text", _("Date et heure, par exemple 14/07/2025 18:30."))
        super().__init__(**kwargs)


def _model_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class ServiceModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose cleaned data is handed to a service instead of being saved by the form."""

    image_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("instance") is not None:
            kwargs["instance"] = detached(kwargs["instance"])
        super().__init__(*args, **kwargs)
        for name in self.image_fields:
            if name in self.fields:
                widget = KeptImageInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"})
                widget.is_required = self.fields[name].required
                self.fields[name].widget = widget
        for name, field in self.fields.items():  # a TEXT column's field gets a limit too (docs/security.md)
            if isinstance(_model_field(self._meta.model, name), models.TextField):
                limit_length(field, settings.PARTICIPE_TEXT_MAX_LENGTH)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        for name in self.image_fields:
            value = self.cleaned_data.get(name)
            if isinstance(value, UploadedFile) and not isinstance(value, pictures.KeptPicture):
                try:
                    self.cleaned_data[name] = clean_image(value)
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def keep_pictures(self) -> None:
        """The form comes back with errors: keep each new picture it received (checked and re-encoded already) on
        the server, named by a signed token the form carries, so that nobody has to choose it again."""
        for name in self.image_fields:
            value = getattr(self, "cleaned_data", {}).get(name)
            if not isinstance(value, UploadedFile):
                continue
            if not isinstance(value, pictures.KeptPicture):
                token = pictures.keep(value)
                data = self.data.copy()
                data[self.add_prefix(name) + KEPT_SUFFIX] = token
                files = self.files.copy()
                files.pop(self.add_prefix(name), None)
                self.data, self.files = data, files
                value = pictures.kept(token)
            # A file input never shows what was sent: the kept picture is shown as the field's value instead.
            self.initial[name] = value
            self[name].__dict__.pop("initial", None)

    def service_data(self) -> dict[str, Any]:
        """Cleaned data ready for a service: file fields left out when unchanged, "" when cleared."""
        data = dict(self.cleaned_data)
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField) and name in data:
                value = data[name]
                if value is False:
                    data[name] = ""
                elif not isinstance(value, UploadedFile):
                    data.pop(name)
        return data


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def to_json(values: dict[str, Any]) -> dict[str, Any]:
    """Cleaned data of a settings form as JSON-able values (model instances by primary key)."""

    def plain(value: Any) -> Any:
        if isinstance(value, models.Model):
            return value.pk
        if isinstance(value, models.QuerySet):
            return [obj.pk for obj in value]
        return value

    return json.loads(json.dumps({k: plain(v) for k, v in values.items()}, cls=DjangoJSONEncoder))  # type: ignore[no-any-return]


class UserIdentifierField(forms.CharField):
    """An account typed by its email or pseudonym; the view resolves it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Adresse électronique ou pseudonyme"))
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)


class IdentifiedUserForm(forms.Form):
    """A form naming one account by email or pseudonym; ``cleaned_data["user"]`` is the account found."""

    identifier = UserIdentifierField()

    def clean_identifier(self) -> str:
        identifier: str = self.cleaned_data["identifier"]
        user = user_by_identifier(identifier)
        if user is None:
            raise ValidationError(
                _("Aucun compte n'a cette adresse électronique ou ce pseudonyme. Recherchez la personne ci-dessous."),
                code="unknown_user",
            )
        self.cleaned_data["user"] = user
        return identifier


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher une personne"),
        required=False,
        max_length=100,
        help_text=_("Adresse électronique, pseudonyme, prénom ou nom."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ConfirmForm(forms.Form):
    """An empty form: the confirmation pages only need the CSRF token."""
