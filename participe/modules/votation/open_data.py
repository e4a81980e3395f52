"""The manifest's open-data export: the election's tally file, published once the ballots are counted (the same bytes
as at ``/scrutins/<id>/depouillement.json``, whose SHA-256 the results page shows)."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from participe.ballots.selectors import tally_chunks
from participe.modules.votation.selectors import question_of
from participe.spaces.models import Module


def is_open(module: Module) -> bool:
    question = question_of(module)
    return bool(question and question.election and question.election.is_counted and question.election.tally_file)


def stream(module: Module, fmt: str) -> Iterator[str]:
    question = question_of(module)
    if question is None or question.election is None:
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    for chunk in tally_chunks(question.election):
        yield decoder.decode(chunk)
    yield decoder.decode(b"", final=True)
