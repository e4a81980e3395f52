"""The audience counter's only table: counts per day, never a visitor (docs/statistics.md, decision 0036).

A row adds up, for one day, the page views and the visits of one thing measured: the whole site, a page (its path),
a space, a module, a referring domain or a class of device. A visit is a distinct visitor of that thing that day,
told apart by a hash of their address and browser salted with a secret of the day that is kept in memory or in the
cache only, never here: once the day is over, nobody (not even the platform) can tell whether two counts came from
the same person. Rows older than ``PARTICIPE_AUDIENCE_RETENTION_MONTHS`` (25 at most) are deleted by
``manage.py audience_purge``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    SITE = "site", _("site entier")
    PAGE = "page", _("page")
    SPACE = "space", _("espace participatif")
    MODULE = "module", _("module")
    REFERRER = "referrer", _("site d'origine")
    DEVICE = "device", _("type d'appareil")


class DailyCount(models.Model):
    """Page views and visits of one thing measured (``dimension`` and ``key``) on one day."""

    Dimension = Dimension

    day = models.DateField(_("jour"))
    dimension = models.CharField(_("mesure"), max_length=10, choices=Dimension.choices)
    # The path of a page, the id of a space or module, a referring domain, a class of device; "" for the site.
    key = models.CharField(_("clé"), max_length=255, blank=True)
    # The space and module a page (or a module) belongs to, when it does: set to NULL when they are deleted.
    space = models.ForeignKey("spaces.Space", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    module = models.ForeignKey("spaces.Module", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    views = models.PositiveIntegerField(_("pages vues"), default=0)
    visits = models.PositiveIntegerField(_("visites"), default=0)

    class Meta:
        verbose_name = _("compte journalier")
        verbose_name_plural = _("comptes journaliers")
        constraints = [models.UniqueConstraint(fields=["day", "dimension", "key"], name="audience_one_count_a_day")]
        indexes = [models.Index(fields=["dimension", "day"], name="audience_dimension_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension} {self.key}: {self.views}/{self.visits}"
