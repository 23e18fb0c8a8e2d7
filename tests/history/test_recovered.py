"""A recording without a transcript (recovered after a crash) is transcribed on demand."""

from __future__ import annotations

import pytest
from starcoach.desktop.attempts.records import HistoryError
from starcoach.desktop.attempts.recovered import transcribe_attempt
from starcoach.speech.flacfile import FlacWriter

from .conftest import speech_conftest

SCRIPT = ("Our nightly import failed and nobody owned it . I decided to fix it myself . "
          "I traced the lock and rewrote the job . Failures dropped from five to zero .")


def _recording_cut_off(store, audio) -> int:
    """An attempt left ``recording`` by a process that died: the FLAC was never closed."""
    attempt = store.begin_attempt(question="ownership-failure", level="senior")
    writer = FlacWriter(attempt.audio_path, 16000)
    writer.write(audio)  # no close(): what a killed recorder leaves
    with store._write() as db:  # the dead process's owner tag
        db.execute("UPDATE attempts SET owner = 'nohost:1' WHERE id = ?", (attempt.id,))
    return attempt.id


def test_a_recovered_recording_is_transcribed_analysed_and_stored(store):
    helpers = speech_conftest()
    known = helpers.build_answer(SCRIPT.replace(" .", ""), gap=0.05, lead=0.3)
    attempt_id = _recording_cut_off(store, known.audio)
    assert store.recover(lambda p: 1.0) == [attempt_id]
    assert store.get(attempt_id).status == "recovered"

    report = transcribe_attempt(store, attempt_id, helpers.KnownWordsRecogniser(known.words),
                                model_name="double")

    stored = store.get(attempt_id)
    assert stored.status == "analysed" and stored.summary.model == "double"
    assert [w.text for w in stored.words if w.kind == "word"] == [w.text for w in known.words]
    assert stored.report["question"] == "ownership-failure" and report.level == "senior"
    assert stored.summary.duration_s == pytest.approx(known.duration, abs=0.1)
    assert stored.report["scores"]["verdict"] == stored.summary.verdict
    assert report.sections[-1].last_word == len(report.words) - 1


def test_an_attempt_whose_audio_is_gone_says_so_in_one_line(store):
    attempt_id = store.begin_attempt(question="ownership-failure").id
    with pytest.raises(HistoryError, match=f"attempt {attempt_id} has no recording"):
        transcribe_attempt(store, attempt_id, object())
