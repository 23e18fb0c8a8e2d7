"""Words a person reads in the window, and faults named for what happened: the model's
name, labels that show no stray "&", a fresh practice screen, the review kept in place when
the exact words arrive, and a full disk told as a full disk with what was kept."""

from __future__ import annotations

import errno
import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from starcoach.desktop.app import MainWindow
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.practice.settings_dialog import SettingsDialog
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import Word
from starcoach.rubric.text import estimate_words
from starcoach.speech import flacfile
from starcoach.speech import settings as shared
from starcoach.speech.audio import SAMPLE_RATE, decode_audio

from .conftest import WEAK_ANSWER
from .practice_helpers import KnownWords, LostStream, spoken_answer

DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def answer():
    return spoken_answer()


def open_window(qtbot, answer, stream=None) -> MainWindow:
    win = MainWindow(loader=lambda _m, _t: KnownWords(answer.words), stream_factory=stream)
    qtbot.addWidget(win)
    win.resize(1000, 700)
    with qtbot.waitSignal(win.practice.modelReady, timeout=20_000):
        win.show()
    return win


def shown_texts(top: QWidget) -> list[str]:
    out = []
    for w in [top, *top.findChildren(QWidget)]:
        if isinstance(w, QLabel | QAbstractButton) and w.isVisibleTo(top):
            out.append(w.text())
    return out


def test_a_model_folder_called_model_is_named_by_its_parent_and_no_word_doubles(
        qtbot, tmp_path, answer):
    folder = tmp_path / "small-ct2" / "model"
    folder.mkdir(parents=True)
    shared.choose_model(str(folder))
    win = open_window(qtbot, answer)
    assert win.practice.model_name == "small-ct2"
    assert win.model_banner.label.text() == "Speech model: small-ct2"
    win.menus.practise_action.trigger()
    texts = [*shown_texts(win), win.statusBar().currentMessage()]
    assert win.practice.status.text() in ("", "Speech model ready: small-ct2.")
    doubled = [t for t in texts if DOUBLED.search(t.replace("&", ""))]
    assert doubled == []


def test_every_label_with_a_mnemonic_has_a_buddy_so_no_ampersand_shows(qtbot, answer):
    win = open_window(qtbot, answer)
    dialog = SettingsDialog(win.settings, win)
    qtbot.addWidget(dialog)
    for top in (win, dialog):
        for label in top.findChildren(QLabel):
            text = label.text().replace("&&", "")
            if re.search(r"&\w", text) and "<" not in text:
                assert label.buddy() is not None, f"{text!r} would show its '&'"
    model = next(lab for lab in dialog.findChildren(QLabel) if lab.text() == "Speech &model:")
    assert model.buddy() is dialog.model


def test_a_fresh_practice_does_not_show_the_last_answers_status(qtbot, answer):
    cut = round(3.0 * SAMPLE_RATE)
    win = open_window(qtbot, answer, lambda **kw: LostStream(answer.audio[:cut], **kw))
    win.menus.practise_action.trigger()
    with qtbot.waitSignal(win.practice.reportReady, timeout=20_000,
                          check_params_cb=lambda _r, final: final):
        assert win.practice.start()
    qtbot.waitUntil(lambda: not win.practice.session.finishing, timeout=20_000)
    win.menus.practise_action.trigger()  # the next answer
    assert win.stack.currentWidget() is win.practice
    assert "transcript" not in win.practice.status.text().lower()
    assert win.practice.elapsed.text() == "0:00"
    assert "Mid level" in win.practice.subtitle.text()


def test_the_exact_words_keep_the_transcript_where_it_was_and_the_finding_selected(
        qtbot, answer):
    win = open_window(qtbot, answer)
    long = " ".join([WEAK_ANSWER] * 4)
    first = estimate_words(long)
    final = [Word(w.text, w.start + 0.01, w.end + 0.01) for w in first]  # the exact words
    win.menus.practise_action.trigger()  # the answer was just given: its review opens
    win._on_practice_report(analyze(first, question="ownership-failure"), False)
    review = win.review
    assert win.stack.currentWidget() is review
    assert review.subtitle.text().startswith("Ownership · Mid level")
    report = review.report
    k = max(range(len(report.findings)), key=lambda i: report.findings[i].word_span[0])
    review.select_finding(k)
    chosen = report.findings[k]
    bar = review.transcript.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)  # scrolled down to the finding
    before = bar.value()
    win._on_practice_report(analyze(final, question="ownership-failure"), True)
    assert review.report.words[0].start == final[0].start
    now = review.findings.selected_finding()
    assert now >= 0
    assert (review.report.findings[now].rule, review.report.findings[now].word_span) == \
        (chosen.rule, chosen.word_span)
    assert review.transcript.selected_finding() == now
    assert abs(bar.value() - before) <= review.transcript.fontMetrics().lineSpacing()


def test_a_full_disk_mid_answer_is_named_so_and_says_what_was_kept(qtbot, answer,
                                                                   monkeypatch):
    real_write = flacfile.FlacWriter.write

    def write(self, samples):  # no full disk can be made here: the write fails as one would
        if self.samples >= 2 * SAMPLE_RATE:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, samples)

    monkeypatch.setattr(flacfile.FlacWriter, "write", write)
    win = open_window(qtbot, answer, lambda **kw: LostStream(answer.audio, **kw))
    win.menus.practise_action.trigger()
    with qtbot.waitSignal(win.practice.fault, timeout=20_000) as fault, \
            qtbot.waitSignal(win.practice.reportReady, timeout=20_000,
                             check_params_cb=lambda _r, final: final):
        assert win.practice.start()
    f = fault.args[0]
    assert f.kind == "disk-full" and win.last_message.objectName() == "fault-disk-full"
    assert f.text == ("Your disk is full. The first 0:02 of your answer was saved; free some "
                      "space and press Space to try again.")
    assert "microphone" not in f.text.lower()
    session = win.practice.session
    assert decode_audio(session.audio_path).size == 2 * SAMPLE_RATE  # nothing recorded lost
    assert HistoryStore().get(session.attempt_id).status == "analysed"


def test_a_full_disk_when_recording_starts_says_nothing_was_recorded(qtbot, answer,
                                                                      monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    monkeypatch.setattr(flacfile.FlacWriter, "__init__", full)
    win = open_window(qtbot, answer, lambda **kw: LostStream(answer.audio, **kw))
    win.menus.practise_action.trigger()
    with qtbot.waitSignal(win.practice.fault) as fault:
        assert not win.practice.start()
    assert fault.args[0].kind == "disk-full"
    assert fault.args[0].text.startswith("Your disk is full, so nothing was recorded.")
    assert HistoryStore().list() == []


def test_a_full_disk_while_saving_the_attempt_keeps_the_review_and_says_so(qtbot, answer):
    cut = round(3.0 * SAMPLE_RATE)
    win = open_window(qtbot, answer, lambda **kw: LostStream(answer.audio[:cut], **kw))
    store = win.practice.store
    win.menus.practise_action.trigger()
    faults = []
    win.practice.fault.connect(faults.append)
    # A real SQLite "database or disk is full": the file may not grow by one more page.
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with qtbot.waitSignal(win.practice.reportReady, timeout=20_000,
                          check_params_cb=lambda _r, final: final):
        assert win.practice.start()
    kinds = [f.kind for f in faults]
    assert kinds.count("disk-full") == 1 and "device-lost" in kinds
    saved = next(f for f in faults if f.kind == "disk-full")
    assert saved.text.startswith("Your disk is full, so this review could not be saved")
    assert "The recording (0:03) is kept" in saved.text
    assert win.review.report is not None  # the review is still shown


def test_a_damaged_stored_review_is_said_plainly_without_the_exception(qtbot, answer):
    win = open_window(qtbot, answer)
    store = win.practice.store
    new = store.begin_attempt(question="ownership-failure", principle="ownership")
    words = estimate_words(WEAK_ANSWER)
    report = analyze(words, question="ownership-failure").to_json()
    report["findings"] = [{"severity": "major"}]  # a finding without its rule
    store.finish_attempt(new.id, words, report)
    with qtbot.waitSignal(win.history_control.problem) as problem:
        assert not win.history_control.open_attempt(new.id)
    _title, text = problem.args
    assert text == ("This attempt's stored review is damaged, so it cannot be shown. Its "
                    "recording is kept.")
    assert "KeyError" not in text and "'rule'" not in text
