from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from participe.accounts.models import User
from participe.accounts.services import deletion_proof_errors, deletion_proof_fields
from participe.core.sanitize import single_line


def validate_pseudonym_free(value: str, exclude_pk: int | None = None) -> None:
    qs = User.objects.filter(pseudonym__iexact=value)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise forms.ValidationError(_("Ce pseudonyme est déjà pris : choisissez-en un autre."))


class SignupForm(AllauthSignupForm):
    pseudonym = forms.CharField(
        label=_("Pseudonyme"),
        max_length=60,
        help_text=_("Vos contributions seront publiées sous ce nom. Vous pouvez rester anonyme."),
    )
    accept_terms = forms.BooleanField(
        label=_("J'ai lu la politique de données personnelles et j'accepte les conditions d'utilisation"),
        required=True,
    )

    field_order = ["email", "pseudonym", "password1", "password2", "accept_terms"]

    def clean_pseudonym(self) -> str:
        value = single_line(self.cleaned_data["pseudonym"])  # no bidirectional controls (issue #19, finding 8)
        validate_pseudonym_free(value)
        return value


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["pseudonym", "first_name", "last_name", "show_real_name", "territory", "phone", "email_frequency"]
        widgets = {"email_frequency": forms.RadioSelect}
        help_texts = {
            "first_name": _("Facultatif. Jamais publié, sauf si vous le choisissez ci-dessous."),
            "last_name": _("Facultatif."),
            "territory": _("Votre quartier ou votre commune : il sert à vous montrer ce qui vous concerne."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].empty_label = _("— Non précisé —")

    def clean_pseudonym(self) -> str:
        value = single_line(self.cleaned_data["pseudonym"])
        validate_pseudonym_free(value, exclude_pk=self.instance.pk)
        return value


class AccountDeleteForm(forms.Form):
    """Deleting one's account asks who one is: the password, and a fresh code of the second factor for an account
    that has one (every staff member's) — a session left open is not enough (docs/security.md)."""

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code de votre application d'authentification"),
        max_length=64,
        help_text=_("Le code à 6 chiffres qu'elle affiche maintenant, ou un code de récupération."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    confirm = forms.CharField(
        label=_("Pour confirmer, tapez SUPPRIMER"),
        max_length=20,
        help_text=_("Vos contributions resteront publiées sous le nom « participant supprimé »."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        wants_password, wants_code = deletion_proof_fields(user)
        if not wants_password:
            del self.fields["password"]
        if not wants_code:
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned  # a missing field is said beside it; a code is not spent on a form that fails anyway
        errors = deletion_proof_errors(self.user, password=cleaned.get("password", ""), code=cleaned.get("code", ""))
        for name, message in errors.items():
            self.add_error(name, message)
        return cleaned

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"]
        if value.strip().upper() != "SUPPRIMER":
            raise forms.ValidationError(_("Tapez le mot SUPPRIMER pour confirmer la suppression."))
        return value
