"""The practice screen's parts: the live cue, manual marks, model download, known faults,
closing while recording, and settings."""

from __future__ import annotations

import importlib.util
import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from starcoach.desktop.app import MainWindow
from starcoach.desktop.attempts.store import HistoryStore
from starcoach.desktop.practice.cue import Cue, current_cue
from starcoach.desktop.practice.download import DownloadDialog
from starcoach.desktop.practice.settings_dialog import SettingsDialog
from starcoach.desktop.settings import open_settings
from starcoach.desktop.state.review import marks_to_words
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import Word
from starcoach.rubric.text import estimate_words
from starcoach.speech import models
from starcoach.speech import settings as shared
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.errors import ModelUnavailable

from .conftest import HERE, stop_feeding
from .practice_helpers import KnownWords, LostStream, open_window, spoken_answer

# -- the live cue and marks -----------------------------------------------------------------


def test_the_cue_is_the_section_now_and_turns_to_a_calm_alert_past_the_situation_target():
    from starcoach.rubric.live import live_state

    words = estimate_words("Last year I was on the payments team at an online shop and the "
                           "checkout service that many teams depended on was failing every")
    # what the practice screen reads mid-sentence, the words heard 1.5 s late
    report = live_state(words, words[-1].end + 1.5)
    cue = current_cue(report, 30.0, [], {"situation": 45.0})
    assert (cue.label, cue.alert, cue.text()) == ("situation", False, "Situation 0:30 / 0:45")
    late = current_cue(report, 47.4, [], {"situation": 45.0})
    assert late.alert and late.text() == "Situation 0:47 / 0:45 — move on"
    # "Task begins now" at 50 s: the clock restarts for the Task against its own target.
    marked = current_cue(report, 62.0, [(50.0, "task")], {"situation": 45.0, "task": 20.0})
    assert (marked.label, round(marked.clock_s), marked.alert) == ("task", 12, False)
    assert marked.text() == "Task 0:12 / 0:20"


def test_an_unsure_live_segmenter_shows_only_the_clock_and_a_sure_one_names_its_section():
    from starcoach.rubric.live import LiveState

    unsure = current_cue(LiveState(None, 12.0, 0.55), 52.4, [], {"situation": 45.0})
    assert (unsure.label, unsure.alert, unsure.text()) == (None, False, "0:52")
    sure = current_cue(LiveState("task", 40.0, 0.97), 52.0, [],
                       {"situation": 45.0, "task": 20.0})
    assert sure.text() == "Task 0:12 / 0:20"
    # a manual mark still wins over the segmenter
    marked = current_cue(LiveState(None, 0.0, 0.5), 62.0, [(50.0, "action")],
                         {"action": 70.0})
    assert marked.text() == "Action 0:12 / 1:10"


def test_marks_made_at_times_land_on_the_word_being_spoken_or_the_next():
    words = [Word("I", 0.0, 0.2), Word("um", 0.3, 0.6, "filler"), Word("fixed", 1.0, 1.4),
             Word("it", 1.5, 1.7)]
    assert marks_to_words([(0.25, "action"), (1.45, "result"), (9.0, "reflection")],
                          words) == [(2, "action"), (3, "result")]


@pytest.fixture
def window(qtbot, request):
    loader = getattr(request, "param", None) or (lambda _m, _t: KnownWords([]))
    win = MainWindow(loader=loader)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.practice.modelReady, timeout=10_000):
        win.show()
        qtbot.waitExposed(win)
    win.menus.practise_action.trigger()
    win.activateWindow()
    win.practice.setFocus()
    return win


def test_the_alert_changes_the_cue_colour_without_any_popup(window):
    screen = window.practice
    screen._show_cue(Cue("situation", 30.0, 45.0))
    calm = screen.cue_label.styleSheet()
    screen._show_cue(Cue("situation", 47.0, 45.0))
    assert screen.cue_label.text() == "Situation 0:47 / 0:45 — move on"
    assert screen.cue_label.property("alert") is True
    assert screen.cue_label.styleSheet() != calm
    assert window.last_message is None and window.last_dialog is None


def test_while_no_new_words_arrive_the_live_cue_is_judged_again_from_the_clock(qtbot):
    # The gate reads how long the speaker has gone past the last word heard; a cue judged
    # only when words arrive would keep the decode-lag view while they stay silent.
    import time

    from starcoach.desktop.screenshots import _NoWords, _SilentStream

    win = open_window(qtbot, _NoWords(), lambda **kw: _SilentStream(**kw))
    screen = win.practice
    assert screen.start()
    try:
        words = estimate_words("Last year I was on the payments team at an online shop and "
                               "the checkout service that many teams depended on was")
        screen.session.started_at = time.monotonic() - (words[-1].end + 1.5)
        screen._on_live_words(words)
        heard = screen.live_report
        assert heard.label == "situation" and screen.cue_label.text().startswith("Situation")
        screen.session.started_at -= 25.0  # 25 s of silence pass, no new words
        screen._tick()
        assert screen.live_report is not heard
        assert screen.live_report.confidence < heard.confidence
    finally:
        screen.stop_and_save()
        if screen.session is not None and screen.session.attempt_id is not None:
            screen.store.delete(screen.session.attempt_id)


# -- the model ------------------------------------------------------------------------------


def _no_model(_model, _threads):
    raise ModelUnavailable("speech model 'base.en' is not installed")


def test_the_window_opens_before_the_model_and_the_button_says_when_it_is_ready(qtbot):
    gate = threading.Event()

    def slow(_model, _threads):
        gate.wait(10)
        return KnownWords([])

    win = MainWindow(loader=slow)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    button = win.practice.record_button
    qtbot.waitUntil(lambda: win.practice.loader.loading)
    assert not button.isEnabled() and "Loading" in button.text()
    with qtbot.waitSignal(win.practice.modelReady):
        gate.set()
    assert button.isEnabled() and "Start" in button.text()


def test_the_voice_detector_and_rubric_load_with_the_model_off_the_gui_thread(qtbot):
    # Loaded on the GUI thread at the first recording's start (onnxruntime, Silero) and at
    # the first live cue (the rubric), they stalled the window mid-answer.
    from faster_whisper.vad import get_vad_model
    from starcoach.rubric import evidence, segment

    loaders = (get_vad_model, segment.default_model, evidence.default_model)
    for cached in loaders:
        cached.cache_clear()
    win = MainWindow(loader=lambda _model, _threads: KnownWords([]))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.practice.modelReady, timeout=30_000):
        win.show()
    for cached in loaders:  # loaded once, by the loader, and not asked for since
        assert cached.cache_info().currsize == 1, cached
        assert cached.cache_info().hits == 0, cached


def test_no_model_offers_the_download(qtbot):
    win = MainWindow(loader=_no_model)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.practice.loader.unavailable):
        win.show()
    win.menus.practise_action.trigger()
    assert "speech model" in win.practice.record_button.text().lower()
    win.activateWindow()
    win.practice.setFocus()
    qtbot.keyClick(win.practice, Qt.Key.Key_Space)
    assert isinstance(win.last_dialog, DownloadDialog)
    assert not win.practice.recording
    win.last_dialog.reject()


def _fake_hub_module():
    name = "_speech_test_models_for_desktop"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, HERE.parent / "speech" / "test_models.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def hub(test_model):
    hub = _fake_hub_module().FakeHub(test_model)
    yield hub
    hub.close()


def test_download_shows_real_byte_progress_cancels_and_resumes(qtbot, hub):
    hub.delay_s = 0.01  # 16 KiB pieces, slowly
    settings = open_settings()
    dialog = DownloadDialog("tiny.en", settings, endpoint=hub.url)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.done_bytes > 0)
    assert dialog.total_bytes == hub.total
    assert dialog.bar.maximum() == 1000 and 0 < dialog.bar.value() < 1000
    assert "MB" in dialog.status.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.downloading)
    assert "cancelled" in dialog.status.text().lower()
    assert models.installed_path("tiny.en") is None
    fetched = dialog.done_bytes
    hub.delay_s = 0.0
    with qtbot.waitSignal(dialog.installed, timeout=30_000) as got:
        qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    assert got.args == ["tiny.en"]
    assert models.installed_path("tiny.en") is not None
    assert shared.chosen_model() == "tiny.en"  # where `starcoach analyze` looks too
    ranges = [r for _path, r in hub.requests if r]
    assert ranges and int(ranges[0].split("=")[1].split("-")[0]) <= fetched  # resumed


def test_offline_explains_and_a_chosen_model_folder_is_remembered(qtbot, test_model,
                                                                   monkeypatch):
    settings = open_settings()
    dialog = DownloadDialog("base.en", settings, endpoint="http://127.0.0.1:9")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.downloading and dialog.download_button.isEnabled())
    assert dialog.message.text().startswith("Couldn't reach the download server.")
    assert dialog.folder_button.isEnabled()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(test_model)))
    with qtbot.waitSignal(dialog.installed) as got:
        qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert got.args == [str(test_model.resolve())]
    assert shared.chosen_model() == str(test_model.resolve())


# -- known faults -------------------------------------------------------------------------


def test_device_lost_mid_answer_keeps_and_analyses_what_was_said(qtbot):
    answer = spoken_answer()
    cut = round(6.0 * SAMPLE_RATE)  # unplugged six seconds in
    win = MainWindow(loader=lambda _m, _t: KnownWords(answer.words),
                     stream_factory=lambda **kw: LostStream(answer.audio[:cut], **kw))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.practice.modelReady):
        win.show()
    win.menus.practise_action.trigger()
    with qtbot.waitSignal(win.practice.fault, timeout=20_000) as fault, \
            qtbot.waitSignal(win.practice.reportReady, timeout=20_000,
                             check_params_cb=lambda _r, final: final):
        assert win.practice.start()
    assert fault.args[0].kind == "device-lost"
    assert "The first 0:06 of your answer was saved" in fault.args[0].text
    assert "Traceback" not in fault.args[0].text
    assert win.last_message.objectName() == "fault-device-lost"
    session = win.practice.session
    assert decode_audio(session.audio_path).size == cut
    said = [w.text for w in answer.words if w.end <= 6.0]
    assert [w.text for w in win.review.report.words if w.kind != "filler"] == said
    assert HistoryStore().get(session.attempt_id).status == "analysed"


@pytest.mark.parametrize(("problem", "kind"), [
    ("Error opening InputStream: Invalid device [PaErrorCode -9996]", "no-microphone"),
    ("Error opening InputStream: Permission denied", "permission"),
])
def test_microphone_faults_have_their_own_plain_message(qtbot, problem, kind):
    def refuse(**_kw):
        raise OSError(problem)

    win = MainWindow(loader=lambda _m, _t: KnownWords([]), stream_factory=refuse)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.practice.modelReady):
        win.show()
    win.menus.practise_action.trigger()
    with qtbot.waitSignal(win.practice.fault) as fault:
        assert not win.practice.start()
    assert fault.args[0].kind == kind
    assert win.last_message.objectName() == f"fault-{kind}"
    assert not win.practice.recording
    assert HistoryStore().list() == []  # nothing half-made left behind


def test_closing_while_recording_asks_and_never_loses_the_audio(qtbot, fakemic, monkeypatch):
    answer = spoken_answer()
    win = MainWindow(loader=lambda _m, _t: KnownWords(answer.words))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.practice.modelReady):
        win.show()
        qtbot.waitExposed(win)
    win.menus.practise_action.trigger()
    assert win.practice.start()
    fakemic.feed(answer.audio)
    session = win.practice.session
    qtbot.waitUntil(lambda: session.audio_seconds >= 1.5, timeout=20_000)
    asked = []
    monkeypatch.setattr(MainWindow, "confirm_close_while_recording",
                        lambda self: asked.append(1) or False)
    assert not win.close()  # "Cancel": still open, still recording
    assert asked and win.practice.recording
    monkeypatch.setattr(MainWindow, "confirm_close_while_recording",
                        lambda self: asked.append(2) or True)
    assert win.close()
    stop_feeding(fakemic)
    assert asked == [1, 2]
    seconds = decode_audio(session.audio_path).size / SAMPLE_RATE
    assert seconds >= 1.5 and seconds == pytest.approx(session.result.duration, abs=0.05)
    attempt = HistoryStore().get(session.attempt_id)
    assert attempt.status == "recorded" and attempt.audio_path == session.audio_path


# -- settings ------------------------------------------------------------------------------


def test_settings_dialog_lists_devices_and_persists(qtbot, window, test_model, monkeypatch,
                                                    config_dir):
    dialog = SettingsDialog(window.settings, window)
    qtbot.addWidget(dialog)
    devices = [dialog.device.itemData(i) for i in range(dialog.device.count())]
    assert devices[0] == ""  # system default first, then what speech.devices lists
    from starcoach.speech.devices import list_input_devices

    try:
        names = [d.name for d in list_input_devices()]
    except Exception:
        names = []
    assert devices[1:] == names
    models_offered = [dialog.model.itemData(i) for i in range(dialog.model.count())]
    assert models_offered[0] == "" and "built in" in dialog.model.itemText(0)
    assert "base.en" in models_offered and "small.en" in models_offered
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(test_model)))
    dialog.choose_model_folder()
    dialog.threads.setValue(1)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    if names:
        dialog.device.setCurrentIndex(1)
    changed = dialog.save()
    assert set(changed) >= {"model", "threads", "theme"}
    again = open_settings().load()
    assert shared.chosen_model() == str(test_model)  # the CLI reads the same choice
    assert not (config_dir / "starcoach.ini").exists()  # one settings file, nothing in QSettings
    assert again.threads == 1
    assert again.theme == "dark"
    assert (shared.chosen_device() or "") == (names[0] if names else "")


def test_rerecord_from_the_review_opens_the_practice_screen_for_the_same_question(
        qtbot, window, tmp_path):
    from .conftest import WEAK_ANSWER

    path = tmp_path / "answer.txt"
    path.write_text(WEAK_ANSWER, encoding="utf-8")
    window.chooser.select("ownership-failure", "senior", None)
    assert window.open_answer(path)
    with qtbot.waitSignal(window.rerecordRequested) as got:
        window.review.rerecord_action.trigger()
    assert got.args == ["ownership-failure"]
    assert window.stack.currentWidget() is window.practice
    assert window.practice.title.text() == window.chooser.question_text()
    assert window.practice.question.level == "senior"
    assert window.practice.record_button.isEnabled()


def test_a_split_corrected_on_the_first_transcript_survives_the_exact_words(qtbot, window):
    """The review opens on the quick first transcript; if the person corrects the split
    there, the exact words arriving a second later keep that correction."""
    from .conftest import WEAK_ANSWER

    first = estimate_words(WEAK_ANSWER)
    final = [Word(w.text, w.start + 0.01, w.end + 0.01) for w in first]  # re-timed words
    window._on_practice_report(analyze(first, question="ownership-failure"), False)
    action_at = 12
    window.review.mark_section(action_at, "action")
    assert any(s.label == "action" and s.first_word == action_at
               for s in window.review.report.sections)
    window._on_practice_report(analyze(final, question="ownership-failure"), True)
    assert window.review.report.words[0].start == final[0].start  # the exact words shown
    assert (action_at, "action") in window.review.marks
    assert any(s.label == "action" and s.first_word == action_at
               for s in window.review.report.sections)
