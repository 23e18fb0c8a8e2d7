"""Layout at the default size: the timeline's section names are never cut ("Reflec…"), and
the progress chart fills its width with labelled axes and a value on each bar and dot."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QPalette
from starcoach.desktop import wording
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.bank.model_answer import ModelAnswerDialog
from starcoach.desktop.history import chart_paint
from starcoach.desktop.history.chart import AXIS_TITLE, FINDINGS, SCORE, Y_TITLE
from starcoach.desktop.history.progress_view import ProgressPanel
from starcoach.desktop.review.timeline import place
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import SECTION_LABELS
from starcoach.rubric.text import estimate_words

from .test_progress import STRONG, WEAK

Q = "ownership-failure"


# -- the timeline --------------------------------------------------------------------------
def test_place_keeps_order_spacing_and_bounds():
    xs = place([0, 10, 95], [30, 30, 30], 0, 100, 2)
    assert xs is not None and xs[0] == 0 and xs[2] == 70  # the last pulled in from the edge
    assert xs[0] + 30 + 2 <= xs[1] and xs[1] + 30 + 2 <= xs[2]
    assert place([0, 10], [60, 60], 0, 100, 2) is None  # cannot fit


def _no_overlaps(rects) -> None:
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b), (a, b)


def test_the_model_answer_timeline_names_every_section_in_full(qtbot):
    dialog = ModelAnswerDialog(Q)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.timeline
    captions = bar.captions()
    assert [c.label for c in captions] == list(SECTION_LABELS)
    assert [c.name for c in captions] == [wording.section_name(s) for s in SECTION_LABELS]
    assert all("…" not in c.time for c in captions)
    _no_overlaps([c.name_rect for c in captions])
    _no_overlaps([c.time_rect for c in captions])
    bold = bar.font()
    bold.setBold(True)
    for c in captions:
        assert c.name_rect.left() >= 0 and c.name_rect.right() <= bar.width()
        assert c.time_rect.right() <= bar.width() + 1


def test_a_very_narrow_timeline_elides_rather_than_overlaps(qtbot, weak_report):
    from starcoach.desktop.review.timeline import TimelineBar

    bar = TimelineBar()
    qtbot.addWidget(bar)
    bar.set_report(weak_report)
    bar.resize(bar.minimumSizeHint())
    bar.show()
    qtbot.waitExposed(bar)
    _no_overlaps([c.name_rect for c in bar.captions()])


# -- the progress chart --------------------------------------------------------------------
@pytest.fixture
def panel(qtbot, tmp_path):
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        for day, (text, wpm) in enumerate([(WEAK, 60), (STRONG, 150), (STRONG, 170)], 1):
            words = estimate_words(text, wpm=wpm)
            new = store.begin_attempt(question=Q,
                                      started_at=f"2025-03-{day:02d}T12:00:00+00:00")
            store.finish_attempt(new.id, words, analyze(words, question=Q, timing="estimated"))
        attempts = [store.get(s.id) for s in store.list(question=Q)]
    widget = ProgressPanel()
    qtbot.addWidget(widget)
    widget.resize(1060, 520)  # the history's lower half at the default window size
    widget.set_attempts(Q, attempts)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_chart_fills_its_width(panel):
    chart = panel.chart
    lay = chart._layout()
    assert chart.width() > 0.9 * panel.width()
    columns = [chart.column_rect(i, lay) for i in chart.visible_range()]
    assert len(columns) == 3
    plot_right = chart.width() - chart._em() * 0.5
    assert columns[0].left() == pytest.approx(lay.left)
    assert columns[-1].right() == pytest.approx(plot_right, abs=1.0)  # the whole width
    bar = chart.bar_rect(0, "action", lay)
    assert bar.width() > chart._em() * 5  # no longer a 100-pixel strip of thin bars


def test_the_chart_has_labelled_axes(panel):
    chart = panel.chart
    lay = chart._layout()
    texts = {text: (rect, row) for text, rect, row in chart_paint.axis_texts(chart, lay)}
    assert AXIS_TITLE in texts and texts[AXIS_TITLE][1] == 2
    for p in chart.points():
        assert f"#{p.number}" in texts and p.short_date() in texts
    title = lay.y_title
    assert title.height() >= chart.fontMetrics().horizontalAdvance(Y_TITLE)
    assert title.right() <= min(cell.left() for cell in lay.labels.values()) + 0.5
    # "Seconds" is drawn there: ink in the strip, which is otherwise the window's colour.
    image = chart.grab().toImage()
    window = chart.palette().color(QPalette.ColorRole.Window)
    inked = sum(1 for x in range(int(title.left()), int(title.right()))
                for y in range(int(title.top()), int(title.bottom()))
                if image.pixelColor(x, y) != window)
    assert inked > 20


def test_each_bar_and_dot_shows_its_value_beside_it(panel):
    chart = panel.chart
    lay = chart._layout()
    assert lay.values
    for index, p in enumerate(chart.points()):
        for key in (*chart.series.sections, FINDINGS, SCORE):
            text = chart_paint.value_text(chart, index, key)
            rect = chart_paint.value_rect(chart, index, key, lay)
            assert rect is not None, (index, key)
            col = chart.column_rect(index, lay)
            assert col.left() <= rect.left() and rect.right() <= col.right() + 0.5
            row = lay.rows[key]
            assert row.top() - 0.5 <= rect.top() and rect.bottom() <= row.bottom() + 0.5
            if key == FINDINGS:
                assert text == str(p.finding_count)
            elif key == SCORE:
                assert text == str(round(p.overall))
                dot = chart.score_point(index, lay)
                assert rect.left() > dot.x()
            else:
                assert text == str(round(p.seconds.get(key, 0.0)))
                assert rect.left() >= chart.bar_rect(index, key, lay).right()
    assert chart.tooltip_at(QPointF(1, 1)) is None
