"""The bilan of the space that holds the signalements counts its public reports (decision 0042): as contributions of
their kind, in the quartier they are about, by their channel (web, the API and Open311 are online), their reporters
as participants, each listed with the service's public status as its answer or « sans réponse ». Private categories
and reports waiting for their reporter's confirmation are not counted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from participe.modules.signalements import services
from participe.modules.signalements.models import Report, Status
from participe.modules.signalements.tests.factories import NORTH, SOUTH, make_world, report_data
from participe.restitution.selectors import bilan_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _reports(w):
    north_resident, south_resident = UserFactory(territory=w.north), UserFactory(territory=w.south)
    unanswered = services.report_create(actor=north_resident, module=w.module, data=report_data(w.pothole, NORTH))
    answered = services.report_create(
        actor=south_resident, module=w.module, source="api",
        data=report_data(w.lamp, SOUTH, title="Lampadaire éteint", answers={"allumee": "non"}),
    )  # fmt: skip
    services.report_update(actor=w.agent, report=answered, status=Status.ACKNOWLEDGED, text="Une équipe passe jeudi.")
    # Not counted: a private category's report, and a visitor's waiting for the confirmation link.
    services.report_create(actor=north_resident, module=w.module, data=report_data(w.unsafe, NORTH, title="Danger"))
    services.report_create(
        actor=AnonymousUser(), module=w.module,
        data=report_data(w.pothole, SOUTH, title="Non confirmé", reporter_name="Léa", reporter_email="lea@example.org"),
    )  # fmt: skip
    return unanswered, answered


def test_the_bilan_counts_public_signalements_by_kind_territory_and_channel():
    w = make_world()
    _reports(w)
    report = bilan_of(w.module.space, AnonymousUser())
    figures = report.figures
    assert {k.label: k.count for k in figures.kinds} == {"signalements": 2}
    assert figures.participants == 2 and figures.contributions == 2
    by_territory = {row.territory.name if row.territory else None: row.contributions for row in figures.territories}
    assert by_territory["Nord"] == 1 and by_territory["Sud"] == 1
    assert {c.key: c.contributions for c in figures.channels}["online"] == 2
    assert "phone" not in {c.key for c in figures.channels}  # no call recorded: the row is not shown


def test_each_signalement_is_listed_with_its_public_status_as_its_answer(client):
    w = make_world()
    unanswered, answered = _reports(w)
    report = bilan_of(w.module.space, AnonymousUser())
    assert (report.answered, report.unanswered) == (1, 1)
    (group,) = report.contributions[0].groups
    listed = {c.item.pk: c for c in group.contributions}
    assert set(listed) == {unanswered.pk, answered.pk}
    assert listed[answered.pk].answered and listed[answered.pk].answer == "pris en compte"
    assert listed[unanswered.pk].answerable and not listed[unanswered.pk].answered

    page = client.get(reverse("restitution:bilan", args=[w.module.space.slug]) + "?sans-reponse=1")
    assert page.status_code == 404  # a draft bilan: its staff's
    client.force_login(w.admin)
    text = client.get(reverse("restitution:bilan", args=[w.module.space.slug]) + "?sans-reponse=1").content.decode()
    assert unanswered.title in text and "Lampadaire éteint" not in text


def test_channels_recorded_by_a_report_are_counted_as_such():
    w = make_world()
    unanswered, answered = _reports(w)
    Report.objects.filter(pk=unanswered.pk).update(source="phone")
    Report.objects.filter(pk=answered.pk).update(source="counter")
    channels = {c.key: c.contributions for c in bilan_of(w.module.space, AnonymousUser()).figures.channels}
    assert (channels["phone"], channels["agent"], channels["online"]) == (1, 1, 0)
