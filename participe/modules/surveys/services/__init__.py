"""Writes of the surveys module, audited: ``builder`` (agents build questionnaires), and the other services of the
module in sibling files. Import the submodule you need (``from participe.modules.surveys.services import builder``)."""
