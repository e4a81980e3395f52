"""Documents and news posts ("actualités") of a space."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.forms.spaces import DocumentForm, NewsForm
from participe.backoffice.views.common import actor, confirm_action, space_context
from participe.spaces import services
from participe.spaces.models import NewsPost, Space, SpaceDocument


def _space(request: HttpRequest, pk: int) -> Space:
    space = get_object_or_404(Space, pk=pk)
    require_perm(request, "spaces.change_space", space)
    return space


@staff_required
@require_http_methods(["GET", "POST"])
def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(actor=actor(request), space=space, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("Le document « %(title)s » a été ajouté.") % form.cleaned_data)
            return redirect("backoffice:documents", pk=space.pk)
    context = space_context(request, space) | {"form": form, "documents": space.documents.all()}
    return render(request, "backoffice/document_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(SpaceDocument.objects.select_related("space"), pk=pk)
    space = document.space
    require_perm(request, "spaces.change_space", space)
    url = reverse("backoffice:documents", args=[space.pk])
    return confirm_action(
        request,
        action=lambda: services.document_delete(actor=actor(request), document=document),
        title=_("Supprimer le document « %(title)s »") % {"title": document.title},
        question=_("Le fichier sera supprimé et ne sera plus téléchargeable."),
        cancel_url=url,
        success_url=url,
        success_message=_("Le document « %(title)s » a été supprimé.") % {"title": document.title},
        button=_("Supprimer le document"),
        context=space_context(request, space),
    )


@staff_required
def news_list(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space(request, pk)
    context = space_context(request, space) | {"posts": space.news.select_related("author"), "now": timezone.now()}
    return render(request, "backoffice/news_list.html", context)


def _news_form(request: HttpRequest, space: Space, post: NewsPost) -> HttpResponse:
    form = NewsForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_save(actor=actor(request), post=post, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("L'actualité « %(title)s » a été enregistrée.") % {"title": post.title})
            return redirect("backoffice:news", pk=space.pk)
    return render(request, "backoffice/news_form.html", space_context(request, space) | {"form": form, "post": post})


@staff_required
@require_http_methods(["GET", "POST"])
def news_create(request: HttpRequest, pk: int) -> HttpResponse:
    space = _space(request, pk)
    return _news_form(request, space, NewsPost(space=space))


def _post(request: HttpRequest, pk: int) -> NewsPost:
    post = get_object_or_404(NewsPost.objects.select_related("space"), pk=pk)
    require_perm(request, "spaces.change_space", post.space)
    return post


@staff_required
@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    return _news_form(request, post.space, post)


@staff_required
@require_http_methods(["GET", "POST"])
def news_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    url = reverse("backoffice:news", args=[post.space_id])
    return confirm_action(
        request,
        action=lambda: services.news_delete(actor=actor(request), post=post),
        title=_("Supprimer l'actualité « %(title)s »") % {"title": post.title},
        question=_("L'actualité disparaîtra de la page de l'espace."),
        cancel_url=url,
        success_url=url,
        success_message=_("L'actualité « %(title)s » a été supprimée.") % {"title": post.title},
        button=_("Supprimer l'actualité"),
        context=space_context(request, post.space),
    )
