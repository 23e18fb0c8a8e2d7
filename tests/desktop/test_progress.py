"""Progress for a question: series and "since last time" from real stored attempts, and the
chart and panel that show them (real widgets, offscreen).

The attempts are real analyses of text answers stored in a real SQLite history: a weak,
slowly spoken first answer (Situation over its target, many findings) and a stronger second
one, with a recovered recording between them that has no report.
"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from starcoach.desktop import style
from starcoach.desktop.attempts.progress import (
    ProgressSeries,
    latest_change,
    load_attempts,
    progress_series,
    question_targets,
    section_seconds,
    since_last_time,
)
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.history.chart import FINDINGS, SCORE, ProgressChart, bar_color
from starcoach.desktop.history.progress_view import ProgressPanel
from starcoach.desktop.settings import dark_palette
from starcoach.rubric.analyze import analyze
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.text import estimate_words

from .conftest import WEAK_ANSWER

Q = "ownership-failure"
WEAK = WEAK_ANSWER
STRONG = (
    "Last year our checkout service failed every night during the batch import. "
    "It was not my team's system and nobody asked me to look at it. "
    "I decided to own the fix because customers were losing orders. "
    "I traced the failure to a lock held by the import job, I rewrote the job to commit in "
    "small batches and I added an alarm. "
    "Failures dropped from five a week to zero, saving about forty hours a month. "
    "I learned to measure the cost of a problem before choosing a fix."
)


def _analyse(text: str, wpm: float = 150.0):
    words = estimate_words(text, wpm=wpm)
    return words, analyze(words, question=Q, timing="estimated")


@pytest.fixture(scope="module")
def answers():
    """(words, report) for the weak answer spoken slowly and the strong one at a usual pace."""
    return {"weak": _analyse(WEAK, wpm=60), "strong": _analyse(STRONG)}


def _store_attempt(store: HistoryStore, answer, day: int, question: str = Q) -> int:
    new = store.begin_attempt(question=question, started_at=f"2025-03-{day:02d}T12:00:00+00:00")
    words, report = answer
    store.finish_attempt(new.id, words, report)
    return new.id


def _recovered(store: HistoryStore, day: int) -> int:
    """A recording whose process died: recovered on the next start, never transcribed."""
    new = store.begin_attempt(question=Q, started_at=f"2025-03-{day:02d}T12:00:00+00:00")
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE attempts SET owner = 'nohost:1' WHERE id = ?", (new.id,))
    assert store.recover() == [new.id]
    return new.id


@pytest.fixture
def store(tmp_path):
    s = HistoryStore(tmp_path / "history" / "starcoach.sqlite3")
    yield s
    s.close()


@pytest.fixture
def history(store, answers):
    """Weak (1 March), recovered (2 March), strong (3 March), and another question's attempt."""
    ids = {"weak": _store_attempt(store, answers["weak"], 1),
           "recovered": _recovered(store, 2),
           "strong": _store_attempt(store, answers["strong"], 3)}
    _store_attempt(store, answers["strong"], 4, question="customer-obsession-tradeoff")
    return ids


def _attempts(store: HistoryStore):
    return [store.get(s.id) for s in store.list(question=Q)]  # newest first, as listed


def _spans(report: dict, label: str) -> float:
    return sum(s["end_s"] - s["start_s"] for s in report["sections"] if s["label"] == label)


# -- the series (no Qt) -------------------------------------------------------------------------
def test_series_values_equal_the_reports_section_spans(store, history):
    attempts = _attempts(store)
    assert attempts[1].status == "recovered" and attempts[1].report is None
    series = progress_series(Q, attempts)
    assert series.skipped == 1
    assert [p.attempt_id for p in series.points] == [history["weak"], history["strong"]]
    assert [p.number for p in series.points] == [1, 2]
    targets = builtin_catalogue().questions[Q].targets
    for point in series.points:
        report = store.get(point.attempt_id).report
        for label in ("situation", "task", "action", "result", "reflection"):
            assert point.seconds.get(label, 0.0) == pytest.approx(_spans(report, label))
            assert point.targets[label] == targets[label]
        assert point.finding_count == len(report["findings"])
        assert point.overall == report["scores"]["overall"]
        assert point.verdict == report["scores"]["verdict"]
        assert point.duration_s == pytest.approx(report["duration_s"])
    weak, strong = series.points
    assert "task" not in weak.seconds  # the weak answer has no Task: drawn as 0 s
    assert weak.over("situation") and not strong.over("situation")
    assert weak.finding_count > strong.finding_count and weak.overall < strong.overall
    assert series.sections == ("situation", "task", "action", "result", "reflection")


def test_load_attempts_reads_only_analysed_ones_oldest_first(store, history):
    loaded = load_attempts(store, Q)
    assert [a.id for a in loaded] == [history["weak"], history["strong"]]
    assert [a.id for a in load_attempts(store, Q, limit=1)] == [history["strong"]]


def test_since_last_time_names_what_disappeared_and_what_appeared(answers):
    weak, strong = answers["weak"][1].to_json(), answers["strong"][1].to_json()
    rules_weak = {f["rule"] for f in weak["findings"]}
    rules_strong = {f["rule"] for f in strong["findings"]}
    # The answers do what this test relies on.
    assert "situation_over_time" in rules_weak - rules_strong
    assert "action_underweighted" in rules_strong - rules_weak
    change = since_last_time(weak, strong)
    assert {c.rule for c in change.gone} == rules_weak - rules_strong
    assert {c.rule for c in change.new} == rules_strong - rules_weak
    assert {c.rule for c in change.still} == rules_weak & rules_strong
    rules = builtin_catalogue().rules
    lines = change.sentences()
    assert f"Gone: {rules['situation_over_time'].title}" in lines
    assert f"New: {rules['action_underweighted'].title}" in lines
    assert all(f"Still there: {rules[r].title}" in lines for r in rules_weak & rules_strong)
    again = since_last_time(weak, weak).sentences()  # the same answer twice: all still there
    assert rules_weak and all(f"Still there: {rules[r].title}" in again for r in rules_weak)
    # The Situation and the whole answer moved back within their targets.
    moved = {t.label: t for t in change.now_within}
    assert set(moved) == {"situation", "answer"} and not change.now_over
    assert moved["situation"].before_s == pytest.approx(section_seconds(weak)["situation"])
    assert moved["situation"].target_s == 45
    assert (f"Now within target: Situation, {round(section_seconds(strong)['situation'])} s "
            f"against 45 s (was {round(section_seconds(weak)['situation'])} s)") in lines
    back = since_last_time(strong, weak)  # the reverse: new findings, now over target
    assert {c.rule for c in back.new} == rules_weak - rules_strong
    assert {t.label for t in back.now_over} == {"situation", "answer"}


def test_latest_change_skips_attempts_without_a_report(store, history):
    change = latest_change(_attempts(store), Q)
    assert change is not None and "situation_over_time" in {c.rule for c in change.gone}
    recovered_only = [a for a in _attempts(store) if a.report is None]
    assert latest_change(recovered_only, Q) is None
    assert progress_series(Q, recovered_only).points == ()


def test_damaged_reports_degrade_to_zeros_not_errors():
    assert section_seconds({"sections": "oops"}) == {}
    assert section_seconds({"sections": [{"label": "action", "duration_s": 12.5}, 7]}) == {
        "action": 12.5}
    change = since_last_time({}, {"findings": [{"rule": "hedging"}, {"no": "rule"}]})
    assert [c.rule for c in change.new] == ["hedging"] and not change.timing
    assert since_last_time({}, {}).sentences() == ["No findings, last time or this time."]
    assert question_targets("no-such-question") == builtin_catalogue().targets


def test_a_hundred_attempts_summarise_and_a_narrow_chart_shows_the_latest(tmp_path, answers,
                                                                            qtbot):
    with HistoryStore(tmp_path / "many.sqlite3") as store:
        for k in range(100):
            _store_attempt(store, answers["weak" if k % 2 else "strong"], 1 + k % 28)
        attempts = load_attempts(store, Q)
        series = progress_series(Q, attempts)
        change = latest_change(attempts, Q)
    assert len(series.points) == 100 and change is not None
    chart = ProgressChart()
    qtbot.addWidget(chart)
    chart.resize(chart.minimumSizeHint().width() + 40, 360)  # narrow: not all 100 fit
    chart.set_series(series)
    shown = chart.visible_range()
    assert 0 < len(shown) < 100 and shown.stop == 100  # the latest ones that fit
    assert f"the latest {len(shown)} described" in chart.accessibleDescription()


# -- the widgets --------------------------------------------------------------------------------
@pytest.fixture
def panel(qtbot, store, history):
    widget = ProgressPanel()
    qtbot.addWidget(widget)
    widget.resize(820, 640)
    widget.set_attempts(Q, _attempts(store))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _close(a: QColor, b: QColor, tolerance: int = 3) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3],
                                                          strict=True))


def _check_bars(chart: ProgressChart) -> None:
    image = chart.grab().toImage()
    pal = chart.palette()
    points = chart.series.points
    for label in chart.series.sections:
        per_second = []
        for index, point in enumerate(points):
            bar = chart.bar_rect(index, label)
            seconds = point.seconds.get(label, 0.0)
            if seconds == 0.0:
                assert bar.height() == pytest.approx(0.0)
                continue
            per_second.append(bar.height() / seconds)
            x, y = int(bar.center().x()), int(bar.bottom() - 2)
            assert _close(image.pixelColor(x, y), bar_color(label, pal)), (label, index)
        assert max(per_second) - min(per_second) < 0.02  # heights proportional to seconds
    # The findings row: taller bar for more findings.
    heights = [chart.bar_rect(k, FINDINGS).height() for k in range(len(points))]
    counts = [p.finding_count for p in points]
    assert heights[0] / counts[0] == pytest.approx(heights[1] / counts[1], abs=0.05)


def test_chart_draws_bars_in_section_colours_sized_by_duration(panel):
    chart = panel.chart
    assert chart.series.skipped == 1 and len(chart.series.points) == 2
    _check_bars(chart)
    # The weak Situation ran past its target: the tick sits inside the bar and the part
    # above it is hatched in the "over" colour; the strong one ends below its tick.
    weak_bar, strong_bar = chart.bar_rect(0, "situation"), chart.bar_rect(1, "situation")
    assert weak_bar.top() < chart.target_y(0, "situation") < weak_bar.bottom()
    assert chart.target_y(1, "situation") < strong_bar.top()
    image = chart.grab().toImage()
    over = style.severity_color("major", chart.palette())
    top = int(weak_bar.top()) + 1
    hatch = [image.pixelColor(x, y) for x in range(int(weak_bar.left()) + 1,
                                                   int(weak_bar.right()) - 1)
             for y in range(top, int(chart.target_y(0, "situation")) - 2)]
    assert any(_close(c, over, 40) for c in hatch)
    # The score line's points sit higher for the higher score.
    assert chart.score_point(1).y() < chart.score_point(0).y()


def test_chart_follows_a_dark_palette(panel, qtbot):
    light = bar_color("action", panel.chart.palette())
    panel.setPalette(dark_palette())
    qtbot.waitUntil(lambda: style.is_dark(panel.chart.palette()))
    assert bar_color("action", panel.chart.palette()) != light
    _check_bars(panel.chart)


def test_tooltips_name_section_seconds_and_target(panel):
    chart = panel.chart
    weak = chart.series.points[0]
    spent = weak.seconds["situation"]
    bar = chart.bar_rect(0, "situation")
    tip = chart.tooltip_at(bar.center())
    assert tip.splitlines()[0] == "Attempt 1, 1 Mar"
    assert tip.splitlines()[1] == (f"Situation: {round(spent)} s, target 45 s, "
                                   f"over by {round(spent - 45)} s")
    task_row = QPointF(bar.center().x(), chart.bar_rect(0, "task").bottom() - 3)
    assert chart.tooltip_at(task_row).splitlines()[1] == "Task: 0 s (not heard), target 20 s"
    findings = chart.tooltip_at(chart.bar_rect(1, FINDINGS).center())
    strong = chart.series.points[1]
    assert f"{strong.finding_count} findings, score {round(strong.overall)}" in findings
    # The real tooltip event shows the same text.
    pos = chart.bar_rect(1, "action").center().toPoint()
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    assert QToolTip.text() == chart.tooltip_at(QPointF(pos))
    assert chart.tooltip_at(QPointF(1, 1)) is None  # the row labels have no tooltip


def test_accessible_description_states_the_figures(panel):
    chart = panel.chart
    text = chart.accessibleDescription()
    weak, strong = chart.series.points
    assert chart.accessibleName() == "Progress chart"
    assert "2 analysed attempts" in text
    assert f"Situation {round(weak.seconds['situation'])} seconds of 45, over target" in text
    assert f"Action {round(strong.seconds['action'])} seconds of 70" in text
    assert f"{weak.finding_count} findings, score {round(weak.overall)}" in text
    assert text.startswith("Selected: Attempt 2")


def test_keyboard_chooses_and_opens_an_attempt(panel, qtbot, history):
    chart = panel.chart
    assert chart.focusPolicy() & Qt.FocusPolicy.TabFocus
    chart.setFocus()
    assert chart.current_index == 1
    with qtbot.waitSignal(chart.current_changed) as changed:
        qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert changed.args == [history["weak"]] and chart.current_index == 0
    assert chart.accessibleDescription().startswith("Selected: Attempt 1")
    qtbot.keyClick(chart, Qt.Key.Key_Left)  # already the oldest: stays
    assert chart.current_index == 0
    with qtbot.waitSignal(panel.attempt_chosen) as chosen:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert chosen.args == [history["weak"]]
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.current_index == 1


def test_panel_lists_since_last_time_in_plain_sentences(panel):
    rules = builtin_catalogue().rules
    lines = panel.sentences()
    assert f"Gone: {rules['situation_over_time'].title}" in lines
    assert f"New: {rules['action_underweighted'].title}" in lines
    assert any(line.startswith("Now within target: Situation") for line in lines)
    assert panel.since_list.count() == len(lines) and panel.since_list.isVisible()
    assert "1 attempt is not transcribed yet" in panel.summary.text()


def test_panel_with_fewer_than_two_analysed_attempts_says_so(qtbot, store, answers):
    widget = ProgressPanel()
    qtbot.addWidget(widget)
    widget.resize(600, 480)
    widget.show()
    assert widget.sentences()[0].startswith("Once an answer to this question is analysed")
    assert widget.chart.accessibleDescription() == "No analysed attempts to chart yet."
    _recovered(store, 1)
    widget.set_attempts(Q, _attempts(store))  # only a recovered one: nothing to chart
    assert widget.series.points == () and widget.series.skipped == 1
    widget.chart.grab()  # paints the empty state without error
    only = _store_attempt(store, answers["strong"], 2)
    widget.set_attempts(Q, _attempts(store))
    assert widget.sentences() == ["One analysed attempt so far. Answer again to see what "
                                  "changed since last time."]
    assert not widget.since_list.isVisible() and widget.since_note.isVisible()
    assert [p.attempt_id for p in widget.series.points] == [only]
    assert widget.chart.bar_rect(0, "action").height() > 0
    assert widget.chart.bar_rect(0, SCORE) is None  # the score is a line, not a bar
    assert isinstance(widget.series, ProgressSeries)
    assert widget.chart.tooltip_at(QPointF(-5, -5)) is None
