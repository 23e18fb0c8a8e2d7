"""A cancelled transcription stops inside a decoder call, not after it (real tiny.en).

Quitting or deleting an attempt used to wait for the decoder call under way: one beam search
over a full window, up to 2.3 s on a slow two-core laptop. The calls are now polled, and the
one walked away from is waited for before the process may exit.
"""

from __future__ import annotations

import pytest
from starcoach.speech import interrupt
from starcoach.speech.audio import decode_audio
from starcoach.speech.decoding import DecodeCancelled
from starcoach.speech.transcribe import Transcriber

from .conftest import synthesize

ANSWER = [
    ("situation", [
        "Our billing exports failed twice a week because the job ran out of memory.",
        "I split the export into daily files and streamed each one to storage.",
        "The failures stopped, and the finance team closed the month two days sooner.",
    ]),
]


@pytest.fixture(scope="module")
def transcriber(tiny_en) -> Transcriber:
    return Transcriber(tiny_en, cpu_threads=2)


@pytest.fixture(scope="module")
def audio(tmp_path_factory):
    return decode_audio(synthesize(tmp_path_factory.mktemp("cancel") / "a.wav", ANSWER).path)


def test_cancel_during_a_decoder_call_abandons_it_and_the_model_is_unharmed(transcriber, audio):
    before = [w.text for w in transcriber.transcribe(audio).words]
    assert len(before) > 10
    # true only while a generation is being waited for: it can only fire inside the call
    with pytest.raises(DecodeCancelled):
        transcriber.transcribe(audio, cancel=lambda: interrupt.in_flight() > 0)
    assert interrupt.in_flight() == 0
    interrupt.wait_abandoned()
    assert interrupt.held() == 0  # the call walked away from has finished, not leaked
    assert [w.text for w in transcriber.transcribe(audio).words] == before


def test_a_finished_abandoned_call_is_let_go_at_the_next_one(transcriber, audio):
    def mid_call() -> bool:
        return interrupt.in_flight() > 0

    with pytest.raises(DecodeCancelled):
        transcriber.transcribe(audio, cancel=mid_call)
    assert interrupt.held() == 1
    transcriber.transcribe(audio)  # queued behind the abandoned call on the one replica
    with pytest.raises(DecodeCancelled):
        transcriber.transcribe(audio, cancel=mid_call)
    assert interrupt.held() == 1  # the first, finished, no longer holds its window
    interrupt.wait_abandoned()
    assert interrupt.held() == 0


def test_without_a_cancel_the_decoder_call_runs_as_it_always_did(transcriber, audio):
    with interrupt.aborting(lambda: False):
        polled = [w.text for w in transcriber.transcribe(audio).words]
    assert polled == [w.text for w in transcriber.transcribe(audio).words]
    assert interrupt.held() == 0
