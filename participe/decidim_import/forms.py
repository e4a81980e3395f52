"""The upload of a Decidim archive in the back-office."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.decidim_import.reader import MAX_ARCHIVE_BYTES


class ArchiveForm(forms.Form):
    archive = forms.FileField(
        label=_("Archive des données ouvertes Decidim (ZIP)"),
        help_text=_(
            "Le fichier que donne « Télécharger les données ouvertes » en bas des pages de l'instance Decidim "
            "(adresse /open-data/download), 50 Mo au plus. Rien n'est importé avant votre confirmation."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self) -> object:
        archive = self.cleaned_data["archive"]
        if archive.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(_("L'archive dépasse 50 Mo."))
        return archive
