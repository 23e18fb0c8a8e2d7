"""The review screen: sections and findings drawn on the transcript, both-way selection,
correcting the split, re-record."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from starcoach.desktop import style, wording
from starcoach.desktop.review.transcript import FINDINGS_PROPERTY, SECTION_PROPERTY

from .conftest import finding_index


def char_format(view, position: int) -> QTextCharFormat:
    """The format of the character *at* ``position`` (QTextCursor reports the one before)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)
    return cursor.charFormat()


def doc_text(view, start: int, end: int) -> str:
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText()


def test_every_section_is_a_labelled_tinted_paragraph(review, weak_report):
    view = review.transcript
    doc = view.document()
    assert doc.blockCount() == len(weak_report.sections)
    for n, section in enumerate(weak_report.sections):
        block = doc.findBlockByNumber(n)
        assert block.text().startswith(wording.section_name(section.label).upper())
        first, _ = view.word_range(section.first_word)
        assert block.position() < first < block.position() + block.length()
        tint = style.section_tint(section.label, view.palette())
        for word in (section.first_word, section.last_word):
            fmt = char_format(view, view.word_range(word)[0])
            assert fmt.property(SECTION_PROPERTY) == section.label
            assert fmt.background().color() == tint
    spoken = [doc_text(view, *view.word_range(i)) for i in range(len(weak_report.words))]
    assert spoken == [w.text.strip() for w in weak_report.words]


def test_each_finding_is_underlined_on_exactly_its_words(review, weak_report):
    view = review.transcript
    findings = weak_report.findings
    assert findings, "the weak answer should draw feedback"
    for k in range(len(findings)):
        start, end = view.finding_range(k)
        for pos in range(start, end):
            fmt = char_format(view, pos)
            assert fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
            assert str(k) in str(fmt.property(FINDINGS_PROPERTY)).split(",")
    covered = {i for f in findings for i in range(f.word_span[0], f.word_span[1] + 1)}
    for i in range(len(weak_report.words)):
        fmt = char_format(view, view.word_range(i)[0])
        underlined = fmt.underlineStyle() != QTextCharFormat.UnderlineStyle.NoUnderline
        assert underlined == (i in covered), weak_report.words[i].text


def test_severity_sets_the_underline_style_and_colour(review, weak_report):
    view = review.transcript
    k = finding_index(weak_report, "manager_directed")
    start, end = view.finding_range(k)
    assert doc_text(view, start, end).startswith("My manager asked me to look into it")
    fmt = char_format(view, start)
    assert fmt.underlineStyle() == style.SEVERITY_UNDERLINE["major"]
    assert fmt.underlineColor() == style.severity_color("major", view.palette())
    minor = next(k for k, f in enumerate(weak_report.findings) if f.severity == "minor")
    fmt = char_format(view, view.finding_range(minor)[0])
    assert fmt.underlineStyle() == style.SEVERITY_UNDERLINE["minor"]


def test_tooltip_says_what_was_heard_why_and_what_instead(review, weak_report):
    k = finding_index(weak_report, "escalation_handoff")
    f = weak_report.findings[k]
    tip = review.transcript.tooltip_for_word(f.word_span[0])
    assert "Escalation instead of a fix" in tip  # the rule's title from the pack
    for part in ("Heard", "Why it costs", "Stronger"):
        assert part in tip
    assert "escalated it to the platform team" in tip
    assert review.transcript.tooltip_for_word(2) == ""  # "last": no finding there


def test_selecting_a_finding_highlights_and_reveals_its_words(qtbot, review, weak_report):
    review.resize(700, 300)  # small enough that the last finding is off screen
    tree = review.findings.tree
    k = len(weak_report.findings) - 1
    item = review.findings.item_for(k)
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    with qtbot.waitSignal(review.findings.findingSelected) as blocker:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [k]
    view = review.transcript
    selections = view.extraSelections()
    assert len(selections) == 1
    start, end = view.finding_range(k)
    assert (selections[0].cursor.selectionStart(), selections[0].cursor.selectionEnd()) \
        == (start, end)
    assert view.viewport().rect().intersects(view.cursorRect())
    assert weak_report.findings[k].heard.split()[0] in review.findings.details.text()


def test_findings_list_is_in_spoken_order_with_titles(review, weak_report):
    order = review.findings.row_order()
    assert sorted(order) == list(range(len(weak_report.findings)))
    starts = [weak_report.findings[k].start_s for k in order]
    assert starts == sorted(starts)
    first = review.findings.tree.topLevelItem(0)
    f = weak_report.findings[order[0]]
    assert first.text(1) == style.SEVERITY_NAMES[f.severity]
    assert first.text(2) == wording.rule_title(f.rule)


def test_clicking_words_selects_their_finding(qtbot, review, weak_report):
    view = review.transcript
    k = finding_index(weak_report, "escalation_handoff")
    word = weak_report.findings[k].word_span[0] + 2
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.word_range(word)[0] + 1)
    view.ensureCursorVisible()
    point = view.cursorRect(cursor).center()
    with qtbot.waitSignal(review.findings.findingSelected) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [k]
    assert review.findings.selected_finding() == k
    assert view.selected_finding() == k


def test_enter_on_a_word_selects_its_finding(qtbot, review, weak_report):
    view = review.transcript
    k = finding_index(weak_report, "generic_reflection")
    cursor = view.textCursor()
    cursor.setPosition(view.word_range(weak_report.findings[k].word_span[0])[0])
    view.setTextCursor(cursor)
    with qtbot.waitSignal(review.findings.findingSelected) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [k]


def test_correcting_the_split_updates_every_view(qtbot, review, weak_report):
    labels = [s.label for s in weak_report.sections]
    assert "task" not in labels
    word = next(i for i, w in enumerate(weak_report.words) if w.text == "My")
    menu = review.transcript.section_menu(word)
    action = next(a for a in menu.actions() if a.objectName() == "mark-task")
    with qtbot.waitSignal(review.reportChanged) as blocker:
        action.trigger()
    report = blocker.args[0]
    assert review.report is report and review.marks == [(word, "task")]
    task = next(s for s in report.sections if s.label == "task")
    assert task.first_word == word
    assert [f.rule for f in report.findings] != [f.rule for f in weak_report.findings] or \
        [f.section for f in report.findings] != [f.section for f in weak_report.findings]
    view = review.transcript
    assert view.document().blockCount() == len(report.sections)
    assert char_format(view, view.word_range(word)[0]).property(SECTION_PROPERTY) == "task"
    assert [s.label for s in review.timeline.segments()] == [s.label for s in report.sections]
    assert review.findings.tree.topLevelItemCount() == len(report.findings)
    assert review.metrics.verdict.text() == report.scores["verdict"]
    assert review.reset_action.isEnabled()

    # Marks accumulate: a second correction keeps the first.
    result_word = next(i for i, w in enumerate(report.words) if w.text == "In")
    with qtbot.waitSignal(review.reportChanged) as blocker:
        review.transcript.markRequested.emit(result_word, "result")
    report2 = blocker.args[0]
    assert review.marks == [(word, "task"), (result_word, "result")]
    starts = {s.label: s.first_word for s in report2.sections}
    assert starts["task"] == word and starts["result"] == result_word

    with qtbot.waitSignal(review.reportChanged):
        review.reset_action.trigger()
    assert review.marks == []
    assert [s.label for s in review.report.sections] == labels


def test_keyboard_shortcut_marks_a_section_at_the_caret(qtbot, review, weak_report):
    view = review.transcript
    word = next(i for i, w in enumerate(weak_report.words) if w.text == "We")
    cursor = view.textCursor()
    cursor.setPosition(view.word_range(word)[0])
    view.setTextCursor(cursor)
    review.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with qtbot.waitSignal(review.reportChanged) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert review.marks == [(word, "task")]
    report = blocker.args[0]
    assert report.section_of_word(word) == "task"
    assert review.transcript.report is report


def test_rerecord_has_a_shortcut(qtbot, review):
    review.activateWindow()
    review.transcript.setFocus()
    qtbot.waitUntil(review.transcript.hasFocus)
    with qtbot.waitSignal(review.rerecordRequested):
        qtbot.keyClick(review.transcript, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)


def test_metrics_panel_shows_pace_fillers_i_we_scores_and_verdict(review, weak_report):
    m, s = weak_report.metrics, weak_report.scores
    panel = review.metrics
    assert f"{m['wpm']:.0f} words per minute" == panel.pace.text()
    assert f"{m['fillers_per_min']:.1f} per minute" in panel.fillers.text()
    assert f"{m['i_count']} I · {m['we_count']} we" in panel.i_we.text()
    assert panel.verdict.text() == s["verdict"]
    for cat, bar in panel.bars.items():
        assert bar.value() == s[cat]


def test_the_verdict_cap_names_its_rules_by_title(review, weak_report):
    capped = weak_report.scores.get("capped_by") or []
    assert capped  # the weak answer's verdict is capped by a rule
    text = review.metrics.overall.text()
    for rule in capped:
        assert wording.rule_title(rule) in text
        assert rule.replace("_", " ") not in text  # never the id, however spelled
