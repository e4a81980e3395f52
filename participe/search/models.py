"""The search index: one row per searchable thing (a space, a news post, a module's resource)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.models import ModerationStatus

if TYPE_CHECKING:
    from participe.organisation.models import Territory, Theme


class SearchEntry(models.Model):
    """What search needs to know about one object, denormalised so that a query reads one table.

    The full-text part lives beside it and is kept in step by ``services.index_object``: on PostgreSQL a
    generated ``tsvector`` column (French configuration with unaccent, GIN index), on SQLite an FTS5 table
    ``search_fts`` whose rowid is this row's id (see the migrations).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("type"), max_length=100, db_index=True)  # "app_label.model", the type filter
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey("spaces.Module", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True)
    url = models.CharField(_("adresse"), max_length=500)
    date = models.DateTimeField(_("date"), db_index=True)
    # Visibility, copied from the space and the module so that no join is needed to filter it out.
    space_status = models.CharField(max_length=10, blank=True)
    space_public = models.BooleanField(default=True)
    module_published = models.BooleanField(default=True)
    moderation_status = models.CharField(max_length=10, default=ModerationStatus.PUBLISHED)
    territories: models.ManyToManyField[Territory, SearchEntryTerritory] = models.ManyToManyField(
        "organisation.Territory", through="SearchEntryTerritory", related_name="+", blank=True
    )
    themes: models.ManyToManyField[Theme, SearchEntryTheme] = models.ManyToManyField(
        "organisation.Theme", through="SearchEntryTheme", related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("entrée de l'index de recherche")
        verbose_name_plural = _("entrées de l'index de recherche")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_search_entry")]
        indexes = [
            models.Index(
                fields=["space_status", "space_public", "moderation_status", "date"], name="search_visible_idx"
            ),
            models.Index(fields=["space", "date"], name="search_space_date_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class SearchEntryTerritory(models.Model):
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE)
    territory = models.ForeignKey("organisation.Territory", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "territory"], name="unique_search_entry_territory")]
        indexes = [models.Index(fields=["territory", "entry"], name="search_territory_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.territory_id}"


class SearchEntryTheme(models.Model):
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE)
    theme = models.ForeignKey("organisation.Theme", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "theme"], name="unique_search_entry_theme")]
        indexes = [models.Index(fields=["theme", "entry"], name="search_theme_idx")]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.theme_id}"
