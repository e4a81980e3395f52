"""Public pages of the proposals module: the list (the module page), the map, a proposal, submitting and editing.

Every action is a plain form (POST, then redirect); htmx only swaps fragments in place ("afficher plus", the
filters, similar titles while typing). An agent acting for a resident (the banner "saisie pour le compte de")
writes in the resident's name, marked "saisie par un agent".
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from participe.accounts.middleware import participant
from participe.attachments.selectors import prefetch_attachments
from participe.attachments.services import attachment_add
from participe.core import idempotency, pagecache
from participe.moderation.selectors import attach_cases
from participe.modules.proposals.forms import ProposalForm, WithdrawForm, territories_for, themes_for
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.selectors import proposals as selectors
from participe.modules.proposals.services import proposals as services
from participe.modules.proposals.views import open_data as views_open_data
from participe.organisation.geography import map_config
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused, require
from participe.spaces.http import require_visible
from participe.spaces.models import Module
from participe.spaces.participation import NOT_SIGNED_IN

SEED_KEY = "proposals_seed"


# --- helpers ------------------------------------------------------------------------------------------------
def _module(request: HttpRequest, slug: str, module_slug: str) -> Module:
    module = (
        Module.objects.select_related("space")
        .prefetch_related("phases")
        .filter(space__slug=slug, slug=module_slug, module_type="proposals")
        .first()
    )
    if module is None:
        raise Http404
    require_visible(request, "spaces.view_module", module)
    return module


def _proposal(request: HttpRequest, slug: str, module_slug: str, pk: int) -> Proposal:
    proposal = selectors.proposal_for_page(space_slug=slug, module_slug=module_slug, pk=pk)
    if proposal is None:
        raise Http404
    who, _agent = participant(request)
    require_visible(request, "proposals.view_proposal", proposal, also=who)
    return proposal


def _seed(request: HttpRequest) -> int:
    """The visitor's seed of the random order, kept in the session: the order stays the same for them. A visitor
    without a session, whose page the page cache keeps, gets the seed of the hour every such visitor shares
    (decision 0041): the order still changes, and their page is the same as the others'."""
    if pagecache.visitor_without_session(request):
        hour = str(int(time.time() // 3600)).encode()
        digest = hashlib.blake2b(hour, key=settings.SECRET_KEY.encode()[:64], digest_size=8).digest()
        return int.from_bytes(digest, "big") % selectors.SEED_MAX
    seed = request.session.get(SEED_KEY)
    if not isinstance(seed, int) or not 0 <= seed < selectors.SEED_MAX:
        seed = selectors.new_seed()
        request.session[SEED_KEY] = seed
    return seed


def _filters(request: HttpRequest, **overrides: Any) -> selectors.Filters:
    filters = selectors.Filters.from_query(request.GET)
    if filters.seed is None:
        filters = filters.with_seed(_seed(request))
    if overrides:
        filters = replace(filters, **overrides)
    return filters


def _list_context(
    request: HttpRequest, module: Module, filters: selectors.Filters, page: selectors.ProposalPage
) -> dict[str, Any]:
    who, _agent = participant(request)
    return {
        "module": module,
        "space": module.space,
        "phase": module.current_phase(),
        "filters": filters,
        "page": page,
        "query": filters.to_query(),
        "next_url": "?" + urlencode(filters.to_query(cursor=page.next_cursor)) if page.next_cursor else "",
        "themes": themes_for(module),
        "territories": territories_for(module),
        "statuses": selectors.status_choices(),
        "sorts": selectors.sort_choices(),
        "sort_param": selectors.SORT_PARAMS.get(filters.sort, "aleatoire"),
        "status_param": selectors.STATUS_PARAMS.get(filters.status, ""),
        "submit": explain(who, "proposals.add_proposal", module),
        "drafts": selectors.drafts_of(who, module),
        "signed_in": who.is_authenticated,
        "open_data_links": views_open_data.open_data_links(module),
    }


def _page_for(
    request: HttpRequest, module: Module, filters: selectors.Filters
) -> tuple[selectors.ProposalPage, int, bool]:
    who, _agent = participant(request)
    qs = selectors.public_proposals(module, who, filters)
    page = selectors.proposals_page(qs, filters, module=module)
    attach_cases(page.items)
    prefetch_attachments(page.items)  # the cards' pictures, in one query
    count, more = selectors.bounded_count(qs) if not filters.cursor else (0, False)
    return page, count, more


# --- the list and the map -----------------------------------------------------------------------------------
def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The module page (``manifest.detail_view``): the list of proposals, filtered, sorted, by keyset pages.

    The platform has already checked that the module is visible. htmx asks for the results only (filters) or
    for the next items only ("afficher plus").
    """
    filters = _filters(request)
    page, count, more = _page_for(request, module, filters)
    context = {**_list_context(request, module, filters, page), "count": count, "count_is_bounded": more}
    if request.htmx and filters.cursor:  # type: ignore[attr-defined]
        return render(request, "proposals/partials/_more_response.html", context)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "proposals/partials/_results.html", context)
    return render(request, "proposals/module_page.html", context)


@require_safe
def proposal_map(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The same filtered set on a map (Leaflet, clustered markers), with the list of the located proposals below
    it: the list is the accessible equivalent of the map, and what one sees without JavaScript."""
    module = _module(request, slug, module_slug)
    filters = _filters(request, located=True)
    page, count, more = _page_for(request, module, filters)
    context = {
        **_list_context(request, module, filters, page),
        "count": count,
        "count_is_bounded": more,
        "map": map_config(),
        "geojson_url": reverse("spaces:proposals:geojson", kwargs={"slug": slug, "module_slug": module_slug})
        + "?"
        + urlencode(filters.to_query()),
        "on_map": True,
    }
    if request.htmx and filters.cursor:  # type: ignore[attr-defined]
        return render(request, "proposals/partials/_more_response.html", context)
    return render(request, "proposals/proposal_map.html", context)


@require_safe
def proposal_geojson(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The map feed: the located proposals of the same filtered set, as GeoJSON (``zone=west,south,east,north``)."""
    module = _module(request, slug, module_slug)
    filters = _filters(request)
    if filters.errors:
        return JsonResponse({"errors": filters.errors}, status=400)
    who, _agent = participant(request)
    data = selectors.map_features(selectors.public_proposals(module, who, filters), module)
    response = JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, max-age=30"
    return response


# --- one proposal -------------------------------------------------------------------------------------------
@pagecache.item_page  # a support or a comment on another proposal does not change this page
@require_safe
def proposal_detail(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, slug, module_slug, pk)
    module = proposal.module
    who, _agent = participant(request)
    # What the page's part kept for every reader (decision 0046) or the author's own part alone uses is computed
    # when the template asks for it (a callable without arguments, called once): not at all when the part is kept.
    context = {
        "proposal": proposal,
        "module": module,
        "space": module.space,
        "phase": module.current_phase(),
        "history": functools.cache(lambda: selectors.history_of(proposal)),
        "is_author": who.is_authenticated and proposal.author_id == who.pk,
        "can_edit": functools.cache(lambda: who.has_perm("proposals.change_proposal", proposal)),
        "can_publish": functools.cache(lambda: who.has_perm("proposals.publish_proposal", proposal)),
        "can_withdraw": functools.cache(lambda: who.has_perm("proposals.withdraw_proposal", proposal)),
        "can_delete": functools.cache(lambda: who.has_perm("proposals.delete_proposal", proposal)),
        # The agents of the service the proposal is assigned to, and the staff of the space, analyse it.
        "can_analyse": functools.cache(lambda: request.user.has_perm("proposals.analyse_proposal", proposal)),
        "share_url": request.build_absolute_uri(proposal.get_absolute_url()),
        "map": functools.cache(map_config),
        "threshold": functools.cache(lambda: services.support_threshold(module)),
    }
    return render(request, "proposals/proposal_detail.html", context)


def _save_uploads(form: ProposalForm, proposal: Proposal, who: Any) -> None:
    """Attach the files sent with the form; a refused file becomes an error of its field."""
    for name, uploaded, title in form.uploads():
        try:
            attachment_add(actor=who, target=proposal, uploaded_file=uploaded, title=title)
        except ValidationError as exc:
            messages_by_field = exc.message_dict if hasattr(exc, "error_dict") else {"file": exc.messages}
            errors = messages_by_field.get("file", []) + messages_by_field.get("title", [])
            raise ValidationError({name: errors or exc.messages}) from exc
        except PermissionDenied as exc:
            raise ValidationError({name: [str(exc) or _("Vous ne pouvez pas ajouter ce fichier.")]}) from exc


def _form_context(module: Module, form: ProposalForm, proposal: Proposal | None) -> dict[str, Any]:
    return {
        "module": module,
        "space": module.space,
        "form": form,
        "proposal": proposal,
        "map": map_config(),
        "location_required": bool(services.module_settings(module).get("location_required")),
    }


def _form_page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return render(request, "proposals/proposal_form.html", context, status=status)


def proposal_create(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """Submit a proposal: "Déposer", "Enregistrer le brouillon", or "Vérifier les doublons" (the similar
    proposals, without saving: what htmx shows while typing the title)."""
    module = _module(request, slug, module_slug)
    who, agent = participant(request)
    verdict = explain(who, "proposals.add_proposal", module)
    if not verdict.allowed:
        if verdict.reason is not None and verdict.reason.code == NOT_SIGNED_IN:
            return redirect_to_login(request.get_full_path())
        context = {"module": module, "space": module.space, "reason": verdict.reason}
        return render(request, "proposals/submit_closed.html", context, status=403)
    form = ProposalForm(request.POST or None, request.FILES or None, module=module)
    context = _form_context(module, form, None)
    if request.method != "POST":
        return _form_page(request, context)
    action = request.POST.get("action", "publish")
    if action == "check" or not form.is_valid():
        context["similar"] = selectors.similar_proposals(module, request.POST.get("title", ""))
        context["checked"] = action == "check"
        context["files_lost"] = bool(request.FILES)
        return _form_page(request, context, status=200 if action == "check" else 400)

    def write() -> Proposal:
        proposal = services.proposal_create(
            actor=who,
            module=module,
            data=form.proposal_data(),
            publish=action == "publish",
            entered_by=agent,
            author=who if agent is not None else None,
            origin=Proposal.Origin.COUNTER if agent is not None else Proposal.Origin.ONLINE,
        )
        _save_uploads(form, proposal, who)
        return proposal

    try:
        with transaction.atomic():  # the form sent again (a retry) finds its first proposal: its one-time token
            key = idempotency.request_key(request)
            proposal, _created = idempotency.once(actor=request.user, key=key, scope="proposals.create", write=write)
    except ValidationError as exc:
        _add_errors(form, exc)
        context["files_lost"] = bool(request.FILES)
        return _form_page(request, context, status=400)
    if proposal.is_published:
        if proposal.is_hidden_by_moderation:
            messages.success(
                request,
                _("Votre proposition est déposée. Elle sera visible de tous après validation par un modérateur."),
            )
        else:
            messages.success(request, _("Votre proposition est déposée. Merci !"))
        return redirect(proposal.get_absolute_url())
    messages.success(request, _("Votre brouillon est enregistré. Vous seul le voyez ; déposez-le quand il est prêt."))
    return redirect(_url("edit", proposal))


def _add_errors(form: ProposalForm, exc: ValidationError) -> None:
    """Errors of a service, next to their fields (those the form does not have go to the top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _url(name: str, proposal: Proposal) -> str:
    module = proposal.module
    return reverse(
        f"spaces:proposals:{name}", kwargs={"slug": module.space.slug, "module_slug": module.slug, "pk": proposal.pk}
    )


def _initial(proposal: Proposal) -> dict[str, Any]:
    return {name: getattr(proposal, name) for name in ProposalForm.FIELDS}


def proposal_edit(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """Change a draft, or a deposited proposal that nobody supports yet; a draft can be deposited from here.
    Images and documents are added and removed by the attachments app's form on the same page."""
    proposal = _proposal(request, slug, module_slug, pk)
    who, agent = participant(request)
    require(who, "proposals.change_proposal", proposal)
    module = proposal.module
    form = ProposalForm(request.POST or None, initial=_initial(proposal), module=module, with_files=False)
    context = _form_context(module, form, proposal)
    if request.method != "POST":
        return _form_page(request, context)
    action = request.POST.get("action", "save")
    if action == "check" or not form.is_valid():
        context["similar"] = selectors.similar_proposals(module, request.POST.get("title", ""), exclude_pk=proposal.pk)
        context["checked"] = action == "check"
        return _form_page(request, context, status=200 if action == "check" else 400)
    try:
        with transaction.atomic():
            proposal = services.proposal_update(
                actor=who, proposal=proposal, data=form.proposal_data(), entered_by=agent
            )
            if action == "publish" and proposal.status == Proposal.Status.DRAFT:
                proposal = services.proposal_publish(actor=who, proposal=proposal, entered_by=agent)
    except ValidationError as exc:
        _add_errors(form, exc)
        return _form_page(request, context, status=400)
    except Refused as refused:  # the draft may not be deposited now (the phase closed meanwhile): nothing is saved
        form.add_error(None, refused.reasons[0].message)
        return _form_page(request, context, status=400)
    if action == "publish" and proposal.is_published:
        messages.success(request, _("Votre proposition est déposée. Merci !"))
        return redirect(proposal.get_absolute_url())
    messages.success(request, _("Vos modifications sont enregistrées."))
    return redirect(_url("edit", proposal) if proposal.status == Proposal.Status.DRAFT else proposal.get_absolute_url())


@require_POST
def proposal_publish(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """Deposit a draft as it is (the button on the draft's page)."""
    proposal = _proposal(request, slug, module_slug, pk)
    who, agent = participant(request)
    try:
        proposal = services.proposal_publish(actor=who, proposal=proposal, entered_by=agent)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_url("edit", proposal))
    messages.success(request, _("Votre proposition est déposée. Merci !"))
    return redirect(proposal.get_absolute_url())


def proposal_withdraw(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """A confirmation page, then the withdrawal (the page stays, marked "retirée")."""
    proposal = _proposal(request, slug, module_slug, pk)
    who, agent = participant(request)
    require(who, "proposals.withdraw_proposal", proposal)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(
                actor=who, proposal=proposal, reason=form.cleaned_data["reason"], entered_by=agent
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Votre proposition est retirée. Sa page reste consultable."))
            return redirect(proposal.get_absolute_url())
    context = {"proposal": proposal, "module": proposal.module, "space": proposal.module.space, "form": form}
    return render(request, "proposals/proposal_withdraw.html", context, status=400 if form.errors else 200)


def proposal_delete(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """Delete one's draft (a confirmation page, then the deletion)."""
    proposal = _proposal(request, slug, module_slug, pk)
    who, _agent = participant(request)
    require(who, "proposals.delete_proposal", proposal)
    module = proposal.module
    if request.method == "POST":
        services.proposal_delete(actor=who, proposal=proposal)
        messages.success(request, _("Votre brouillon est supprimé."))
        return redirect(module.get_absolute_url())
    return render(
        request, "proposals/proposal_delete.html", {"proposal": proposal, "module": module, "space": module.space}
    )


@require_safe
def proposal_similar(request: HttpRequest, slug: str, module_slug: str) -> HttpResponse:
    """The fragment of similar proposals shown while the title is typed (htmx); a full page without it."""
    module = _module(request, slug, module_slug)
    title = request.GET.get("title", "")[:200]
    try:
        exclude = int(request.GET.get("exclude") or 0)
    except ValueError:
        exclude = 0
    similar = selectors.similar_proposals(module, title, exclude_pk=exclude or None)
    context = {"module": module, "space": module.space, "similar": similar, "title": title, "checked": True}
    template = "proposals/partials/_similar.html" if request.htmx else "proposals/proposal_similar.html"  # type: ignore[attr-defined]
    return render(request, template, context)
