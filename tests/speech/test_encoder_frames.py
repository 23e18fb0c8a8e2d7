"""A display piece is encoded at its own length, with silence after it; never past a window."""

from __future__ import annotations

from starcoach.speech.decoding import (
    ENCODE_MIN_FRAMES,
    ENCODE_PAD_FRAMES,
    ENCODE_STEP_FRAMES,
    N_FRAMES,
    encoder_frames,
)


def test_a_piece_is_encoded_with_room_after_it_and_no_more_than_a_window():
    for frames in range(1, N_FRAMES + 1, 37):
        n = encoder_frames(frames)
        assert n % ENCODE_STEP_FRAMES == 0 and ENCODE_MIN_FRAMES <= n <= N_FRAMES
        assert n >= min(N_FRAMES, frames + ENCODE_PAD_FRAMES)
        assert n == ENCODE_MIN_FRAMES or n < frames + ENCODE_PAD_FRAMES + ENCODE_STEP_FRAMES
    assert encoder_frames(300) == ENCODE_MIN_FRAMES  # a few seconds: a third of a window
    assert encoder_frames(N_FRAMES) == N_FRAMES


def test_display_pieces_are_encoded_short_and_committed_windows_full(test_model, monkeypatch):
    """The live display's pieces read their own length; a committed window reads a whole
    30 s window, as bare faster-whisper does (real faster-whisper, random-weight model)."""
    from conftest import speak
    from starcoach.speech.transcribe import TranscribeOptions, Transcriber

    transcriber = Transcriber(test_model, TranscribeOptions(temperatures=(0.0,),
                                                            max_new_tokens=20), cpu_threads=1)
    whisper = transcriber.whisper
    real, read = whisper.encode, []

    def encode(features):
        read.append(features.shape[-1])
        return real(features)

    monkeypatch.setattr(whisper, "encode", encode)
    session = transcriber.session()
    session.feed(speak("We moved the access points away from the freezers."))
    session.finish()
    piece = session.provisional(0)
    assert read == [encoder_frames(piece.end - piece.start)] and read[0] < N_FRAMES
    read.clear()
    session.step()
    assert read and read[0] == N_FRAMES
