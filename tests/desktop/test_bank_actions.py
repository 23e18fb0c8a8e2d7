"""The Questions menu in the real window: random and weakest picks, the model answer, importing
a pack, and a mock interview answered through the real PortAudio fake microphone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from starcoach.desktop.app import MainWindow
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.rubric.analyze import analyze
from starcoach.rubric.packs import builtin_catalogue
from starcoach.rubric.text import estimate_words

from .conftest import WEAK_ANSWER, stop_feeding
from .practice_helpers import KnownWords, spoken_answer

PACK = """
[pack]
id = "my-team-questions"
name = "My team's questions"

[[questions]]
id = "my-outage"
principle = "ownership"
text = "Tell me about an outage you led the recovery from."
"""


@pytest.fixture
def store(data_dir):
    s = HistoryStore()
    yield s
    s.close()


def open_window(qtbot, store, loader=None):
    win = MainWindow(store=store, loader=loader)
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_random_stays_on_the_principle_and_weakest_reads_the_history(qtbot, store):
    words = estimate_words(WEAK_ANSWER)
    attempt = store.begin_attempt(question="ownership-failure", principle="ownership")
    store.finish_attempt(attempt.id, words, analyze(words, question="ownership-failure"))
    win = open_window(qtbot, store)
    cat = builtin_catalogue()
    menu_titles = [a.text() for a in win.menuBar().actions()]
    assert menu_titles.index("&Questions") == 1  # after File, before View

    win.chooser.select("ownership-failure", "senior", None)
    win.bank.random_action.trigger()
    picked = win.chooser.question_id()
    assert picked != "ownership-failure" and cat.questions[picked].principle == "ownership"
    assert win.chooser.level_id() == "senior"

    dialog = win.bank.show_weakest()
    assert dialog.question_ids()  # aimed at what failed in the stored attempt
    assert {cat.questions[q].principle for q in dialog.question_ids()} == {"ownership"}


def test_the_model_answer_is_offered_only_where_a_pack_has_one(qtbot, store):
    win = open_window(qtbot, store)
    win.chooser.select("ownership-failure")
    assert win.bank.model_answer_action.isEnabled()
    dialog = win.bank.show_model_answer()
    assert any(c.startswith("Situation") for c in dialog.section_captions())
    dialog.close()
    other = next(q.id for q in builtin_catalogue().questions.values()
                 if not q.notes.get("model_answer"))
    win.chooser.select(other)
    assert not win.bank.model_answer_action.isEnabled()


def test_an_imported_pack_shows_up_in_the_chooser_and_history_filters(qtbot, store, tmp_path):
    win = open_window(qtbot, store)
    pack = tmp_path / "mine.toml"
    pack.write_text(PACK)
    importer = win.bank.import_pack()
    importer.reject()
    assert win.bank.importer.import_file(str(pack)) is not None
    assert win.chooser.question_id() == "my-outage"
    assert win.history.question.findData("my-outage") > 0

    broken = tmp_path / "broken.toml"
    broken.write_text(PACK.replace('principle = "ownership"', 'principle = "teamwork"')
                      .replace("my-outage", "other-outage").replace("my-team", "their"))
    assert win.bank.importer.import_file(str(broken)) is None
    text = win.bank.importer.last_box.text()
    assert "broken.toml" in text and "principle" in text and "teamwork" in text


def test_the_windows_own_library_judges_its_packs_and_leaks_nowhere(qtbot, store, tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text(PACK + "\n[questions.targets]\nsituation = 20\n")
    win = open_window(qtbot, store)
    win.bank.import_pack().reject()
    assert win.bank.importer.import_file(str(pack)) is not None
    assert "my-outage" in win.state.library.catalogue().questions  # the app's, in its state
    assert "my-outage" not in builtin_catalogue().questions  # nothing process-wide
    answer = tmp_path / "answer.txt"
    answer.write_text(WEAK_ANSWER, encoding="utf-8")
    assert win.open_answer(answer)  # analysed on the window's catalogue
    assert win.review.report.question == "my-outage"
    assert win.review.report.sections[0].target_s == 20
    win.review.marks = [(5, "task")]
    win.review.reanalyse()  # a corrected split too
    assert win.review.report.question == "my-outage"
    win.show_practice()
    assert win.practice.targets["situation"] == 20  # the live clock's target


def test_a_mock_interview_asks_each_question_then_sums_up(qtbot, store, fakemic):
    answer = spoken_answer("I fixed the import myself. <pause:0.3> Failures went to zero.")
    win = open_window(qtbot, store, loader=lambda _m, _t: KnownWords(answer.words))
    qtbot.waitUntil(lambda: win.practice.transcriber is not None, timeout=30_000)
    ids = ["ownership-failure", next(q.id for q in builtin_catalogue().questions.values()
                                     if q.principle == "customer-obsession")]
    win.bank.start_mock(ids, 1)
    assert not win.bank.mock_action.isEnabled() and win.bank.end_mock_action.isEnabled()
    for n, qid in enumerate(ids, start=1):
        assert win.stack.currentWidget() is win.practice
        assert win.chooser.question_id() == qid
        assert win.practice.subtitle.text().startswith(f"Mock interview: question {n} of 2")
        win.activateWindow()
        win.practice.setFocus()
        qtbot.keyClick(win.practice, Qt.Key.Key_Space)
        fakemic.feed(answer.audio)
        qtbot.waitUntil(lambda: win.practice.session.audio_seconds >= answer.duration,
                        timeout=30_000)
        with qtbot.waitSignal(win.practice.reportReady, timeout=30_000,
                              check_params_cb=lambda _r, final: final):
            qtbot.keyClick(win.practice, Qt.Key.Key_Space)
        stop_feeding(fakemic)
        nxt = win.review.next_button
        assert nxt.isVisibleTo(win.review) and nxt.isEnabled()
        assert nxt.text() == ("Next question (2 of 2)" if n == 1 else "Finish mock interview")
        with qtbot.waitSignal(win.bank.mockFinished) if n == 2 else _nothing():
            nxt.click()

    summary = win.bank.last_dialog
    assert summary.objectName() == "mock-summary"
    assert "You answered 2 of 2 questions" in summary.text()
    kept = [a.question for a in store.list()]
    assert sorted(kept) == sorted(ids)
    assert not win.review.next_button.isVisibleTo(win.review)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
