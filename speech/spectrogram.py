"""Whisper's log-mel spectrogram of part of a growing speech timeline, frame for frame as
faster-whisper computes a whole file's."""

from __future__ import annotations

from typing import Any

import numpy as np
from starcoach.speech.decoding import END_PADDING, HOP


def log_mel(fe: Any, tl: np.ndarray, first: int, count: int, finished: bool) -> np.ndarray:
    """Log10 mel frames ``[first, first + count)`` of timeline ``tl``, before clamping.

    ``fe`` is faster-whisper's feature extractor. Computed as faster-whisper computes a
    whole file's (reflected edges, the end padded with zeros once ``finished``), so each
    frame equals bare faster-whisper's; computing each 30 s window's spectrogram on its
    own, as before, changed its edges and its clamp, and with them tiny.en's words.
    """
    half = fe.n_fft // 2
    a = first * HOP - half  # timeline sample of the first frame's first sample
    b = (first + count - 1) * HOP + half  # ... and one past the last frame's last
    pieces = []
    if a < 0:
        pieces.append(tl[1 : 1 - a][::-1])  # reflected, as np.pad(mode="reflect")
    pieces.append(tl[max(0, a) : min(tl.size, b)])
    if b > tl.size:
        if finished:  # the file's end: zeros, then reflected
            end = np.concatenate([tl[-(half + 1) :], np.zeros(END_PADDING, np.float32)])
            beyond = b - tl.size
            tail = end[-END_PADDING:][: beyond]
            if beyond > END_PADDING:
                k = np.arange(beyond - END_PADDING)
                tail = np.concatenate([tail, end[end.size - 2 - k]])
            pieces.append(tail)
        else:  # the live edge (display decodes only): silence
            pieces.append(np.zeros(b - max(tl.size, a), np.float32))
    x = np.concatenate(pieces).astype(np.float32)
    window = np.hanning(fe.n_fft + 1)[:-1].astype("float32")
    stft = fe.stft(x, fe.n_fft, HOP, window=window, center=False, return_complex=True)
    power = np.abs(stft[..., :count]) ** 2
    return np.log10(np.clip(fe.mel_filters @ power, 1e-10, None))
