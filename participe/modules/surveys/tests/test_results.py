"""Results read from the tallies and the answers: counts, percentages, statistics, territories, cross-tabulation."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participe.modules.surveys import charts
from participe.modules.surveys.results import (
    EVERYONE,
    Line,
    Scope,
    answers_page,
    crossable_questions,
    crosstab,
    questions_of,
    results_for,
    territory_options,
)
from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    return sample_questionnaire()


@pytest.fixture
def tree():
    city = TerritoryFactory(name="Ville", kind="commune")
    north = TerritoryFactory(name="Nord", parent=city)
    south = TerritoryFactory(name="Sud", parent=city)
    return city, north, south


def by_label(result):
    return {line.label: line for line in result.lines}


def result_of(results, question):
    return next(r for r in results if r.question.pk == question.pk)


def test_single_choice_counts_and_percentages_over_those_who_answered(sample):
    s = sample
    for label in ["Voiture", "Voiture", "Bus", "Vélo"]:
        submit(s.questionnaire, full_answers(s, transport=s.choice(s.transport, label)))
    submit(s.questionnaire, full_answers(s, transport=None, reasons=None))
    result = result_of(results_for(s.questionnaire), s.transport)
    lines = by_label(result)
    assert [line.count for line in result.lines] == [2, 1, 1, 0]
    assert result.respondents == 5
    assert result.answered == 4
    assert result.no_answer == 1
    assert lines["Voiture"].percent == 50
    assert lines["Bus"].percent == 25
    assert lines["Autre"].is_other
    assert lines["Voiture"].share == 1 and lines["Bus"].share == 0.5


def test_multiple_choice_percentages_are_over_the_respondents_who_answered_it(sample):
    s = sample
    prix, temps = s.choice(s.reasons, "Prix"), s.choice(s.reasons, "Temps")
    submit(s.questionnaire, full_answers(s, reasons=[prix, temps]))
    submit(s.questionnaire, full_answers(s, reasons=[prix]))
    submit(s.questionnaire, full_answers(s, reasons=[temps]))
    submit(s.questionnaire, full_answers(s, reasons=[prix]))
    submit(s.questionnaire, full_answers(s, reasons=None))
    result = result_of(results_for(s.questionnaire), s.reasons)
    assert result.respondents == 5
    assert result.answered == 4 and result.no_answer == 1
    assert by_label(result)["Prix"].count == 3
    assert by_label(result)["Prix"].percent == 75
    assert by_label(result)["Temps"].percent == 50


def test_other_precisions_are_counted_and_listed(sample):
    s = sample
    other = s.choice(s.transport, "Autre")
    submit(s.questionnaire, full_answers(s, transport=(other, "Trottinette")))
    submit(s.questionnaire, full_answers(s, transport=(other, "À pied")))
    result = result_of(results_for(s.questionnaire), s.transport)
    assert result.has_other
    assert result.answers_count == 2
    page = answers_page(s.transport)
    assert [a.text for a in page.items] == ["À pied", "Trottinette"]


def test_scale_counts_each_value_with_its_labels_and_the_mean(sample):
    s = sample
    for value in [5, 4, 4, 1]:
        submit(s.questionnaire, full_answers(s, satisfaction=value))
    result = result_of(results_for(s.questionnaire), s.satisfaction)
    assert [line.label for line in result.lines] == ["1 — Pas du tout", "2", "3", "4", "5 — Tout à fait"]
    assert [line.count for line in result.lines] == [1, 0, 0, 2, 1]
    assert result.mean == pytest.approx(3.5)
    assert result.lines[3].percent == 50


def test_ranking_sorts_choices_by_mean_rank(sample):
    s = sample
    parcs, pistes, bancs = (s.choice(s.ranking, x) for x in ["Parcs", "Pistes cyclables", "Bancs"])
    submit(s.questionnaire, full_answers(s, ranking=[pistes, parcs, bancs]))
    submit(s.questionnaire, full_answers(s, ranking=[pistes, bancs, parcs]))
    submit(s.questionnaire, full_answers(s, ranking=[parcs, pistes, bancs]))
    result = result_of(results_for(s.questionnaire), s.ranking)
    assert [line.label for line in result.lines] == ["Pistes cyclables", "Parcs", "Bancs"]
    assert result.lines[0].mean_rank == pytest.approx(4 / 3)
    assert result.lines[2].mean_rank == pytest.approx(8 / 3)
    assert result.answered == 3
    assert result.lines[0].share > result.lines[1].share > result.lines[2].share > 0


def test_matrix_rows_total_their_own_answers(sample):
    s = sample
    bien, moyen = s.choice(s.matrix, "Bien"), s.choice(s.matrix, "Moyen")
    submit(s.questionnaire, full_answers(s, matrix={s.row("Piscine"): bien, s.row("Médiathèque"): moyen}))
    submit(s.questionnaire, full_answers(s, matrix={s.row("Piscine"): moyen}))
    result = result_of(results_for(s.questionnaire), s.matrix)
    piscine, mediatheque = result.matrix
    assert piscine.label == "Piscine" and piscine.answered == 2
    assert [c.count for c in piscine.cells] == [1, 1, 0]
    assert [c.percent for c in piscine.cells] == [50, 50, 0]
    assert mediatheque.answered == 1 and mediatheque.cells[1].percent == 100


def test_number_statistics_with_an_exact_median(sample):
    s = sample
    for age in [20, 30, 41, 90]:
        submit(s.questionnaire, full_answers(s, age=age))
    stats = result_of(results_for(s.questionnaire), s.age).stats
    assert stats.count == 4
    assert stats.minimum == Decimal(20) and stats.maximum == Decimal(90)
    assert stats.mean == pytest.approx(45.25)
    assert stats.median == Decimal("35.5")
    submit(s.questionnaire, full_answers(s, age=Decimal("12.5")))
    assert result_of(results_for(s.questionnaire), s.age).stats.median == Decimal(30)


def test_date_statistics(sample):
    s = sample
    submit(s.questionnaire, full_answers(s, arrival=datetime.date(2001, 1, 1)))
    submit(s.questionnaire, full_answers(s, arrival=datetime.date(2020, 6, 30)))
    stats = result_of(results_for(s.questionnaire), s.arrival).stats
    assert (stats.count, stats.minimum, stats.maximum) == (2, datetime.date(2001, 1, 1), datetime.date(2020, 6, 30))


def test_free_text_counts_and_latest_samples_only_when_asked(sample):
    s = sample
    for n in range(5):
        submit(s.questionnaire, full_answers(s, comment=f"Commentaire {n}"))
    submit(s.questionnaire, full_answers(s, comment=None))
    result = result_of(results_for(s.questionnaire, with_answers=True), s.comment)
    assert result.answers_count == 5
    assert [a.text for a in result.samples] == ["Commentaire 4", "Commentaire 3", "Commentaire 2"]
    assert result_of(results_for(s.questionnaire), s.comment).samples == []


def test_files_are_counted(sample):
    s = sample
    submit(s.questionnaire, full_answers(s, photo=("banc.jpg", b"\xff\xd8\xff")))
    submit(s.questionnaire, full_answers(s))
    assert result_of(results_for(s.questionnaire), s.photo).answers_count == 1
    assert [a.file_name for a in answers_page(s.photo).items] == ["banc.jpg"]


def test_test_responses_and_drafts_never_count(sample):
    s = sample
    submit(s.questionnaire, full_answers(s))
    submit(s.questionnaire, full_answers(s), is_test=True)
    from participe.modules.surveys.tests.factories import ResponseFactory

    ResponseFactory(questionnaire=s.questionnaire, submitted_at=None)
    results = results_for(s.questionnaire, Scope(without_territory=True))
    assert results.respondents == 1
    assert results_for(s.questionnaire).respondents == 1


def test_sections_group_the_questions_and_numbers_skip_them(sample):
    results = results_for(sample.questionnaire)
    assert [g.section.title if g.section else None for g in results.groups] == [None, "Vos priorités", "Vous"]
    assert [r.number for r in results] == list(range(1, 11))
    assert results.groups[1].results[0].question.title == "Classez vos priorités"


def test_a_territory_counts_its_respondents_and_those_of_the_territories_under_it(sample, tree):
    s = sample
    city, north, south = tree
    voiture, bus = s.choice(s.transport, "Voiture"), s.choice(s.transport, "Bus")
    submit(s.questionnaire, full_answers(s, transport=voiture, age=30), territory=north)
    submit(s.questionnaire, full_answers(s, transport=bus, age=50), territory=south)
    submit(s.questionnaire, full_answers(s, transport=bus, age=70, comment="Sans compte"))

    north_results = results_for(s.questionnaire, Scope.of_territory(north), with_answers=True)
    assert north_results.respondents == 1
    assert [line.count for line in result_of(north_results, s.transport).lines] == [1, 0, 0, 0]
    assert result_of(north_results, s.age).stats.mean == 30
    assert result_of(north_results, s.comment).answers_count == 1

    city_results = results_for(s.questionnaire, Scope.of_territory(city))
    assert city_results.respondents == 2
    assert [line.count for line in result_of(city_results, s.transport).lines] == [1, 1, 0, 0]
    assert result_of(city_results, s.age).stats.median == 40

    nowhere = results_for(s.questionnaire, Scope(without_territory=True), with_answers=True)
    assert nowhere.respondents == 1
    assert [line.count for line in result_of(nowhere, s.transport).lines] == [0, 1, 0, 0]
    assert [a.text for a in result_of(nowhere, s.comment).samples] == ["Sans compte"]

    everyone = results_for(s.questionnaire, EVERYONE)
    assert everyone.respondents == 3
    assert [line.count for line in result_of(everyone, s.transport).lines] == [1, 2, 0, 0]


def test_too_few_respondents_of_a_territory_are_not_published(sample, tree):
    s = sample
    _city, north, _south = tree
    for _n in range(3):
        submit(s.questionnaire, full_answers(s), territory=north)
    assert results_for(s.questionnaire, Scope.of_territory(north)).too_few_to_publish
    assert not results_for(s.questionnaire, EVERYONE).too_few_to_publish


def test_crosstab_of_two_single_answer_questions(sample):
    s = sample
    voiture, bus = s.choice(s.transport, "Voiture"), s.choice(s.transport, "Bus")
    for transport, satisfaction in [(voiture, 5), (voiture, 5), (voiture, 1), (bus, 1)]:
        submit(s.questionnaire, full_answers(s, transport=transport, satisfaction=satisfaction))
    submit(s.questionnaire, full_answers(s, transport=bus, satisfaction=None))
    table = crosstab(s.transport, s.satisfaction)
    assert table.total == 4
    assert table.cells[(str(voiture.pk), "5")] == 2
    assert table.row_totals == {str(voiture.pk): 3, str(bus.pk): 1}
    assert table.column_totals == {"5": 2, "1": 2}
    rows = table.table()
    label, total, cells = rows[0]
    assert (label, total) == ("Voiture", 3)
    assert cells[0] == (1, pytest.approx(100 / 3)) and cells[4] == (2, pytest.approx(200 / 3))
    assert table.column_total_list == [2, 0, 0, 0, 2]


def test_crosstab_with_a_multiple_choice_counts_each_respondent_once_in_totals(sample, tree):
    s = sample
    _city, north, _south = tree
    voiture, bus = s.choice(s.transport, "Voiture"), s.choice(s.transport, "Bus")
    prix, temps = s.choice(s.reasons, "Prix"), s.choice(s.reasons, "Temps")
    submit(s.questionnaire, full_answers(s, transport=voiture, reasons=[prix, temps]), territory=north)
    submit(s.questionnaire, full_answers(s, transport=voiture, reasons=[prix]))
    submit(s.questionnaire, full_answers(s, transport=bus, reasons=[temps]))
    table = crosstab(s.reasons, s.transport)
    assert table.cells == {
        (str(prix.pk), str(voiture.pk)): 2,
        (str(temps.pk), str(voiture.pk)): 1,
        (str(temps.pk), str(bus.pk)): 1,
    }
    assert table.row_totals == {str(prix.pk): 2, str(temps.pk): 2}
    assert table.column_totals == {str(voiture.pk): 2, str(bus.pk): 1}
    assert table.total == 3
    north_only = crosstab(s.reasons, s.transport, Scope.of_territory(north))
    assert north_only.total == 1 and north_only.cells[(str(temps.pk), str(voiture.pk))] == 1


def test_only_single_multiple_and_scale_questions_can_be_crossed(sample):
    assert [q.title for _n, q in crossable_questions(questions_of(sample.questionnaire))] == [
        "Comment venez-vous ?",
        "Pourquoi ?",
        "Êtes-vous satisfait du quartier ?",
    ]


def test_answers_page_searches_and_pages_with_a_cursor(sample):
    s = sample
    for n in range(25):
        submit(s.questionnaire, full_answers(s, comment=f"Idée n° {n} : {'arbres' if n % 2 else 'bancs'}"))
    first = answers_page(s.comment, size=10)
    assert len(first.items) == 10 and first.has_next
    second = answers_page(s.comment, size=10, cursor=first.next_cursor)
    assert second.items[0].pk < first.items[-1].pk
    found = answers_page(s.comment, search="ARBRES", size=50)
    assert len(found.items) == 12 and not found.has_next


def test_territory_options_list_parents_before_children(tree):
    options = [(t.name, depth) for t, depth in territory_options()]
    assert options == [("Ville", 0), ("Nord", 1), ("Sud", 1)]


def test_an_empty_questionnaire_has_no_results(sample):
    results = results_for(sample.questionnaire)
    assert results.respondents == 0
    transport = result_of(results, sample.transport)
    assert all(line.percent is None for line in transport.lines)
    assert result_of(results, sample.age).stats.count == 0


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12))
def test_bar_chart_keeps_bars_within_the_drawing(counts):
    top = max(counts)
    lines = [Line(str(n), f"Choix {n}", c, share=c / top if top else 0) for n, c in enumerate(counts)]
    chart = charts.bar_chart(lines)
    assert len(chart.bars) == len(counts)
    for bar in chart.bars:
        assert 0 <= bar.width <= charts.WIDTH - charts.VALUE_ROOM
        assert bar.value_x <= charts.WIDTH
        assert bar.bar_y + chart.bar_height <= chart.height
        assert (bar.width > 0) == (bar.line.count > 0)


def test_stacked_chart_fills_each_answered_row():
    from participe.modules.surveys.results import MatrixLine

    cells = [Line("1", "Bien", 3, share=0.75), Line("2", "Mal", 1, share=0.25)]
    chart = charts.stacked_chart([MatrixLine("9", "Piscine", 4, cells)])
    row = chart.rows[0]
    assert sum(seg.width for seg in row.segments) == charts.WIDTH
    assert row.segments[1].x == charts.WIDTH * 0.75
    assert chart.legend == [("Bien", 0), ("Mal", 1)]
    assert charts.shorten("x" * 80).endswith("…") and len(charts.shorten("x" * 80)) == charts.LABEL_CHARACTERS


def test_figures_read_from_answers_are_cached_until_the_next_response(sample):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s = sample
    submit(s.questionnaire, full_answers(s, age=30))
    with CaptureQueriesContext(connection) as first:
        results_for(s.questionnaire)
    with CaptureQueriesContext(connection) as again:
        assert result_of(results_for(s.questionnaire), s.age).stats.mean == 30
    assert len(again) < len(first)
    assert not any("surveys_answer" in q["sql"] for q in again.captured_queries)
    submit(s.questionnaire, full_answers(s, age=50))
    assert result_of(results_for(s.questionnaire), s.age).stats.mean == 40
    north = TerritoryFactory()
    assert result_of(results_for(s.questionnaire, Scope.of_territory(north)), s.age).stats.count == 0


def test_a_crosstab_is_cached_until_the_next_response(sample):
    s = sample
    voiture = s.choice(s.transport, "Voiture")
    submit(s.questionnaire, full_answers(s, transport=voiture, satisfaction=5))
    assert crosstab(s.transport, s.satisfaction).total == 1
    submit(s.questionnaire, full_answers(s, transport=voiture, satisfaction=4))
    s.transport.questionnaire.refresh_from_db()
    table = crosstab(s.transport, s.satisfaction)
    assert table.total == 2 and table.cells[(str(voiture.pk), "4")] == 1


def test_a_search_reads_a_bounded_window_and_can_be_continued(sample, monkeypatch):
    from participe.modules.surveys.results import listing

    s = sample
    monkeypatch.setattr(listing, "SEARCH_WINDOW", 5)
    for n in range(12):
        submit(s.questionnaire, full_answers(s, comment=f"Avis {n} {'fontaine' if n in (1, 2, 8, 9) else 'banc'}"))
    first = answers_page(s.comment, search="fontaine", size=20)  # answers 11 to 7 are read
    assert [a.text for a in first.items] == ["Avis 9 fontaine", "Avis 8 fontaine"]
    assert first.window_ended and first.has_next
    assert first.items[0].response.short_receipt  # responses attached for the list
    second = answers_page(s.comment, search="fontaine", size=20, cursor=first.next_cursor)  # 6 to 2
    assert [a.text for a in second.items] == ["Avis 2 fontaine"] and second.window_ended
    third = answers_page(s.comment, search="fontaine", size=20, cursor=second.next_cursor)  # 1 and 0: the end
    assert [a.text for a in third.items] == ["Avis 1 fontaine"] and not third.has_next and not third.window_ended
    full = answers_page(s.comment, search="fontaine", size=1)  # the page fills before the window ends
    assert [a.text for a in full.items] == ["Avis 9 fontaine"] and not full.window_ended
    following = answers_page(s.comment, search="fontaine", size=1, cursor=full.next_cursor)
    assert [a.text for a in following.items] == ["Avis 8 fontaine"]
    assert answers_page(s.comment, search="Avis", cursor="pas-un-nombre").items[0].text == "Avis 11 banc"


def test_the_migration_counts_the_respondents_of_answers_received_before_the_counters(sample):
    import importlib

    from django.apps import apps

    from participe.modules.surveys.models import Tally

    s = sample
    prix, temps = s.choice(s.reasons, "Prix"), s.choice(s.reasons, "Temps")
    submit(s.questionnaire, full_answers(s, reasons=[prix, temps]))
    submit(s.questionnaire, full_answers(s, reasons=[prix]))
    submit(s.questionnaire, full_answers(s, reasons=None))
    markers = Tally.objects.filter(key__startswith="0:0:0:", question__kind__in=["multiple", "ranking"])
    markers.delete()  # as before the counters existed
    migration = importlib.import_module("participe.modules.surveys.migrations.0004_tally_answered_counters")
    migration.count_respondents(apps, None)
    result = result_of(results_for(s.questionnaire), s.reasons)
    assert result.answered == 2
    assert by_label(result)["Prix"].percent == 100
    assert result_of(results_for(s.questionnaire), s.ranking).answered == 3
