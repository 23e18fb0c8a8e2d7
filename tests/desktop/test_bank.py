"""Picking questions in the app: random, weakest area, mock interview, packs, model answer."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.bank.import_dialog import (
    PackImporter,
    import_pack_file,
    show_pack_problems,
)
from starcoach.desktop.bank.imports import import_pack, open_user_library, user_pack_paths
from starcoach.desktop.bank.mock import MockLoop
from starcoach.desktop.bank.model_answer import (
    ModelAnswerDialog,
    has_model_answer,
    model_answer_texts,
)
from starcoach.desktop.bank.picker import NO_HISTORY, MockDialog, WeakestDialog, pick_random
from starcoach.desktop.chooser import QuestionChooser
from starcoach.desktop.state.choice import QuestionChoice
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import SECTION_LABELS
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.text import estimate_words

from .conftest import WEAK_ANSWER

MY_PACK = """
[pack]
id = "my-stories"

[[questions]]
id = "my-unowned-outage"
principle = "frugality"
text = "Tell me about an outage nobody owned and what you did about it."
lenses = ["junior"]
"""


@pytest.fixture
def chooser(qtbot):
    widget = QuestionChooser()
    qtbot.addWidget(widget)
    widget.select("ownership-failure", "senior", "dive-deep")
    return widget


def message_box(name: str) -> QMessageBox | None:
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == name and w.isVisible()]
    return boxes[-1] if boxes else None


# ----------------------------------------------------------------- random
def test_random_question_stays_within_the_principle_unless_asked(chooser):
    cat = chooser.catalogue
    rng = random.Random(3)
    seen = set()
    for _ in range(6):
        before = chooser.question_id()
        qid = pick_random(chooser, rng=rng)
        assert qid != before and chooser.question_id() == qid
        assert cat.questions[qid].principle == "ownership"
        seen.add(qid)
    assert len(seen) > 1 and chooser.level_id() == "senior"
    principles = {cat.questions[pick_random(chooser, any_principle=True, rng=rng)].principle
                  for _ in range(12)}
    assert len(principles) > 2


# ----------------------------------------------------------------- weakest
def _analysed(store: HistoryStore, question: str, text: str) -> None:
    attempt = store.begin_attempt(question=question, principle=None)
    words = estimate_words(text)
    store.finish_attempt(attempt.id, words, analyze(words, question=question,
                                                    timing="estimated"))


def test_weakest_dialog_ranks_from_real_history(qtbot, data_dir):
    with HistoryStore() as store:
        _analysed(store, "ownership-failure", WEAK_ANSWER)
        _analysed(store, "ownership-failure", WEAK_ANSWER)
        _analysed(store, "frugality-cut-waste", WEAK_ANSWER.replace("we ", "I "))
        failures = store.rule_failures()
    cat = builtin_catalogue()
    dialog = WeakestDialog(cat, failures, n=5)
    qtbot.addWidget(dialog)
    ids = dialog.question_ids()
    # Two weak ownership answers outweigh one frugality answer with fewer failures.
    assert [cat.questions[q].principle for q in ids] == ["ownership"] * 4 + ["frugality"]
    assert ids[3] == "ownership-failure"  # fresh stories first among equals
    first, last = dialog.list.item(0).text(), dialog.list.item(4).text()
    lines = first.splitlines()[1:]
    expected = failures["ownership-failure"].most_common()
    assert len(lines) == 3 and expected[0][1] >= 2  # two answers: each rule at least twice
    for line, (rule, count) in zip(lines, sorted(expected, key=lambda rc: (-rc[1], rc[0])),
                                   strict=False):
        times = "twice" if count == 2 else f"{count} times"
        assert line.strip() == f"{cat.rules[rule].title} — {times}"
    frugal = sorted(failures["frugality-cut-waste"].items(), key=lambda rc: (-rc[1], rc[0]))
    assert last.splitlines()[1].strip().startswith(cat.rules[frugal[0][0]].title + " — ")
    assert first.startswith("Ownership: ") and last.startswith("Frugality: ")
    assert dialog.choose_button.isEnabled()

    dialog.list.setCurrentRow(2)
    with qtbot.waitSignal(dialog.chosen) as chosen:
        dialog.choose_button.click()
    assert chosen.args == [ids[2]] and not dialog.isVisible()


def test_weakest_dialog_without_history_says_to_answer_first(qtbot):
    with HistoryStore() as store:
        failures = store.rule_failures()
    dialog = WeakestDialog(builtin_catalogue(), failures)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.intro.text() == NO_HISTORY and dialog.question_ids() == []
    assert not dialog.choose_button.isEnabled() and dialog.list.isHidden()


# ----------------------------------------------------------------- mock interview
def test_mock_dialog_returns_distinct_questions_from_different_principles(qtbot):
    dialog = MockDialog(rng=random.Random(5))
    qtbot.addWidget(dialog)
    assert (dialog.count.minimum(), dialog.count.maximum()) == (2, 8)
    dialog.count.setValue(6)
    dialog.minutes.setValue(2)
    dialog.open()
    with qtbot.waitSignal(dialog.chosen) as chosen:
        dialog.start_button.click()
    ids, minutes = chosen.args
    cat = builtin_catalogue()
    assert len(ids) == 6 and len(set(ids)) == 6 and minutes == 2
    assert len({cat.questions[q].principle for q in ids}) == 6
    assert dialog.result_value() == (ids, 2)


def test_mock_loop_walks_the_questions_and_sums_up():
    now = [100.0]
    loop = MockLoop(["a", "b", "c"], minutes_per_answer=2, clock=lambda: now[0])
    assert (loop.current, loop.position, loop.next_label()) == ("a", (1, 3),
                                                                "Next question (2 of 3)")
    loop.record(11, 95.0)
    now[0] += 150
    assert loop.next() == "b" and loop.next_label() == "Next question (3 of 3)"
    loop.record(12, 130.0)
    loop.record(13, 100.0)  # a retry of the same question
    now[0] += 300
    assert loop.next() == "c" and loop.next_label() == "Finish mock interview"
    loop.record(14, 60.0)
    now[0] += 90
    assert loop.next() is None and loop.done and loop.current is None
    now[0] += 1000  # time after the end does not count
    summary = loop.summary()
    assert summary.attempt_ids == [11, 12, 13, 14] and summary.answered == 3
    assert summary.elapsed_s == 540 and summary.speaking_s == 385
    assert summary.over_time == ["b"]
    assert summary.text() == ("You answered 3 of 3 questions in 9:00, speaking for 6:25. "
                              "1 answer ran past 2:00.")
    with pytest.raises(RuntimeError):
        loop.record(15, 1.0)
    with pytest.raises(ValueError):
        MockLoop(["a", "a"])


# ----------------------------------------------------------------- model answer
def test_model_answer_dialog_shows_five_timed_sections_and_the_summary(qtbot):
    assert has_model_answer("ownership-failure")
    assert not has_model_answer("frugality-cut-waste") and not has_model_answer(None)
    dialog = ModelAnswerDialog("ownership-failure")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    sections = dialog.report.sections
    assert [s.label for s in sections] == list(SECTION_LABELS)
    for s in sections:
        assert s.target_s is not None and 0 < s.duration_s <= s.target_s
    texts = model_answer_texts("ownership-failure")
    for s in sections:  # each section is exactly its own text, forced by the marks
        words = dialog.report.words[s.first_word:s.last_word + 1]
        assert " ".join(w.text for w in words) == " ".join(texts[s.label].split())
    shown = dialog.view.toPlainText()
    assert dialog.section_captions()[0] == "Situation 0:19 of 0:45"
    for caption in dialog.section_captions():
        assert caption in shown
    summary = builtin_catalogue().questions["ownership-failure"].notes["model_answer_summary"]
    assert dialog.summary.text() == summary and dialog.summary.isVisible()
    assert len(dialog.timeline.segments()) == 5
    assert "Situation: 19 s of 45 s" in dialog.timeline.accessibleDescription()
    assert dialog.view.isReadOnly()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


# ----------------------------------------------------------------- importing
def test_importing_from_the_app_refreshes_the_chooser(qtbot, chooser, tmp_path):
    source = tmp_path / "mine.toml"
    source.write_text(MY_PACK, encoding="utf-8")
    dest = import_pack_file(chooser, source, chooser)
    assert dest is not None and dest.read_text(encoding="utf-8") == MY_PACK
    assert chooser.question_id() == "my-unowned-outage"
    assert "my-unowned-outage" in chooser.catalogue.questions
    assert chooser.question.text().startswith("Tell me about an outage")
    assert chooser.level_id() == "senior"

    chooser.select("ownership-failure", "principal", "dive-deep")
    chooser.reload_catalogue()  # keeps what was chosen
    assert (chooser.question_id(), chooser.level_id(), chooser.lens_id()) == (
        "ownership-failure", "principal", "dive-deep")


def test_a_malformed_pack_shows_its_one_line_and_copies_nothing(qtbot, chooser, tmp_path):
    source = tmp_path / "broken.toml"
    source.write_text(MY_PACK.replace('principle = "frugality"', 'principle = "thrift"'),
                      encoding="utf-8")
    before = chooser.question_id()
    assert import_pack_file(chooser, source, chooser) is None
    qtbot.waitUntil(lambda: message_box("pack-error") is not None)
    box = message_box("pack-error")
    line = f"{source}: questions[0].principle: unknown principle 'thrift'"
    assert box.text() == line
    assert user_pack_paths() == [] and chooser.question_id() == before
    box.close()
    importer = PackImporter(chooser, chooser)
    with qtbot.waitSignal(importer.failed) as failed:
        assert importer.import_file(str(source)) is None
    assert failed.args == [line] and importer.last_box.objectName() == "pack-error"
    importer.last_box.close()


def test_pack_importer_file_dialog_imports_the_chosen_file(qtbot, chooser, tmp_path):
    source = tmp_path / "mine.toml"
    source.write_text(MY_PACK, encoding="utf-8")
    importer = PackImporter(chooser, chooser, native=False)
    dialog = importer.start()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.nameFilters() == ["Question packs (*.toml)"]
    dialog.setDirectory(str(tmp_path))
    dialog.selectFile(str(source))
    with qtbot.waitSignal(importer.imported) as imported:
        dialog.accept()
    path, ids = imported.args
    assert Path(path) in user_pack_paths() and ids == ["my-unowned-outage"]
    assert chooser.question_id() == "my-unowned-outage"


def test_a_pack_broken_after_import_is_reported_at_start(qtbot, tmp_path):
    source = tmp_path / "mine.toml"
    source.write_text(MY_PACK, encoding="utf-8")
    copy = import_pack(source)
    copy.write_text("[pack\n", encoding="utf-8")
    library, problems = open_user_library()
    assert len(problems) == 1 and problems[0].startswith(f"{copy}: line 1: not valid TOML")
    widget = QuestionChooser(choice=QuestionChoice(library))  # starts, without that pack
    qtbot.addWidget(widget)
    assert "ownership-failure" in widget.catalogue.questions
    assert "my-unowned-outage" not in widget.catalogue.questions
    box = show_pack_problems(widget, problems)
    assert box is not None and box.objectName() == "pack-problems"
    assert problems[0] in box.text()
    assert show_pack_problems(widget, []) is None
    box.close()
