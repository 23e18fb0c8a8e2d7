"""Causal voice activity detection: speech regions and the speech-only timeline Whisper reads.

Silero VAD (the model faster-whisper ships) runs over fixed blocks with its state carried
from block to block, and speech regions are decided by a small state machine that only
looks back. So the regions, and the timeline of speech cut out of them, come out the same
whether the audio arrives all at once (a file) or a block at a time (a microphone): batch
and live transcription read identical input.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import numpy as np
from starcoach.speech.audio import SAMPLE_RATE

WINDOW = 512  # samples per Silero decision (32 ms)
BLOCK_WINDOWS = 32  # windows per model call at most (about one second)
CONTEXT = 64


@dataclass(frozen=True)
class VadOptions:
    """Speech decision thresholds and how much silence splits and pads a region.

    Only silences of ``min_silence_s`` or more are cut out, the answer's leading silence
    included: the pauses between sentences stay in the timeline, as Whisper was trained to
    hear them (cutting them out spliced words together and cost tiny.en words).
    """

    threshold: float = 0.5
    neg_threshold: float = 0.35
    min_silence_s: float = 2.0
    speech_pad_s: float = 0.4


def vad_model() -> Any:
    """The Silero model faster-whisper ships, loaded once (onnxruntime with it). Called off
    the GUI thread when the speech model loads, so the first ``SpeechTimeline``, made when
    recording starts, does not pay for it."""
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


class _Silero:
    """Silero VAD over consecutive blocks, carrying LSTM state and context across calls."""

    def __init__(self) -> None:
        self._session = vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)

    def __call__(self, block: np.ndarray) -> np.ndarray:
        windows = block.reshape(-1, WINDOW)
        contexts = np.concatenate([self._context[None, :], windows[:-1, -CONTEXT:]], axis=0)
        self._context = windows[-1, -CONTEXT:].copy()
        batch = np.concatenate([contexts, windows], axis=1).astype(np.float32)
        feeds = {"input": batch, "h": self._h, "c": self._c}
        out, self._h, self._c = self._session.run(None, feeds)
        return np.asarray(out, dtype=np.float32).reshape(-1)


class SpeechTimeline:
    """Source audio in; a growing speech-only timeline and the map back to source time out.

    ``feed`` appends source samples (16 kHz mono float32). ``timeline`` holds the samples of
    every speech region, padded, concatenated, as far as they are decided; ``finish`` decides
    the rest at the end of the audio. With ``enabled=False`` the timeline is the source.
    """

    def __init__(self, options: VadOptions | None = None, enabled: bool = True) -> None:
        self.options = options or VadOptions()
        self.enabled = enabled
        self._source = np.zeros(SAMPLE_RATE * 60, dtype=np.float32)
        self._n_source = 0
        self._timeline = np.zeros(SAMPLE_RATE * 60, dtype=np.float32)
        self._n_timeline = 0
        self._vad: _Silero | None = _Silero() if enabled else None
        self._n_vad = 0  # source samples already given to the model
        self._window_index = 0
        self._triggered = False
        self._start = 0
        self._temp_end = 0
        self._region_open_at: int | None = None  # source sample where the open region began
        self._emitted_to = 0  # source sample up to which the open region is in the timeline
        self._tl_starts: list[int] = []  # timeline sample where each region starts
        self._src_starts: list[int] = []  # source sample where each region starts
        self._last_end = 0  # padded end of the last closed region
        self._voiced_to = 0  # source sample where the last window that may be speech ends
        self.finished = False

    # -- buffers -------------------------------------------------------------------------
    @staticmethod
    def _append(buf: np.ndarray, n: int, data: np.ndarray) -> np.ndarray:
        need = n + data.size
        if need > buf.size:
            grown = np.zeros(max(need, buf.size * 2), dtype=np.float32)
            grown[:n] = buf[:n]
            buf = grown
        buf[n:need] = data
        return buf

    @property
    def source(self) -> np.ndarray:
        """All source audio fed so far."""
        return self._source[: self._n_source]

    @property
    def timeline(self) -> np.ndarray:
        """The decided speech-only timeline so far."""
        return self._timeline[: self._n_timeline]

    @property
    def source_duration(self) -> float:
        return self._n_source / SAMPLE_RATE

    @property
    def voiced_until(self) -> float:
        """Source seconds where the last audio that may be speech ends: the last VAD window
        at or above the lower threshold, or, while speech goes on, the end of audio the VAD
        has not read yet (under one window; all of it without VAD). After a silent window
        that unread rest does not count: the next window read decides it."""
        if not self.enabled or (self._n_vad < self._n_source and self._voiced_to >= self._n_vad):
            return self.source_duration
        return min(self._voiced_to, self._n_source) / SAMPLE_RATE

    # -- feeding -------------------------------------------------------------------------
    def feed(self, samples: np.ndarray) -> None:
        """Append source samples and extend the timeline as far as it is decided."""
        if self.finished:
            raise RuntimeError("timeline already finished")
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        self._source = self._append(self._source, self._n_source, samples)
        self._n_source += samples.size
        if not self.enabled:
            self._emit_to(self._n_source, region_start=0)
            return
        # every whole window at once, so the timeline trails the audio by under one window
        # (the model's state runs on across calls: any split gives the same probabilities)
        while (ready := (self._n_source - self._n_vad) // WINDOW * WINDOW) > 0:
            count = min(ready, WINDOW * BLOCK_WINDOWS)
            self._run_vad(self._source[self._n_vad : self._n_vad + count])
            self._n_vad += count
        self._emit_decided()

    def finish(self) -> None:
        """Decide everything at the end of the audio (the last region closes there)."""
        if self.finished:
            return
        if self.enabled:
            rest = self._source[self._n_vad : self._n_source]
            if rest.size:
                pad = (-rest.size) % WINDOW
                self._run_vad(np.concatenate([rest, np.zeros(pad, dtype=np.float32)]))
                self._n_vad = self._n_source
            if self._triggered:
                self._close(self._n_source)
        else:
            self._emit_to(self._n_source, region_start=0)
        self.finished = True

    def _run_vad(self, block: np.ndarray) -> None:
        assert self._vad is not None
        o = self.options
        min_silence = int(o.min_silence_s * SAMPLE_RATE)
        for prob in self._vad(block):
            x = self._window_index * WINDOW
            self._window_index += 1
            if prob >= o.neg_threshold:
                self._voiced_to = x + WINDOW
            if prob >= o.threshold and self._temp_end:
                self._temp_end = 0
            if prob >= o.threshold and not self._triggered:
                self._triggered = True
                self._start = x
                self._open(x)
                continue
            if prob < o.neg_threshold and self._triggered:
                if not self._temp_end:
                    self._temp_end = x
                if x - self._temp_end >= min_silence:
                    self._close(self._temp_end)

    def _open(self, start: int) -> None:
        pad = int(self.options.speech_pad_s * SAMPLE_RATE)
        begin = max(self._last_end, start - pad, 0)
        if not self._tl_starts and start < int(self.options.min_silence_s * SAMPLE_RATE):
            begin = 0  # a short leading silence is kept, like any short pause
        self._region_open_at = begin
        self._emitted_to = begin
        self._tl_starts.append(self._n_timeline)
        self._src_starts.append(begin)

    def _close(self, end: int) -> None:
        pad = int(self.options.speech_pad_s * SAMPLE_RATE)
        stop = min(max(end + pad, self._emitted_to), self._n_source)
        self._emit_to(stop)
        self._last_end = stop
        self._triggered = False
        self._temp_end = 0
        self._region_open_at = None

    def _emit_decided(self) -> None:
        if self._region_open_at is None:
            return
        pad = int(self.options.speech_pad_s * SAMPLE_RATE)
        decided = self._n_vad if not self._temp_end else min(self._n_vad, self._temp_end + pad)
        self._emit_to(min(decided, self._n_source))

    def _emit_to(self, stop: int, region_start: int | None = None) -> None:
        if region_start is not None and not self._tl_starts:
            self._tl_starts.append(0)
            self._src_starts.append(region_start)
        if stop <= self._emitted_to:
            return
        data = self._source[self._emitted_to : stop]
        self._timeline = self._append(self._timeline, self._n_timeline, data)
        self._n_timeline += data.size
        self._emitted_to = stop

    # -- time mapping --------------------------------------------------------------------
    def to_source_time(self, t: float, is_end: bool = False) -> float:
        """Map a time on the speech timeline (seconds) back to the source audio."""
        if not self._tl_starts:
            return t
        sample = round(t * SAMPLE_RATE)
        find = bisect.bisect_left if is_end else bisect.bisect_right
        i = max(0, find(self._tl_starts, sample) - 1)
        return (self._src_starts[i] + sample - self._tl_starts[i]) / SAMPLE_RATE

    def span_to_source(self, start: float, end: float) -> tuple[float, float]:
        """Map a word's timeline span to the source, never letting it straddle a cut pause.

        A word whose span crosses a seam between two regions is clipped to the region that
        holds most of it, so a word is never stretched over the silence that was removed.
        """
        if not self._tl_starts:
            return start, end
        a, b = round(start * SAMPLE_RATE), round(end * SAMPLE_RATE)
        i = max(0, bisect.bisect_right(self._tl_starts, a) - 1)
        j = max(0, bisect.bisect_left(self._tl_starts, b) - 1)
        if j > i:
            seam = self._tl_starts[i + 1]
            if seam - a >= b - seam:
                b = seam
            else:
                i, a = j, self._tl_starts[j]
        offset = self._src_starts[i] - self._tl_starts[i]
        return (a + offset) / SAMPLE_RATE, (max(a, b) + offset) / SAMPLE_RATE

    def regions(self) -> list[tuple[float, float]]:
        """Source-time (start, end) of each region in the timeline so far, in seconds."""
        out = []
        for i, (tl, src) in enumerate(zip(self._tl_starts, self._src_starts, strict=True)):
            nxt = self._tl_starts[i + 1] if i + 1 < len(self._tl_starts) else self._n_timeline
            out.append((src / SAMPLE_RATE, (src + nxt - tl) / SAMPLE_RATE))
        return out
