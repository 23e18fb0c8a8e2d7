"""Time-stretching without a pitch shift: WSOLA (waveform-similarity overlap-add).

40 ms Hann frames are laid down every 20 ms of output, each taken from near where the source
clock says it should be, nudged by up to 12 ms so that it lines up with how the previous
frame would have gone on. Resampling would be simpler but would raise the voice at 1.5x.
The player (:mod:`.playback`) reads its output through one of these cursors.
"""

from __future__ import annotations

import math

import numpy as np


class TimeStretcher:
    """A cursor reading ``samples`` at ``speed`` x without changing pitch (WSOLA).

    ``read(n)`` returns the next ``n`` output samples; ``position`` is the source sample
    the next output sample comes from. A fresh cursor (or :meth:`reset`) fades in over
    the first 20 ms. At 1.0x frames follow each other exactly, so the output is the
    source itself. Changing ``speed`` takes effect at the next 20 ms frame.
    """

    def __init__(
        self,
        samples: np.ndarray,
        rate: int,
        *,
        frame_s: float = 0.04,
        tolerance_s: float = 0.012,
        _padded: np.ndarray | None = None,
    ) -> None:
        self.rate = int(rate)
        self.frame = max(4, 2 * round(frame_s * self.rate / 2))
        self.hop = self.frame // 2
        self.tol = max(1, round(tolerance_s * self.rate))
        self._pad = 2 * self.frame + 2 * self.tol  # reads never leave the array
        if _padded is None:
            samples = np.asarray(samples, dtype=np.float32).reshape(-1)
            _padded = np.zeros(samples.size + 2 * self._pad, dtype=np.float32)
            _padded[self._pad : self._pad + samples.size] = samples
        self._x = _padded
        self.length = self._x.size - 2 * self._pad
        window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(self.frame) / self.frame)).astype(
            np.float32
        )
        self._fade_in, self._fade_out = window[: self.hop], window[self.hop :]
        self._nfft = 1 << (self.frame + 2 * self.tol + self.frame - 1).bit_length()
        self.speed = 1.0
        self.reset(0)

    def clone_at(self, position: float) -> TimeStretcher:
        """A new cursor over the same samples (no copy), fading in at ``position``."""
        other = TimeStretcher(
            np.zeros(0),
            self.rate,
            frame_s=self.frame / self.rate,
            tolerance_s=self.tol / self.rate,
            _padded=self._x,
        )
        other.speed = self.speed
        other.reset(position)
        return other

    @property
    def samples(self) -> np.ndarray:
        """The source samples (a view)."""
        return self._x[self._pad : self._pad + self.length]

    @property
    def position(self) -> float:
        """Source sample position of the next output sample."""
        return self._src + self._taken * self._step

    def reset(self, position: float) -> None:
        """Go to source sample ``position``; the next output fades in from there."""
        p = min(max(0, round(position)), self.length)
        self._ideal = float(p)  # where the source clock puts the next frame
        self._natural = p  # where the previous frame would have gone on
        self._tail = np.zeros(self.hop, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._src, self._step, self._taken = float(p), 1.0, 0

    def read(self, n: int, end: float | None = None) -> np.ndarray:
        """Up to ``n`` output samples; fewer only where source sample ``end`` (or the end
        of the samples) is reached."""
        stop = float(self.length) if end is None else min(float(end), float(self.length))
        out = np.empty(n, dtype=np.float32)
        filled = 0
        while filled < n:
            if self._taken >= self._pending.size:
                if self.position >= stop:
                    break
                self._next_frame()
            m = min(n - filled, self._pending.size - self._taken)
            m = min(m, math.ceil((stop - self.position) / self._step - 1e-9))
            if m <= 0:
                break
            out[filled : filled + m] = self._pending[self._taken : self._taken + m]
            self._taken += m
            filled += m
        return out[:filled]

    def _segment(self, start: int, n: int) -> np.ndarray:
        i = start + self._pad
        return self._x[i : i + n]

    def _next_frame(self) -> None:
        speed = float(self.speed)
        if speed == 1.0:
            start = self._natural  # 1.0x: exact continuation, the output is the source
            self._ideal = float(start)
        else:
            start = self._best_start(round(self._ideal))
        frame = self._segment(start, self.frame)
        self._pending = self._tail + self._fade_in * frame[: self.hop]
        self._tail = self._fade_out * frame[self.hop :]
        self._natural = start + self.hop
        self._src, self._step, self._taken = self._ideal, speed, 0
        self._ideal += self.hop * speed

    def _best_start(self, centre: int) -> int:
        """The frame start within ``tol`` of ``centre`` most like the natural continuation."""
        span = self.frame + 2 * self.tol
        lo = max(-self._pad, min(centre - self.tol, self.length + self._pad - span))
        region = self._segment(lo, span).astype(np.float64)
        template = self._segment(self._natural, self.frame).astype(np.float64)
        if not template.any():
            return centre
        spec = np.fft.rfft(region, self._nfft) * np.conj(np.fft.rfft(template, self._nfft))
        corr = np.fft.irfft(spec, self._nfft)[: 2 * self.tol + 1]
        energy = np.concatenate([[0.0], np.cumsum(region * region)])
        windows = energy[self.frame : self.frame + 2 * self.tol + 1] - energy[: 2 * self.tol + 1]
        score = corr / np.sqrt(np.maximum(windows, 1e-9))
        return lo + int(np.argmax(score))
