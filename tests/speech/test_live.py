"""Live transcription: a quick, complete transcript at Stop, then final words equal to a
batch pass with the same deterministic model."""

from __future__ import annotations

import queue
import threading

import numpy as np
import pytest
from conftest import silence, speak
from starcoach.speech.audio import SAMPLE_RATE, resample
from starcoach.speech.decoding import DecodeCancelled
from starcoach.speech.live import LiveResult, LiveTranscriber, LiveUpdate
from starcoach.speech.live_display import MAX_HOLD_S
from starcoach.speech.transcribe import TranscribeOptions, Transcriber

DETERMINISTIC = TranscribeOptions(temperatures=(0.0,), max_new_tokens=60)
N_SAMPLES_WINDOW = 30 * SAMPLE_RATE


@pytest.fixture(scope="module")
def transcriber(test_model) -> Transcriber:
    return Transcriber(test_model, DETERMINISTIC, cpu_threads=2)


@pytest.fixture(scope="module")
def long_answer() -> np.ndarray:
    """About 75 s of speech with pauses: three windows, so two seams."""
    sentences = [
        speak("Our nightly import failed and nobody owned it."),
        speak("I traced the failure to a lock held by the job, um, and rewrote it."),
        speak("Failures dropped from five a week to zero."),
    ]
    parts = []
    for i in range(20):
        parts += [sentences[i % 3], silence(0.3 if i % 4 else 1.5)]
    return np.concatenate(parts)


def push_all(live: LiveTranscriber, audio: np.ndarray, block: int) -> None:
    for i in range(0, audio.size, block):
        live.push(audio[i : i + block])


def model_words(words):
    """What the model heard: words and unrecognised spans, not the fillers."""
    return [w for w in words if w.kind != "filler"]


def test_final_live_words_equal_a_batch_pass(transcriber, long_answer):
    assert long_answer.size / SAMPLE_RATE > 65
    batch = transcriber.transcribe(long_answer).words
    updates: queue.Queue[LiveUpdate] = queue.Queue()
    live = LiveTranscriber(transcriber, on_update=updates.put).start()
    push_all(live, long_answer, SAMPLE_RATE // 10)
    result = live.stop(timeout=300)
    assert isinstance(result, LiveResult)
    final = result.final.result(timeout=300)
    assert final.words == batch
    assert final.duration == pytest.approx(long_answer.size / SAMPLE_RATE)
    assert result.first.duration == final.duration
    assert live.latest.final and live.latest.complete and live.latest.words == batch
    # the GUI sees the first complete transcript, then the final one, and nothing after
    seen = []
    while not updates.empty():
        seen.append(updates.get_nowait())
    complete = [u for u in seen if u.complete]
    assert [u.final for u in complete] == [False, True]
    assert complete[0].words == result.first.words
    assert seen[-1] is complete[-1]
    # audio was pushed far faster than real time, yet the work before the first transcript
    # is one greedy decode of at most one window
    assert live.stats.stop_decodes == 1
    assert live.stats.stop_decoded_s <= 30.0


def test_first_transcript_is_quick_complete_and_holds_the_last_words(transcriber, long_answer):
    """Streamed as a recorder would (the worker keeps up), then Stop 1.5 s after the last
    display update: the first transcript decodes only the few seconds after the display's
    settled words — not the uncommitted window, not the whole answer — and holds the words
    of the last seconds spoken, which no display update had seen."""
    updates: queue.Queue[LiveUpdate] = queue.Queue()
    live = LiveTranscriber(transcriber, on_update=updates.put, update_every_s=0.0).start()
    audio = long_answer
    unseen = round(1.5 * SAMPLE_RATE)
    last = audio.size - unseen
    pushed = 0
    for i in range(0, last, SAMPLE_RATE):
        chunk = audio[i : min(i + SAMPLE_RATE, last)]
        live.push(chunk)
        pushed += chunk.size
        while live.stats.displayed_s < pushed / SAMPLE_RATE:  # woken by each update
            updates.get(timeout=60)
    displayed = live.latest
    committed_while_speaking = live.stats.committed_windows
    assert committed_while_speaking >= 2  # the work left at Stop is not the whole answer
    live.push(audio[last:])
    result = live.stop(timeout=60)
    first, stats = result.first, live.stats

    # bounded work: one decode of the audio after the settled display words (at most
    # MAX_HOLD_S before the live edge), the unseen 1.5 s, and VAD's undecided second
    assert stats.stop_decodes == 1
    assert 1.5 <= stats.stop_decoded_s <= MAX_HOLD_S + 1.5 + 1.5
    assert stats.committed_windows == committed_while_speaking  # no window decoded for it

    # complete: from the committed words to the last words spoken
    duration = audio.size / SAMPLE_RATE
    assert first.duration == pytest.approx(duration)
    words = model_words(first.words)
    assert words and all(0 <= w.start <= w.end <= duration for w in first.words)
    assert [w.start for w in first.words] == sorted(w.start for w in first.words)
    assert any(w.end > displayed.heard_s for w in words)  # words no display had seen
    assert words[-1].end > duration - 3.0

    # the final words equal a batch pass; the first transcript's committed words are theirs
    final = result.final.result(timeout=300)
    assert final.words == transcriber.transcribe(audio).words
    committed = [w for w in first.words[: live_first_committed(updates)] if w.kind == "word"]
    assert committed
    # unchanged and in order; the exact pass may decode words between them again
    later = iter(final.words)
    assert all(w in later for w in committed), (committed, final.words)


@pytest.mark.parametrize("pressed", [True, False])
def test_stop_after_the_last_word_needs_no_decode_once_stop_was_pressed(
        transcriber, long_answer, pressed):
    """A person finishes, pauses, presses Stop: the worker decodes what it heard while the
    recorder takes its tail, so nothing is decoded after ``stop()`` and the first transcript
    is the words of that decode. Without the press the rest is decoded after Stop."""
    speech = long_answer[: 20 * SAMPLE_RATE]  # less than one window: nothing committed
    updates: queue.Queue[LiveUpdate] = queue.Queue()
    live = LiveTranscriber(transcriber, on_update=updates.put, update_every_s=1e9)
    push_all(live, np.concatenate([speech, silence(0.8)]), SAMPLE_RATE // 10)
    shown = None
    if pressed:  # (else all is queued before the worker starts: it sees no pause before Stop)
        live.start().stop_pressed()
        while live.stats.display_decodes == 0:  # while the recorder takes its tail
            shown = updates.get(timeout=60)
    live.push(silence(0.35))  # the recorder's tail after the press
    result = live.stop(timeout=120)
    stats = live.stats
    assert stats.committed_windows == 0
    assert (stats.display_decodes, stats.stop_decodes, stats.stop_reused) == (
        (1, 0, 1) if pressed else (0, 1, 0))
    if shown is not None:  # the first transcript's words are those the press decoded and showed
        assert model_words(shown.words)
        # the same words; the first transcript also labels the voiced gaps between them
        assert [w.text for w in result.first.words if w.kind == "word"] == [
            w.text for w in shown.words if w.kind == "word"]
    assert result.final.result(timeout=300).words == transcriber.transcribe(
        np.concatenate([speech, silence(1.15)])).words


def test_a_pause_has_its_words_decoded_at_once_ready_for_stop(transcriber, long_answer):
    """The person stops talking: the display decodes their last words as soon as the
    pause is heard, not at its next turn, so when Stop comes nothing is left to decode."""
    speech = long_answer[: 20 * SAMPLE_RATE]
    updates: queue.Queue[LiveUpdate] = queue.Queue()
    live = LiveTranscriber(transcriber, on_update=updates.put, update_every_s=1e9).start()
    push_all(live, np.concatenate([speech, silence(0.8)]), SAMPLE_RATE // 10)
    while live.stats.display_decodes == 0:  # no turn is due: only the pause asks for it
        updates.get(timeout=60)
    live.stop_pressed()
    live.push(silence(0.35))
    result = live.stop(timeout=120)
    assert (live.stats.display_decodes, live.stats.stop_decodes, live.stats.stop_reused) == (
        1, 0, 1)
    assert model_words(result.first.words)[-1].end > 15.0


def test_a_display_decode_in_flight_at_the_press_gives_way_when_the_speech_goes_on(
        transcriber, long_answer):
    """Stop is pressed mid-word while a display piece is decoding. The speech goes on past
    that piece, so its words can never stand at Stop: it gives way at its next model call
    instead of holding the review back, and one decode at Stop gives the last words."""
    sentence = speak("I traced the failure to a lock held by the job, um, and rewrote it.")
    speech = np.concatenate([long_answer[: 10 * SAMPLE_RATE], sentence[: sentence.size // 2]])
    live = LiveTranscriber(transcriber)
    real = live._session.provisional
    decoding = threading.Event()

    def press_while_decoding(*args, **kwargs):
        live.stop_pressed()
        decoding.set()
        return real(*args, **kwargs)

    live._session.provisional = press_while_decoding
    push_all(live, speech, SAMPLE_RATE // 10)  # all queued: the first display reads it all
    live.start()
    assert decoding.wait(60)
    live.push(silence(0.35))  # the recorder's tail after the press
    result = live.stop(timeout=120)
    stats = live.stats
    assert stats.abandoned_decodes == 1 and stats.display_decodes <= 1
    assert stats.stop_decodes + stats.stop_reused == 1
    assert model_words(result.first.words)[-1].end > 10.0
    audio = np.concatenate([speech, silence(0.35)])
    assert result.final.result(timeout=300).words == transcriber.transcribe(audio).words


def test_a_commit_in_flight_at_the_press_waits_for_the_final_pass(transcriber, long_answer):
    """Stop is pressed while a window is being committed (a beam search) and the display
    words reach within a window of the end: the commit gives way, one display piece over
    the rest makes the review, and the final words still equal a batch pass."""
    audio = np.concatenate([long_answer[: 40 * SAMPLE_RATE], silence(0.8)])
    updates: queue.Queue[LiveUpdate] = queue.Queue()
    live = LiveTranscriber(transcriber, on_update=updates.put)
    real_step = live._session.step
    committing = threading.Event()

    def press_while_committing(cancel=None):
        live.stop_pressed()
        committing.set()
        return real_step(cancel)

    live._session.step = press_while_committing
    live.start()
    push_all(live, audio[: 25 * SAMPLE_RATE], SAMPLE_RATE // 10)
    while live.stats.displayed_s < 24.9:  # the display has caught up with the voice
        updates.get(timeout=120)
    push_all(live, audio[25 * SAMPLE_RATE :], SAMPLE_RATE // 10)
    assert committing.wait(60)
    live.push(silence(0.35))  # the recorder's tail after the press
    result = live.stop(timeout=120)
    stats = live.stats
    assert stats.abandoned_decodes == 1 and stats.committed_windows == 0
    assert (stats.stop_decodes, stats.stop_reused) == (0, 1)
    assert model_words(result.first.words)[-1].end > 35.0
    final = result.final.result(timeout=300)
    assert final.words == transcriber.transcribe(np.concatenate([audio, silence(0.35)])).words
    assert stats.final_windows >= 2


def live_first_committed(updates: queue.Queue[LiveUpdate]) -> int:
    while True:
        u = updates.get(timeout=60)
        if u.complete and not u.final:
            return u.committed


def test_nothing_queued_is_dropped_on_stop(transcriber, long_answer):
    """Stop right after the last block: the words of the last seconds are in both the
    first transcript and the final one."""
    audio = long_answer[: 20 * SAMPLE_RATE]
    batch = transcriber.transcribe(audio).words
    live = LiveTranscriber(transcriber, provisional=False).start()
    push_all(live, audio, 777)
    result = live.stop(timeout=300)
    assert result.first.duration == pytest.approx(20.0)
    assert model_words(result.first.words)[-1].end > 15.0
    final = result.final.result(timeout=300)
    assert final.words == batch
    assert final.words and final.words[-1].end > 15.0


def test_a_commit_in_flight_at_stop_is_abandoned_and_redone(transcriber, long_answer):
    """Stop arrives while a window is being committed: the first transcript does not wait
    for it, and the final words still equal a batch pass."""
    audio = long_answer[: 40 * SAMPLE_RATE]
    live = LiveTranscriber(transcriber, provisional=False)
    session = live._session
    real_step = session.step
    stopper: list[threading.Thread] = []

    def step_during_stop(cancel=None):
        if not stopper:  # the first commit: press Stop now, and let the decode notice
            stopper.append(threading.Thread(target=live.stop, kwargs={"timeout": 60}))
            stopper[0].start()
            live._stopping.wait(60)
        return real_step(cancel)

    session.step = step_during_stop
    push_all(live, audio, SAMPLE_RATE)  # all queued first: Stop comes after the last block
    live.start()
    stopper_started = live._stopping.wait(60)
    assert stopper_started
    result = live.stop(timeout=60)
    assert live.stats.abandoned_decodes == 1 and live.stats.committed_windows == 0
    assert live.stats.stop_decoded_s <= 30.0
    assert result.final.result(timeout=300).words == transcriber.transcribe(audio).words
    assert live.stats.final_windows >= 2
    stopper[0].join(60)


def test_a_louder_moment_is_redone_while_speaking_not_after_stop(transcriber, long_answer):
    """The loudest moment comes after the first window was committed: that window is
    decoded again while the person still speaks, so nothing is sent back at Stop, and the
    final words still equal a batch pass (whose floor is the whole file's)."""
    audio = long_answer.copy()
    loud = slice(40 * SAMPLE_RATE, 45 * SAMPLE_RATE)
    audio[loud] = np.clip(audio[loud] * 3.0, -1.0, 1.0)
    updates: queue.Queue[LiveUpdate] = queue.Queue()
    live = LiveTranscriber(transcriber, on_update=updates.put, provisional=False).start()
    push_all(live, audio[: 32 * SAMPLE_RATE], SAMPLE_RATE // 10)
    while live.stats.committed_windows < 1:
        updates.get(timeout=120)
    push_all(live, audio[32 * SAMPLE_RATE :], SAMPLE_RATE // 10)
    while live.stats.redecoded_windows < 1 or live.stats.committed_windows < 3:
        update = updates.get(timeout=120)
        assert update.committed <= len(update.words)
    session = live._session
    result = live.stop(timeout=300)
    final = result.final.result(timeout=300)
    assert live.stats.redecoded_windows >= 1
    assert session.windows_rewound == live.stats.redecoded_windows  # none sent back at Stop
    assert final.words == transcriber.transcribe(audio).words


def test_a_cancelled_decode_leaves_the_session_unchanged(transcriber, long_answer):
    audio = long_answer[: 50 * SAMPLE_RATE]
    session = transcriber.session()
    session.feed(audio)
    assert session.pending()
    for calls_before_cancel in range(3):  # before the encoder, the decoder, the alignment
        checks = iter([False] * calls_before_cancel + [True])
        with pytest.raises(DecodeCancelled):
            session.step(cancel=lambda checks=checks: next(checks))
        assert session.seek == 0 and session.words == [] and session.windows_decoded == 0
    session.finish()
    session.run()
    batch = transcriber.session()
    batch.feed(audio)
    batch.finish()
    batch.run()
    assert session.words == batch.words


def test_updates_arrive_while_speaking_and_stay_inside_what_was_heard(transcriber, long_answer):
    updates: queue.Queue[LiveUpdate] = queue.Queue()
    live = LiveTranscriber(transcriber, on_update=updates.put, update_every_s=1.0).start()
    push_all(live, long_answer[: 40 * SAMPLE_RATE], SAMPLE_RATE // 10)
    first = updates.get(timeout=120)
    while not first.words:
        first = updates.get(timeout=120)
    assert not first.final and not first.complete
    assert all(0 <= w.start <= w.end <= first.heard_s + 1e-6 for w in first.words)
    assert 0 <= first.committed <= len(first.words)
    result = live.stop(timeout=300)
    assert result.first.words
    assert result.final.result(timeout=300).words
    with pytest.raises(RuntimeError):
        live.push(np.zeros(160, dtype=np.float32))


def test_microphone_audio_at_48k_is_resampled_before_whisper(transcriber, long_answer):
    audio16 = long_answer[: 25 * SAMPLE_RATE]
    audio48 = resample(audio16, SAMPLE_RATE, 48_000)
    batch = transcriber.transcribe(resample(audio48, 48_000)).words
    live = LiveTranscriber(transcriber, input_rate=48_000, provisional=False).start()
    push_all(live, audio48, 4800)
    assert live.stop(timeout=300).final.result(timeout=300).words == batch
