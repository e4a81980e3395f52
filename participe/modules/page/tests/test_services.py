"""Writing a page: the text is saved sanitised, the change is in the audit log, the actor is checked first."""

from __future__ import annotations

import pytest

from participe.activity.models import AuditEntry
from participe.modules.page.models import PageContent
from participe.modules.page.services import page_update
from participe.modules.page.tests.factories import PageContentFactory, PageModuleFactory
from participe.permissions.refusals import Refused
from participe.spaces.models import SpaceMembership
from tests.factories import UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


def test_the_first_save_creates_the_text_and_logs_it():
    module = PageModuleFactory()
    admin = make_space_role(module.space, SpaceMembership.Role.ADMIN)
    content = page_update(actor=admin, module=module, body="<h2>Le calendrier</h2><p>Trois ateliers.</p>")
    assert PageContent.objects.get(module=module) == content
    assert content.body == "<h2>Le calendrier</h2><p>Trois ateliers.</p>"
    entry = AuditEntry.objects.get(action="page.update")
    assert (entry.actor, entry.target_id) == (admin, str(module.pk))
    assert (entry.before, entry.after) == ({"body": ""}, {"body": content.body})


def test_a_later_save_replaces_the_text_and_logs_what_it_replaced():
    content = PageContentFactory(body="<p>Ancien texte.</p>")
    page_update(actor=make_org_admin(), module=content.module, body="<p>Nouveau texte.</p>")
    content.refresh_from_db()
    assert content.body == "<p>Nouveau texte.</p>"
    assert PageContent.objects.filter(module=content.module).count() == 1
    entry = AuditEntry.objects.get(action="page.update")
    assert (entry.before, entry.after) == ({"body": "<p>Ancien texte.</p>"}, {"body": "<p>Nouveau texte.</p>"})


def test_the_text_is_sanitised():
    module = PageModuleFactory()
    content = page_update(
        actor=make_org_admin(), module=module, body='<p onclick="vol()">Bonjour</p><script>vol()</script>'
    )
    assert "script" not in content.body and "onclick" not in content.body and "Bonjour" in content.body


@pytest.mark.parametrize("who", ["resident", "moderator", "nobody"])
def test_someone_outside_the_staff_is_refused_with_the_reason_and_nothing_changes(who):
    content = PageContentFactory(body="<p>Le texte.</p>")
    actor = {
        "resident": UserFactory,
        "moderator": lambda: make_space_role(content.module.space, SpaceMembership.Role.MODERATOR),
        "nobody": lambda: None,
    }[who]()
    with pytest.raises(Refused) as refusal:
        page_update(actor=actor, module=content.module, body="<p>Piraté.</p>")
    assert refusal.value.codes == ["not_space_staff"]
    assert "équipe de la démarche" in str(refusal.value)
    content.refresh_from_db()
    assert content.body == "<p>Le texte.</p>"
    assert not AuditEntry.objects.filter(action="page.update").exists()
