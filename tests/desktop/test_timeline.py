"""The timeline bar: proportional segments, a target marker each, over-target in words."""

from __future__ import annotations

import pytest
from starcoach.desktop.review.timeline import TimelineBar
from starcoach.rubric.model import Report, Section, Word


def report_with(durations: list[tuple[str, float, float | None]]) -> Report:
    words, sections, t = [], [], 0.0
    for n, (label, duration, target) in enumerate(durations):
        words.append(Word(f"w{n}", t, t + duration))
        sections.append(Section(label, n, n, t, t + duration, target))
        t += duration
    return Report(None, "ownership", "mid", None, "words", t, words, sections, [])


@pytest.fixture
def bar(qtbot):
    widget = TimelineBar()
    qtbot.addWidget(widget)
    widget.resize(800, widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_segments_are_proportional_with_a_marker_per_target(bar):
    bar.set_report(report_with([("situation", 60, 45), ("task", 10, 20),
                                ("action", 70, 70), ("result", 20, None)]))
    segs = bar.segments(width=1000)
    assert [s.label for s in segs] == ["situation", "task", "action", "result"]
    # One time scale: slots are max(duration, target) = 60 + 20 + 70 + 20 = 170 s.
    scale = 1000 / 170
    for seg, (dur, target) in zip(segs, [(60, 45), (10, 20), (70, 70), (20, None)],
                                  strict=True):
        assert seg.width == pytest.approx(dur * scale)
        if target is None:
            assert seg.marker_x is None
        else:
            assert seg.marker_x - seg.x0 == pytest.approx(target * scale)
    assert segs[1].slot_end - segs[1].x0 == pytest.approx(20 * scale)  # unused allowance
    assert [s.over for s in segs] == [True, False, False, False]


def test_over_target_is_said_in_words(bar):
    bar.set_report(report_with([("situation", 62, 45), ("action", 50, 70)]))
    captions = [s.caption() for s in bar.segments()]
    assert captions[0] == "Situation: 62 s of 45 s, over by 17 s"
    assert "over" not in captions[1]
    assert "over by 17 s" in bar.accessibleDescription()


def test_review_timeline_matches_the_report(review, weak_report):
    segs = review.timeline.segments()
    assert [s.label for s in segs] == [s.label for s in weak_report.sections]
    for seg, section in zip(segs, weak_report.sections, strict=True):
        assert seg.duration_s == pytest.approx(section.duration_s)
        assert seg.target_s == section.target_s
        assert seg.over == section.over_target


def test_timeline_paints(bar):
    bar.set_report(report_with([("situation", 60, 45), ("task", 10, 20)]))
    image = bar.grab().toImage()
    assert image.width() > 0
    colours = {image.pixelColor(x, image.height() // 4).name()
               for x in range(0, image.width(), 7)}
    assert len(colours) > 3  # segments, allowance, marker and hatching drawn
