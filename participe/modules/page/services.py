"""Writes of the page module: its text.

A service takes the ``actor`` first and checks the actor's permission itself, with ``require`` (the page, the API and
any command get the same refusal, with its reasons); it writes in a transaction and records the change in the audit
log.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.modules.page.models import PageContent
from participe.permissions.refusals import Reason, require
from participe.spaces.models import Module

NOT_STAFF = Reason("not_space_staff", _("Seule l'équipe de la démarche peut rédiger cette page."))


@transaction.atomic
def page_update(*, actor: User, module: Module, body: str) -> PageContent:
    """Replace the text of the page ``module`` by ``body`` (its field sanitises the HTML) and log the change.

    Raises ``Refused`` unless ``actor`` may change the page (``page.change_page``: the staff of the space). The row
    lock makes two editors saving at once write one after the other, each audit entry with the text it replaced.
    """
    require(actor, "page.change_page", module, reason=NOT_STAFF)
    content, _created = PageContent.objects.select_for_update().get_or_create(module=module)
    before = {"body": content.body}
    content.body = body
    content.save()
    audit(actor=actor, action="page.update", target=module, before=before, after={"body": content.body})
    return content
