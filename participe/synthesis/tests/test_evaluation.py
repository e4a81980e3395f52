"""``manage.py synthesis_eval``: per group, then weighted on the last line; bad corpora get a clear message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from participe.synthesis.evaluation import Row, multi_label_truth

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "lumerac.csv"


def run(path: Path) -> list[str]:
    out = io.StringIO()
    call_command("synthesis_eval", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()


def test_it_scores_each_group_and_weights_them_on_the_last_line():
    lines = run(CORPUS)
    assert lines[0].split()[:3] == ["groupe", "n", "labels"]
    groups = lines[1:-1]
    assert [g.split()[0] for g in groups] == ["deplacements", "place-du-marche", "quartier-des-tilleuls"]
    last = lines[-1].split()
    assert last[0] == "ensemble" and last[2] == "266"
    nmi, ari = float(last[5]), float(last[6])
    assert 0.3 < nmi <= 1 and 0.1 < ari <= 1  # well above chance (0): the corpus' figure is in docs/restitution.md


def test_the_multi_label_truth_takes_the_label_the_theme_holds():
    rows = [Row("1", "a", ["arbres"], "g"), Row("2", "b", ["bancs", "arbres"], "g"), Row("3", "c", ["bancs"], "g")]
    assert multi_label_truth(rows, [0, 0, 1]) == ["arbres", "arbres", "bancs"]


def test_bad_corpora_get_a_clear_message(tmp_path):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("id,text,label\n1,Des arbres à l'ombre,arbres\n".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(latin)
    columns = tmp_path / "columns.csv"
    columns.write_text("id,texte\n1,arbres\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonnes manquantes : text, label"):
        run(columns)
    empty = tmp_path / "empty.csv"
    empty.write_text("id,text,label\n1,,arbres\n", encoding="utf-8")
    with pytest.raises(CommandError, match="aucune contribution"):
        run(empty)
    with pytest.raises(CommandError, match="Impossible de lire"):
        run(tmp_path / "missing.csv")
