"""Back-office of the syntheses: run one for a démarche, review its themes (rename, merge, split, move a
contribution, set aside noise, choose quotes), write its text, publish it, export its themes, import contributions
from outside. Each write goes through one service; every action is a plain form (no JavaScript needed)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor, confirm_action, form_errors, page_cursor
from participe.synthesis import exports, imports, selectors, services
from participe.synthesis.forms import ImportForm, RenameForm, StartForm, TextForm
from participe.synthesis.models import Entry, Synthesis, Theme


def _synthesis(request: HttpRequest, pk: int) -> Synthesis:
    synthesis = get_object_or_404(Synthesis.objects.select_related("space"), pk=pk)
    if not request.user.has_perm("synthesis.change_synthesis", synthesis):
        raise Http404
    return synthesis


def _theme(request: HttpRequest, pk: int) -> Theme:
    theme = get_object_or_404(Theme.objects.select_related("synthesis__space"), pk=pk)
    if not request.user.has_perm("synthesis.change_synthesis", theme.synthesis):
        raise Http404
    return theme


def _done(request: HttpRequest, call: object, message: str) -> bool:
    """Run a service (a callable without arguments); its refusal or error becomes a message."""
    try:
        call()  # type: ignore[operator]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, message)
    return True


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/gestion/syntheses/") else default)


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    require_perm(request, "synthesis.access_backoffice")
    spaces = selectors.managed_spaces(request.user)
    return render(
        request,
        "synthesis/backoffice/index.html",
        {"syntheses": selectors.managed_by(request.user)[:200], "form": StartForm(spaces=spaces), "spaces": spaces},
    )


@staff_required
def start(request: HttpRequest) -> HttpResponse:
    require_perm(request, "synthesis.access_backoffice")
    spaces = selectors.managed_spaces(request.user)
    form = StartForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        try:
            synthesis = services.synthesis_start(
                actor=actor(request),
                space=form.cleaned_data["space"],
                title=form.cleaned_data["title"],
                module=form.cleaned_data["module"],
                imported=form.cleaned_data["imported"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("La synthèse est lancée."))
            return redirect(synthesis.get_backoffice_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "synthesis/backoffice/start.html", {"form": form}, status=status)


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    context = {
        "synthesis": synthesis,
        "themes": selectors.review(synthesis) if synthesis.status != Synthesis.Status.COMPUTING else [],
        "counts": selectors.counts(synthesis),
        "all_themes": Theme.objects.filter(synthesis=synthesis),
        "editable": synthesis.status == Synthesis.Status.REVIEW,
    }
    return render(request, "synthesis/backoffice/detail.html", context)


@staff_required
def theme(request: HttpRequest, pk: int) -> HttpResponse:
    item = _theme(request, pk)
    page = selectors.theme_entries(item, cursor=page_cursor(request))
    themes = Theme.objects.filter(synthesis=item.synthesis)
    return render(
        request,
        "synthesis/backoffice/theme.html",
        {
            "theme": item,
            "synthesis": item.synthesis,
            "page": page,
            "all_themes": themes,
            "editable": item.synthesis.status == Synthesis.Status.REVIEW,
        },
    )


@staff_required
def unthemed(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    page = selectors.unthemed(synthesis, cursor=page_cursor(request))
    themes = Theme.objects.filter(synthesis=synthesis)
    return render(
        request,
        "synthesis/backoffice/unthemed.html",
        {
            "synthesis": synthesis,
            "page": page,
            "all_themes": themes,
            "editable": synthesis.status == Synthesis.Status.REVIEW,
        },
    )


@staff_required
@require_POST
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    item = _theme(request, pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return _back(request, item.synthesis.get_backoffice_url())
    label = form.cleaned_data["label"]
    _done(
        request,
        lambda: services.theme_rename(actor=actor(request), theme=item, label=label),
        _("Le thème s'appelle désormais « %(l)s ».") % {"l": label},
    )
    return _back(request, item.synthesis.get_backoffice_url())


@staff_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    ids = [int(v) for v in request.POST.getlist("themes") if v.isdigit()]
    chosen = {t.pk: t for t in Theme.objects.filter(synthesis=synthesis, pk__in=ids)}
    ordered = [chosen[i] for i in ids if i in chosen]
    _done(
        request,
        lambda: services.themes_merge(actor=actor(request), synthesis=synthesis, themes=ordered),
        _("Les thèmes sont fusionnés."),
    )
    return redirect(synthesis.get_backoffice_url())


@staff_required
@require_POST
def split(request: HttpRequest, pk: int) -> HttpResponse:
    item = _theme(request, pk)
    _done(
        request,
        lambda: services.theme_split(actor=actor(request), theme=item),
        _("Le thème est séparé en deux : le nouveau thème est en fin de liste."),
    )
    return redirect(item.synthesis.get_backoffice_url())


@staff_required
@require_POST
def entry_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a contribution to a theme (or none), set it aside or take it back, quote it or no longer."""
    entry = get_object_or_404(Entry.objects.select_related("synthesis__space"), pk=pk)
    if not request.user.has_perm("synthesis.change_synthesis", entry.synthesis):
        raise Http404
    action, who = request.POST.get("action", ""), actor(request)
    if action == "move":
        value = request.POST.get("theme", "")
        target = Theme.objects.filter(synthesis=entry.synthesis, pk=value).first() if value.isdigit() else None
        if value and target is None:
            messages.error(request, _("Choisissez un thème de cette synthèse."))
        else:
            _done(
                request,
                lambda: services.entry_move(actor=who, entry=entry, theme=target),
                _("La contribution est déplacée."),
            )
    elif action in ("discard", "restore"):
        _done(
            request,
            lambda: services.entry_discard(actor=who, entry=entry, discarded=action == "discard"),
            _("La contribution est écartée.") if action == "discard" else _("La contribution est reprise."),
        )
    elif action in ("quote", "unquote"):
        _done(
            request,
            lambda: services.entry_quote(actor=who, entry=entry, is_quote=action == "quote"),
            _("La citation est choisie.") if action == "quote" else _("La citation est retirée."),
        )
    else:
        messages.error(request, _("Action inconnue."))
    return _back(request, entry.synthesis.get_backoffice_url())


@staff_required
def edit_text(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    form = TextForm(request.POST or None, initial={"title": synthesis.title, "text": synthesis.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.synthesis_edit(
                actor=actor(request),
                synthesis=synthesis,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Le texte est enregistré."))
            return redirect(synthesis.get_backoffice_url())
    themes = selectors.summaries(synthesis) if synthesis.status != Synthesis.Status.COMPUTING else []
    quotes = Entry.objects.filter(synthesis=synthesis, is_quote=True, discarded=False).select_related("theme")
    return render(
        request,
        "synthesis/backoffice/text.html",
        {"synthesis": synthesis, "form": form, "themes": themes, "quotes": quotes},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    if _done(
        request,
        lambda: services.synthesis_publish(actor=actor(request), synthesis=synthesis),
        _("La synthèse est publiée."),
    ):
        return redirect(synthesis.get_absolute_url())
    return redirect(synthesis.get_backoffice_url())


@staff_required
@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    _done(
        request,
        lambda: services.synthesis_unpublish(actor=actor(request), synthesis=synthesis),
        _("La synthèse n'est plus publiée : elle est de nouveau en relecture."),
    )
    return redirect(synthesis.get_backoffice_url())


@staff_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    return confirm_action(
        request,
        action=lambda: services.synthesis_delete(actor=actor(request), synthesis=synthesis),
        title=_("Supprimer la synthèse"),
        question=_("Supprimer la synthèse « %(t)s » et ses thèmes ? Les contributions restent.")
        % {"t": synthesis.title},
        cancel_url=synthesis.get_backoffice_url(),
        success_url="/gestion/syntheses/",
        success_message=_("La synthèse est supprimée."),
        button=_("Supprimer"),
    )


@staff_required
def export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    synthesis = _synthesis(request, pk)
    response = StreamingHttpResponse(
        exports.assignments_csv(synthesis, base_url=request.build_absolute_uri("/").rstrip("/")),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="synthese-{synthesis.pk}-themes.csv"'
    return response


@staff_required
def import_view(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(selectors.managed_spaces(request.user), slug=slug)
    require_perm(request, "synthesis.import_contributions", space)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.contributions_import(
                actor=actor(request), space=space, name=upload.name or "", data=upload.read()
            )
        except imports.ImportErrors as exc:
            errors = exc.errors
        else:
            messages.success(
                request, _("%(n)s contributions importées dans « %(s)s ».") % {"n": batch.count, "s": space.title}
            )
            return redirect("synthesis_backoffice:index")
    return render(
        request,
        "synthesis/backoffice/import.html",
        {"form": form, "space": space, "errors": errors, "batches": selectors.batches(space)},
        status=400 if errors else 200,
    )
