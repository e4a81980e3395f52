"""The tally engine of the budget participatif: exact arithmetic, grouped ballots, documented tie-breaking.

Pure Python, no Django: it reads and writes Pabulib files and computes outcomes with explanations
(docs/modules/budgets-tally.md, docs/decisions/0019-the-tally-engine.md). The interface::

    from participe.modules.budgets.tally import Election, Project, tally
    outcome = tally(Election(budget, projects, ballots), "mes-add1", tie_break_seed=seed)
"""

from participe.modules.budgets.tally.model import Ballot, Election, Explanation, Outcome, Project
from participe.modules.budgets.tally.rules import RULES, rule_of, tally

__all__ = ["RULES", "Ballot", "Election", "Explanation", "Outcome", "Project", "rule_of", "tally"]
