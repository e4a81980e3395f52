"""Comment pages and actions. Each works as a plain form POST and redirect, and returns a fragment to htmx."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participe.accounts.middleware import participant
from participe.comments import selectors, services
from participe.comments.forms import CommentEditForm, CommentForm
from participe.comments.models import Comment
from participe.core import idempotency
from participe.permissions.explain import explain
from participe.permissions.refusals import require
from participe.supports.selectors import supported_ids


def _target(content_type_id: int, object_id: int, request: HttpRequest) -> Any:
    target = selectors.commentable_target(content_type_id, object_id)
    if target is None or not request.user.has_perm("comments.view_comment", target):
        raise Http404
    return target


def _comment(request: HttpRequest, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("author", "entered_by", "module__space"), pk=pk)
    if not request.user.has_perm("comments.view_comment", comment):
        raise Http404
    if comment.moderation_status != "published" and not (
        comment.author_id == request.user.pk or selectors.can_moderate(request.user, comment)
    ):
        raise Http404
    return comment


def back_url(target: Any, comment: Comment | None = None) -> str:
    base = target.get_absolute_url().split("#", 1)[0]
    return f"{base}#commentaire-{comment.pk}" if comment is not None else f"{base}#commentaires"


def section_context(
    request: HttpRequest,
    target: Any,
    *,
    form: CommentForm | None = None,
    sort: str | None = None,
    cursor: str | None = None,
    with_thread: bool = True,
) -> dict[str, Any]:
    """Everything the comments section of ``target`` needs: counts, the page of comments, the form or why not.

    ``with_thread=False`` for a fragment that shows no page of comments (the form, a new comment): no thread is read
    (issue #12)."""
    actor, entered_by = participant(request)
    user: Any = actor
    verdict = explain(user, "comments.add_comment", target)
    can_comment = verdict.allowed
    official = services.official_role_for(request.user) if can_comment and entered_by is None else None
    sort = sort or request.GET.get("tri") or selectors.DEFAULT_SORT
    thread = selectors.thread_page(target=target, user=user, sort=sort, cursor=cursor) if with_thread else None
    content_type = ContentType.objects.get_for_model(target)
    thread_url = reverse("comments:thread", kwargs={"content_type_id": content_type.pk, "object_id": target.pk})
    return {
        "request": request,
        "user": request.user,
        "target": target,
        "thread": thread,
        "supported": (
            supported_ids(user, [c for top in thread.comments for c in (top, *top.shown_replies)])  # type: ignore[attr-defined]
            if thread is not None
            else set()
        ),
        "thread_url": thread_url,
        "create_url": reverse("comments:create", kwargs={"content_type_id": content_type.pk, "object_id": target.pk}),
        "stances": selectors.stance_summary(target),
        "sorts": [("anciens", _("Plus anciens")), ("recents", _("Plus récents")), ("soutenus", _("Plus soutenus"))],
        "can_comment": can_comment,
        "why_not": verdict.reason,
        "form": form or (CommentForm(official=official) if can_comment else None),
        "official": official,
        "moderator": selectors.can_moderate(request.user, target),
        "back_url": back_url(target),
        "max_length": services.max_length(),
        "now": timezone.now(),
    }


def thread(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    """The comments of a resource on a page of their own; with htmx and a cursor, only the next comments."""
    target = _target(content_type_id, object_id, request)
    context = section_context(request, target, cursor=request.GET.get("cursor") or None)
    if request.htmx and request.GET.get("cursor"):  # type: ignore[attr-defined]
        return render(request, "comments/partials/_more.html", context)
    return render(request, "comments/comment_thread.html", context)


@require_POST
def create(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    target = _target(content_type_id, object_id, request)
    actor, entered_by = participant(request)
    official = services.official_role_for(request.user) if entered_by is None else None
    form = CommentForm(request.POST, official=official)
    comment = None
    if form.is_valid():
        try:
            comment, _created = idempotency.once(  # the form sent again (a retry) finds its first comment
                actor=request.user,
                key=idempotency.request_key(request),
                scope="comments.comment_create",
                write=lambda: services.comment_create(
                    actor=actor,
                    target=target,
                    body=form.cleaned_data["body"],
                    stance=form.cleaned_data["stance"],
                    as_official=form.cleaned_data.get("as_official", False),
                    entered_by=entered_by,
                ),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error.args[0]) if error.args else _("Vous ne pouvez pas commenter ici."))
    if comment is None:
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request, "comments/partials/_form.html", section_context(request, target, form=form, with_thread=False)
            )
        return render(request, "comments/comment_thread.html", section_context(request, target, form=form))
    message = _posted_message(comment)
    if request.htmx:  # type: ignore[attr-defined]
        # The new comment, the form, the counts: the page of comments does not change, it is not read again.
        context = section_context(request, target, with_thread=False)
        context.update({"created": comment, "status_message": message})
        return render(request, "comments/partials/_created.html", context)
    messages.success(request, message)
    return HttpResponseRedirect(back_url(target, comment))


def _posted_message(comment: Comment) -> str:
    if comment.moderation_status == "pending":
        return _("Merci ! Votre commentaire sera publié après relecture par un modérateur.")
    return _("Votre réponse est publiée.") if comment.parent_id else _("Votre commentaire est publié.")


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a comment: a page of its own without JavaScript, the thread's comment re-rendered with htmx."""
    parent = _comment(request, pk)
    if parent.parent_id is not None:
        parent = _comment(request, parent.parent_id)
    target = parent.target
    if target is None:
        raise Http404
    actor, entered_by = participant(request)
    form = CommentForm(request.POST or None, reply=True)
    if request.method == "POST" and form.is_valid():
        try:
            comment, _created = idempotency.once(
                actor=request.user,
                key=idempotency.request_key(request),
                scope="comments.comment_create",
                write=lambda: services.comment_create(
                    actor=actor, target=target, body=form.cleaned_data["body"], parent=parent, entered_by=entered_by
                ),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error.args[0]) if error.args else _("Vous ne pouvez pas commenter ici."))
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _render_comment(request, target, parent, status_message=_posted_message(comment))
            messages.success(request, _posted_message(comment))
            return HttpResponseRedirect(back_url(target, comment))
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return _render_comment(request, target, parent, reply_form=form)
    can_reply = bool(actor.is_authenticated and actor.has_perm("comments.add_comment", parent))  # type: ignore[attr-defined]
    return render(
        request,
        "comments/comment_reply.html",
        {
            "parent": parent,
            "target": target,
            "form": form,
            "can_reply": can_reply,
            "back_url": back_url(target, parent),
        },
    )


def _render_comment(request: HttpRequest, target: Any, parent: Comment, **extra: Any) -> HttpResponse:
    """The top-level comment ``parent`` with all its replies (after a reply through htmx)."""
    context = section_context(request, target, with_thread=False)
    page = selectors.replies_page(comment=parent, user=participant(request)[0], size=200)
    parent.refresh_from_db(fields=["replies_count"])
    parent.shown_replies = page.items  # type: ignore[attr-defined]
    parent.more_replies = 0  # type: ignore[attr-defined]
    context.update({"comment": parent, "supported": supported_ids(request.user, [parent, *page.items]), **extra})
    return render(request, "comments/partials/_comment.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    actor, entered_by = participant(request)
    require(actor, "comments.change_comment", comment)
    initial = {"body": comment.body, "stance": comment.stance}
    form = CommentEditForm(request.POST or None, initial=initial, reply=comment.is_reply)
    target = comment.target
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=actor,
                comment=comment,
                body=form.cleaned_data["body"],
                stance=form.cleaned_data.get("stance"),
                entered_by=entered_by,
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error.args[0]) if error.args else "")
        else:
            messages.success(request, _("Votre commentaire est modifié."))
            return HttpResponseRedirect(back_url(target, comment))
    return render(
        request,
        "comments/comment_edit.html",
        {"comment": comment, "target": target, "form": form, "back_url": back_url(target, comment)},
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment(request, pk)
    actor, entered_by = participant(request)
    require(actor, "comments.delete_comment", comment)
    target = comment.target
    if request.method == "POST":
        services.comment_delete(actor=actor, comment=comment, entered_by=entered_by)
        messages.success(request, _("Votre commentaire est supprimé."))
        return HttpResponseRedirect(back_url(target, comment))
    return render(
        request,
        "comments/comment_delete.html",
        {"comment": comment, "target": target, "back_url": back_url(target, comment)},
    )


def replies(request: HttpRequest, pk: int) -> HttpResponse:
    """Every reply to a comment (the "afficher les autres réponses" link)."""
    parent = _comment(request, pk)
    target = parent.target
    if target is None:
        raise Http404
    if request.htmx:  # type: ignore[attr-defined]
        return _render_comment(request, target, parent)
    page = selectors.replies_page(
        comment=parent, user=participant(request)[0], cursor=request.GET.get("cursor") or None
    )
    context = section_context(request, target, with_thread=False)
    context.update(
        {
            "parent": parent,
            "page": page,
            "back_url": back_url(target, parent),
            "supported": supported_ids(participant(request)[0], [parent, *page.items]),
        }
    )
    return render(request, "comments/comment_replies.html", context)
