from django.db import transaction

from participe.accounts.models import User
from participe.activity.services import audit
from participe.modules.page.models import PageContent
from participe.spaces.models import Module


@transaction.atomic
def page_update(*, actor: User, module: Module, body: str) -> PageContent:
    content, _created = PageContent.objects.select_for_update().get_or_create(module=module)
    before = {"body": content.body}
    content.body = body
    content.save()
    audit(actor=actor, action="page.update", target=module, before=before, after={"body": content.body})
    return content
