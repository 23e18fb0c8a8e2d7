"""The history view in the real window over a real SQLite store: listing, filters, notes,
delete with confirmation, export, opening an attempt in the review, recovery at start and
transcribing a recovered recording on demand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from starcoach.desktop.app import MainWindow
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.history.table import COLUMNS
from starcoach.rubric.analyze import analyze
from starcoach.rubric.text import estimate_words
from starcoach.speech.flacfile import FlacWriter

from .conftest import WEAK_ANSWER
from .practice_helpers import KnownWords, spoken_answer

STRONG = ("Last spring the nightly billing export failed twice a week; it was not my team's "
          "job and nobody had asked me to look. I decided to own it because invoices were "
          "late. I traced the failures to a timeout, I rewrote the retry logic and I added an "
          "alert. Failures went from two a week to zero and we saved about six hours a week. "
          "I learned to look for the missing owner first.")


def _attempt(store, text, question="ownership-failure", principle="ownership",
             started=None, audio=True):
    words = estimate_words(text)
    report = analyze(words, question=question, timing="estimated")
    new = store.begin_attempt(question=question, principle=principle, started_at=started)
    if audio:
        writer = FlacWriter(new.audio_path, 16000)
        writer.write(np.zeros(16000, dtype=np.float32))
        writer.close()
    store.mark_recorded(new.id, report.duration_s)
    store.finish_attempt(new.id, words, report)
    return new, report


@pytest.fixture
def store(data_dir):
    s = HistoryStore()
    yield s
    s.close()


@pytest.fixture
def filled(store):
    old = datetime.now(UTC) - timedelta(days=40)
    weak, _ = _attempt(store, WEAK_ANSWER, started=old)
    strong, strong_report = _attempt(store, STRONG)
    other, _ = _attempt(store, "I led the migration and we shipped it on time.",
                        question=next(iter(_questions_of("bias-for-action"))),
                        principle="bias-for-action")
    return {"weak": weak, "strong": strong, "other": other, "strong_report": strong_report}


def _questions_of(principle):
    from starcoach.rubric.packs import builtin_catalogue

    return [q.id for q in builtin_catalogue().questions.values() if q.principle == principle]


def open_window(qtbot, store, loader=None) -> MainWindow:
    win = MainWindow(store=store, loader=loader)
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.show()
    qtbot.waitExposed(win)
    return win


def listed(win) -> list[int]:
    return [r.id for r in win.history.model.rows]


def test_the_list_shows_every_attempt_with_its_facts_and_filters_narrow_it(qtbot, store,
                                                                           filled):
    win = open_window(qtbot, store)
    win.menus.history_action.trigger()
    assert win.stack.currentWidget() is win.history
    assert listed(win) == [filled["other"].id, filled["strong"].id, filled["weak"].id]
    model = win.history.model
    row = model.row_of(filled["strong"].id)
    cell = {c: model.index(row, i).data() for i, c in enumerate(COLUMNS)}
    assert cell["Question"].startswith("Describe a time you took ownership")
    assert cell["Principle"] == "Ownership"
    assert cell["Verdict"] == filled["strong_report"].scores["verdict"]
    assert cell["Findings"] == str(len(filled["strong_report"].findings))
    assert cell["Length"] == "{}:{:02d}".format(*divmod(round(filled["strong_report"]
                                                              .duration_s), 60))

    h = win.history
    h.search.setText("billing export")
    qtbot.waitUntil(lambda: listed(win) == [filled["strong"].id])
    h.search.clear()
    qtbot.waitUntil(lambda: len(listed(win)) == 3)
    h.principle.setCurrentIndex(h.principle.findData("bias-for-action"))
    assert listed(win) == [filled["other"].id]
    h.principle.setCurrentIndex(0)
    h.question.setCurrentIndex(h.question.findData("ownership-failure"))
    assert listed(win) == [filled["strong"].id, filled["weak"].id]
    h.period.setCurrentIndex(h.period.findData(30))
    assert listed(win) == [filled["strong"].id]
    h.search.setText("nothing like this was said")
    qtbot.waitUntil(lambda: h.list_stack.currentWidget() is h.empty)
    assert "No attempt matches" in h.empty.text()


def test_notes_are_saved_and_delete_asks_first(qtbot, store, filled):
    win = open_window(qtbot, store)
    win.show_history(filled["strong"].id)
    h = win.history
    assert h.selected_id() == filled["strong"].id
    h.detail.notes.setPlainText("Start with the scope boundary.")
    qtbot.waitUntil(lambda: store.get(filled["strong"].id).summary.notes
                    == "Start with the scope boundary.")
    assert h.model.index(h.model.row_of(filled["strong"].id),
                         COLUMNS.index("Notes")).data() == "Start with the scope boundary."

    box = h.confirm_delete()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert filled["strong"].id in listed(win) and filled["strong"].audio_path.exists()

    box = h.confirm_delete()
    delete = next(b for b in box.buttons() if b.text() == "Delete")
    delete.click()
    assert filled["strong"].id not in listed(win)
    assert not filled["strong"].audio_path.exists()
    assert filled["weak"].audio_path.exists()
    assert h.selected_id() is not None  # the selection moves on to a neighbour


def test_export_writes_each_format_and_a_problem_is_one_line(qtbot, store, filled, tmp_path):
    win = open_window(qtbot, store)
    win.show_history(filled["strong"].id)
    h = win.history
    for fmt in ("html", "md", "flac", "pdf"):
        assert h.export_to(filled["strong"].id, fmt, tmp_path / f"out.{fmt}")
    assert "billing export" in (tmp_path / "out.html").read_text()
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "out.flac").read_bytes()[:4] == b"fLaC"
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert not h.export_to(filled["strong"].id, "html", blocked / "out.html")
    assert h.last_message is not None and "\n" not in h.last_message.text()


def test_an_attempt_opens_in_the_review_with_its_recording_and_corrections_are_kept(
        qtbot, store, filled):
    win = open_window(qtbot, store)
    win.show_history(filled["strong"].id)
    qtbot.keyClick(win.history.table, Qt.Key.Key_Return)
    assert win.stack.currentWidget() is win.review
    review = win.review
    assert review.attempt_id == filled["strong"].id
    assert [w.text for w in review.report.words] == [w.text for w in
                                                     filled["strong_report"].words]
    assert review.playback.isVisibleTo(review)
    assert review.playback.path == filled["strong"].audio_path
    assert win.chooser.question_id() == "ownership-failure"

    review.mark_section(5, "task")
    stored = store.get(filled["strong"].id)
    assert stored.marks == [(5, "task")]
    assert stored.report["sections"][1]["first_word"] == 5

    win.menus.back_action.trigger()
    win.show_history(filled["strong"].id)
    win.history.open_selected()
    assert review.marks == [(5, "task")]  # reopened with the correction


def _interrupted_recording(store, audio):
    """What a crash leaves: a row still ``recording`` owned by a dead process, and a FLAC
    that was never closed."""
    new = store.begin_attempt(question="ownership-failure", principle="ownership")
    writer = FlacWriter(new.audio_path, 16000)
    writer.write(audio)
    with store._write() as db:
        db.execute("UPDATE attempts SET owner = 'nohost:1' WHERE id = ?", (new.id,))
    return new


def test_a_recording_interrupted_by_a_crash_is_recovered_at_start_and_transcribed_on_demand(
        qtbot, store):
    answer = spoken_answer()
    new = _interrupted_recording(store, answer.audio)
    win = MainWindow(store=store, loader=lambda _m, _t: KnownWords(answer.words))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.history_control.recovered, timeout=30_000) as got:
        win.show()
    assert got.args == [[new.id]]
    box = win.history_control.last_message
    assert box.objectName() == "recovered" and "kept" in box.text()
    assert store.get(new.id).status == "recovered"
    assert store.get(new.id).summary.duration_s == pytest.approx(answer.duration, abs=0.1)

    show = next(b for b in box.buttons() if b.text() == "Open History")
    show.click()
    h = win.history
    assert win.stack.currentWidget() is h and h.selected_id() == new.id
    assert h.detail.transcribe_button.isVisibleTo(h.detail)
    assert "Recovered" in h.model.index(h.model.row_of(new.id), COLUMNS.index("Verdict")).data()

    qtbot.waitUntil(lambda: win.practice.transcriber is not None, timeout=30_000)
    with qtbot.waitSignal(win.history_control.transcribed, timeout=30_000):
        h.detail.transcribe_button.click()
    assert win.stack.currentWidget() is win.review
    assert [w.text for w in win.review.report.words if w.kind == "word"] == [
        w.text for w in answer.words]
    assert store.get(new.id).status == "analysed"
    assert win.review.playback.path == new.audio_path


def test_the_progress_tab_compares_the_questions_attempts(qtbot, store, filled):
    win = open_window(qtbot, store)
    win.show_history(filled["strong"].id)
    h = win.history
    h.tabs.setCurrentWidget(h.progress)
    points = h.progress.series.points
    assert [p.attempt_id for p in points] == [filled["weak"].id, filled["strong"].id]
    sentences = h.progress.sentences()
    assert any(s.startswith("Gone: ") for s in sentences)
    h.select_attempt(filled["other"].id)
    assert [p.attempt_id for p in h.progress.series.points] == [filled["other"].id]
    with qtbot.waitSignal(h.openRequested) as opened:
        h.progress.attempt_chosen.emit(filled["weak"].id)
    assert opened.args == [filled["weak"].id]
    assert win.review.attempt_id == filled["weak"].id


def test_columns_sort_by_value_and_the_selection_follows_the_attempt(qtbot, store, filled):
    win = open_window(qtbot, store)
    win.show_history(filled["weak"].id)
    h = win.history
    length = COLUMNS.index("Length")
    h.table.sortByColumn(length, Qt.SortOrder.AscendingOrder)
    durations = [r.duration_s for r in h.model.rows]
    assert durations == sorted(durations)
    h.table.sortByColumn(length, Qt.SortOrder.DescendingOrder)
    assert [r.duration_s for r in h.model.rows] == sorted(durations, reverse=True)
    assert h.selected_id() == filled["weak"].id
    h.refresh()  # a reload keeps the chosen order
    assert [r.duration_s for r in h.model.rows] == sorted(durations, reverse=True)


def test_a_corrupt_history_is_set_aside_and_the_window_says_so(qtbot, data_dir):
    from starcoach.desktop.attempts.paths import default_db_path

    path = default_db_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database " * 200)
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.history_control.problem) as problem:
        win.show()
    title, text = problem.args
    assert title == "History set aside" and "corrupt" in text.lower()
    assert list(path.parent.glob("*.corrupt-*"))  # kept, never deleted
    win.show_history()
    assert win.history.list_stack.currentWidget() is win.history.empty


def _no_model(_model, _threads):
    from starcoach.speech.errors import ModelUnavailable

    raise ModelUnavailable("the built-in speech model (tiny.en) is missing",
                           plain="The built-in speech model is missing from this installation.")


def test_transcribing_without_a_speech_model_offers_the_download(qtbot, store):
    from starcoach.desktop.practice.download import DownloadDialog

    new = _interrupted_recording(store, np.zeros(16000, dtype=np.float32))
    store.recover(lambda _p: 1.0)
    win = open_window(qtbot, store, loader=_no_model)  # not even the built-in one
    qtbot.waitUntil(lambda: not win.practice.loader.loading, timeout=30_000)
    assert not win.history_control.transcribe(new.id)
    assert isinstance(win.last_dialog, DownloadDialog)
    assert store.get(new.id).status == "recovered"  # the recording is untouched
