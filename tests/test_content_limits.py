"""Length limits on what people write (issue #19, finding 7): in the form, with the limit said beside the field,
and in the service, so that the API and the pages refuse alike, keeping what was typed."""

from __future__ import annotations

import html

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from participe.backoffice.forms.organisation import ThemeForm
from participe.core.widgets import RichTextarea
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services.proposals import proposal_create
from participe.modules.proposals.tests.factories import ProposalModuleFactory
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def create_url(module) -> str:
    return reverse("spaces:proposals:create", kwargs={"slug": module.space.slug, "module_slug": module.slug})


def test_the_proposal_form_says_its_limit_and_keeps_what_was_typed_when_it_is_passed(client):
    module = ProposalModuleFactory(settings={"location_required": False})
    client.force_login(UserFactory())
    page = html.unescape(client.get(create_url(module)).content.decode())
    assert f"10{NBSP}000 caractères au plus." in page and 'maxlength="10000"' in page
    assert "200 caractères au plus." in page  # the title

    too_long = "<p>" + "Très long. " * 1000 + "</p>"
    data = {"title": "Des bancs place du Marché", "body": too_long, "action": "publish"}
    response = client.post(create_url(module), data)

    assert response.status_code == 400  # the form again, with its errors
    page = html.unescape(response.content.decode())
    assert "au plus 10000 caractères" in page or f"au plus 10{NBSP}000 caractères" in page
    assert "Des bancs place du Marché" in page and "Très long. Très long." in page
    assert not Proposal.objects.exists()


def test_the_service_refuses_a_description_too_long_whatever_calls_it():
    module = ProposalModuleFactory(settings={"location_required": False})
    with pytest.raises(ValidationError) as refused:
        proposal_create(
            actor=UserFactory(), module=module, data={"title": "Une idée de bancs", "body": "x" * 10_001}, publish=False
        )
    assert "10000 au plus" in str(refused.value.message_dict["body"]) or "au plus" in str(refused.value)
    assert not Proposal.objects.exists()


def test_the_comment_form_says_its_limit(client):
    item = ItemFactory()
    content_type = ContentType.objects.get_for_model(item)
    client.force_login(UserFactory())
    page = html.unescape(client.get(f"/commentaires/{content_type.pk}/{item.pk}/").content.decode())
    assert f"5{NBSP}000 caractères au plus." in page


def test_a_back_office_form_of_a_text_column_gets_a_limit():
    field = ThemeForm().fields["description"]
    assert field.max_length == 10_000 and field.widget.attrs["maxlength"] == "10000"


def every_form_class() -> list[type[forms.BaseForm]]:
    import importlib
    import pkgutil

    import participe

    for found in pkgutil.walk_packages(participe.__path__, "participe."):
        last = found.name.rsplit(".", 1)[-1]
        if ".tests" not in found.name and "harness" not in found.name and (last == "forms" or ".forms." in found.name):
            importlib.import_module(found.name)

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    return [c for c in set(subclasses(forms.BaseForm)) if c.__module__.startswith("participe.")]


# Fields whose limit is set when the form is built (from a setting, or by the back-office's ModelForm base for a TEXT
# column), or that are not free text a person writes (GeoJSON pasted, with the back-office's 10 MB body limit).
SET_AT_INIT = {
    ("CommentForm", "body"),
    ("CommentEditForm", "body"),
    ("PhaseForm", "description"),
    ("OrganisationForm", "contact_address"),
    ("OrganisationForm", "a11y_contact"),
    ("ThemeForm", "description"),
    ("TerritoryForm", "boundary_text"),
    ("SignupForm", "username"),  # allauth's, not shown: the login is the email
}


def test_every_text_field_of_every_form_has_a_limit():
    missing = []
    for form_class in every_form_class():
        for name, field in form_class.base_fields.items():
            if type(field) is not forms.CharField or (form_class.__name__, name) in SET_AT_INIT:
                continue
            if isinstance(field.widget, forms.Textarea | RichTextarea | forms.TextInput) and not field.max_length:
                missing.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert missing == []
