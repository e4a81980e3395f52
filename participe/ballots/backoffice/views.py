"""Back-office pages of the ballot service: an election's counts and acts (close, count, annul), its polling
stations, the émargement desk of a station and the double entry of paper batches. Everything works without
JavaScript; every act goes through a service, which checks the permission and writes the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor, confirm_action, space_context
from participe.ballots import identity, schemas, selectors, services
from participe.ballots.backoffice.forms import AnnulForm, BatchForm, StationForm, VoterForm
from participe.ballots.identity import PaperVoter
from participe.ballots.models import Election, PollingStation
from participe.ballots.services.paper import BLANK_CODE, NULL_CODE

MANAGE = "ballots.manage_election"
RUN = "ballots.run_station"


def _election(request: HttpRequest, pk: int) -> Election:
    election = get_object_or_404(Election.objects.select_related("module__space"), pk=pk)
    user = request.user
    runs_a_station = selectors.stations_run_by(user).filter(module=election.module).exists()
    if not (user.has_perm(MANAGE, election) or runs_a_station):
        raise Http404
    return election


def _station(request: HttpRequest, election: Election, station_pk: int) -> PollingStation:
    station = get_object_or_404(PollingStation, pk=station_pk, module=election.module)
    require_perm(request, RUN, station)
    return station


def _context(request: HttpRequest, election: Election, **extra: Any) -> dict[str, Any]:
    module = election.module
    return space_context(request, module.space) | {
        "module": module,
        "election": election,
        "can_manage": request.user.has_perm(MANAGE, election),
        **extra,
    }


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    """The elections the user manages, and those of the stations they run."""
    elections = [
        e
        for e in Election.objects.select_related("module__space").order_by("-pk")[:200]
        if request.user.has_perm(MANAGE, e)
    ]
    stations = list(selectors.stations_run_by(request.user).prefetch_related("module__elections"))
    return render(request, "ballots/backoffice/index.html", {"elections": elections, "stations": stations})


@staff_required
def election_page(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    lines = selectors.count_lines(election)
    stations = [
        (s, request.user.has_perm(RUN, s)) for s in selectors.stations_of(election.module).order_by("name", "pk")
    ]
    context = _context(
        request, election, lines=lines, stations=stations, differences=services.elections.differences(election)
    )
    return render(request, "ballots/backoffice/election.html", context)


@staff_required
def election_close(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    require_perm(request, MANAGE, election)
    back = reverse("ballots_backoffice:election", kwargs={"pk": pk})
    return confirm_action(
        request,
        action=lambda: services.election_close(actor=actor(request), election=election),
        title=_("Clore le scrutin"),
        question=_(
            "Clore « %(title)s » maintenant ? Plus aucun émargement ni vote en ligne ne sera accepté ; les lots de "
            "bulletins papier pourront encore être saisis avant le dépouillement."
        )
        % {"title": election.title},
        cancel_url=back,
        success_url=back,
        success_message=_("Le scrutin est clos."),
        button=_("Clore le scrutin"),
        context=_context(request, election),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def election_count(request: HttpRequest, pk: int) -> HttpResponse:
    """Count: refused with the difference per channel and station, else the results and the tally file."""
    election = _election(request, pk)
    require_perm(request, MANAGE, election)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.election_count(actor=actor(request), election=election)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request, _("Le scrutin est dépouillé : les résultats et le fichier de dépouillement sont publiés.")
            )
            return redirect("ballots_backoffice:election", pk=pk)
    context = _context(request, election, errors=errors, lines=selectors.count_lines(election))
    return render(request, "ballots/backoffice/count.html", context)


@staff_required
def election_annul(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    require_perm(request, MANAGE, election)
    form = AnnulForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_annul(actor=actor(request), election=election, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le scrutin est annulé ; le motif est publié."))
            return redirect("ballots_backoffice:election", pk=pk)
    return render(request, "ballots/backoffice/annul.html", _context(request, election, form=form))


def _station_form(request: HttpRequest, election: Election, station: PollingStation) -> HttpResponse:
    creating = station.pk is None
    form = StationForm(request.POST or None, instance=station)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("name", "place", "opening_hours", "territory")}
        try:
            services.station_save(
                actor=actor(request), station=station, data=data, agents=list(form.cleaned_data["agents"])
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Le bureau de vote est enregistré."))
            return redirect("ballots_backoffice:election", pk=election.pk)
    context = _context(request, election, form=form, station=None if creating else station)
    return render(request, "ballots/backoffice/station_form.html", context)


@staff_required
def station_create(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    require_perm(request, MANAGE, election)
    return _station_form(request, election, PollingStation(module=election.module))


@staff_required
def station_edit(request: HttpRequest, pk: int, station_pk: int) -> HttpResponse:
    election = _election(request, pk)
    require_perm(request, MANAGE, election)
    station = get_object_or_404(PollingStation, pk=station_pk, module=election.module)
    return _station_form(request, election, station)


def _paper_voter(form: VoterForm) -> PaperVoter | None:
    data = form.cleaned_data
    if data.get("user") is not None:
        return identity.from_account(data["user"])
    found = identity.find_in_census(data["last_name"], data["first_name"], data["birth_date"])
    if found is None and data.get("documents"):
        return identity.from_documents(data["last_name"], data["first_name"], data["birth_date"], data.get("territory"))
    return found


@staff_required
def station_desk(request: HttpRequest, pk: int, station_pk: int) -> HttpResponse:
    """The émargement desk: the agent finds the person and records that they vote here (their ballot goes in the
    urn; it is typed later, in a batch)."""
    election = _election(request, pk)
    station = _station(request, election, station_pk)
    form = VoterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _paper_voter(form)
        if person is None:
            form.add_error(
                None,
                _(
                    "Personne de ce nom, de ce prénom et de cette date de naissance dans le recensement. Vérifiez "
                    "l'orthographe ; sinon, vérifiez son identité et son domicile sur pièces et cochez la case."
                ),
            )
        else:
            try:
                services.roll_sign_paper(actor=actor(request), election=election, station=station, voter=person)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, _("Émargement enregistré : la personne peut déposer son bulletin dans l'urne.")
                )
                return redirect("ballots_backoffice:station", pk=pk, station_pk=station_pk)
    context = _context(
        request, election, station=station, form=form, progress=selectors.station_progress(election, station)
    )
    return render(request, "ballots/backoffice/station.html", context)


@staff_required
def batches(request: HttpRequest, pk: int, station_pk: int) -> HttpResponse:
    """Typing a batch of paper ballots; a second agent types it again; mismatching lines are shown."""
    election = _election(request, pk)
    station = _station(request, election, station_pk)
    form = BatchForm(request.POST or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.batch_enter(
                actor=actor(request),
                election=election,
                station=station,
                number=form.cleaned_data["number"],
                declared_count=form.cleaned_data["declared_count"],
                codes=form.cleaned_data["codes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if outcome.validated:
                messages.success(
                    request, _("Les deux saisies concordent : le lot est validé et ses bulletins sont dans l'urne.")
                )
                return redirect("ballots_backoffice:batches", pk=pk, station_pk=station_pk)
            if outcome.waiting:
                messages.success(request, _("Saisie enregistrée : un second agent doit saisir le même lot."))
                return redirect("ballots_backoffice:batches", pk=pk, station_pk=station_pk)
    context = _context(
        request,
        election,
        station=station,
        form=form,
        outcome=outcome,
        batches=selectors.batches_of(election, station),
        legend=schemas.get(election.schema).paper_legend(election),
        blank_code=BLANK_CODE,
        null_code=NULL_CODE,
        progress=selectors.station_progress(election, station),
    )
    return render(request, "ballots/backoffice/batches.html", context)
