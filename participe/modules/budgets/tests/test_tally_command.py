"""``manage.py budget_tally FILE.pb --rule RULE``: ids sorted one per line in the file's format, then cost and
seconds; broken files and unknown rules end in a clear error."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from participe.modules.budgets.management.commands.budget_tally import natural
from participe.modules.budgets.tests.pabulib_files import DATA, needs_data

SMALL = """META
key;value
budget;100
vote_type;approval
rule;{rule}
PROJECTS
project_id;cost
10;60
2;40
9;40
VOTES
voter_id;vote
1;10,2
2;10,2
3;10,2
4;9
5;9
"""


def run(*args: str) -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command("budget_tally", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def test_ids_sort_numerically_and_the_last_line_gives_cost_and_seconds(tmp_path):
    path = tmp_path / "quartier.pb"
    path.write_text(SMALL.format(rule="greedy"))
    lines, _ = run(str(path))
    assert lines[:-1] == ["2", "10"]
    assert re.fullmatch(r"100 \d+\.\d{3}", lines[-1])


def test_the_rule_flag_overrides_the_files_rule_and_explains_on_request(tmp_path):
    path = tmp_path / "quartier.pb"
    path.write_text(SMALL.format(rule="greedy"))
    lines, err = run(str(path), "--rule", "mes", "--explain")
    assert lines[:-1] == ["2", "9"] and lines[-1].startswith("80 ")
    assert "too_expensive_per_voter" in err


def test_the_files_equal_shares_rule_is_understood(tmp_path):
    path = tmp_path / "quartier.pb"
    path.write_text(SMALL.format(rule="equalshares/add1"))
    lines, _ = run(str(path))
    assert lines[:-1] == ["2", "9"]


def test_amounts_with_cents(tmp_path):
    path = tmp_path / "cents.pb"
    path.write_text(
        SMALL.format(rule="equalshares/add1").replace("budget;100", "budget;100.5").replace("9;40", "9;40.25")
    )
    lines, _ = run(str(path))
    assert lines[:-1] == ["2", "9"] and lines[-1].startswith("80.25 ")


@needs_data
def test_wieliczka_gives_its_official_outcome():
    lines, _ = run(str(DATA / "poland_wieliczka_2023.pb"))
    assert len(lines) == 31 and lines[-1].startswith("995079 ") and lines[0] == "6"


@needs_data
def test_a_threshold_flag(tmp_path):
    lines, _ = run(str(DATA / "poland_katowice_2021_zarzecze.pb"), "--rule", "greedy-threshold", "--threshold", "60")
    assert lines[:-1] == sorted(lines[:-1], key=natural)


def test_a_broken_file_or_an_unknown_rule_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.pb"
    broken.write_text(SMALL.format(rule="greedy").replace("4;9", "4;11"))
    with pytest.raises(CommandError, match="ligne 16 : le vote cite le projet inconnu 11"):
        run(str(broken))
    unknown = tmp_path / "unknown.pb"
    unknown.write_text(SMALL.format(rule="borda"))
    with pytest.raises(CommandError, match="préciser --rule"):
        run(str(unknown))
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.pb"))


def test_natural_order_of_ids():
    assert sorted(["L10", "L9", "2", "10", "L20/01/VIII"], key=natural) == ["2", "10", "L9", "L10", "L20/01/VIII"]
