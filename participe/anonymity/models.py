"""Abstract bases of the two tables a consumer of the mixer declares (see ``participe.anonymity.mixing``)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class StagedEntry(models.Model):
    """What a person gave, waiting to be mixed: written in the same transaction as the record that they took part.

    It carries no time, no person and no reference to that record; its only links to it are physical (the
    transaction id ``xmin`` and the insertion order), which is why it is moved away in shuffled batches and deleted.
    Declare no index on what it holds (an index keeps the values with the row's position, in insertion order).
    """

    class Meta:
        abstract = True


class MixedEntry(models.Model):
    """What a person gave, once mixed: a random id and the day of its batch, nothing finer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    day = models.DateField(_("jour"))

    class Meta:
        abstract = True
