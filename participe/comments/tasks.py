"""Background tasks of comments (django-tasks): a new comment entering the search index."""

from __future__ import annotations

from django_tasks import task


@task()
def index_new_comment(comment_id: int) -> None:
    """Enqueued in the transaction that publishes a comment (so it exists only if the comment does): the index is
    written by the worker, not in the request (issue #12). The search pages show a new comment after their grace
    anyway (decision 0045)."""
    from participe.comments.services import index_published

    index_published(comment_id)
