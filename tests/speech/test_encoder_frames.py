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
