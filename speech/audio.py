"""Audio files and sample rates: anything PyAV reads becomes 16 kHz mono float32."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from starcoach.speech.errors import AudioError

SAMPLE_RATE = 16_000
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus", ".webm", ".aac", ".mp4")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.split("] ", 1)[-1]


def decode_audio(path: str | Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Decode the first audio stream of ``path`` to mono float32 at ``sample_rate``.

    A file whose tail is damaged (a recording cut off mid-write) yields what decodes before
    the damage. Raises :class:`AudioError` with one line for a missing, empty, corrupt or
    silent-of-samples file.
    """
    import av

    p = Path(path)
    if not p.is_file():
        raise AudioError(f"{p}: no such audio file")
    if p.stat().st_size == 0:
        raise AudioError(f"{p}: the file is empty")
    chunks: list[np.ndarray] = []
    try:
        container = av.open(str(p), metadata_errors="ignore")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise AudioError(f"{p}: not a readable audio file ({_reason(exc)})") from None
    with container:
        if not container.streams.audio:
            raise AudioError(f"{p}: the file has no audio stream")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        try:
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
        except (av.FFmpegError, ValueError) as exc:
            if not chunks:
                raise AudioError(f"{p}: corrupt audio ({_reason(exc)})") from None
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    audio = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0)
    if audio.size == 0:
        raise AudioError(f"{p}: the file contains no audio samples")
    return audio.astype(np.float32, copy=False)


class StreamResampler:
    """Resample a stream of mono float32 blocks from ``rate`` to 16 kHz, keeping filter state.

    Feeding a signal in any block sizes gives the same output as feeding it whole.
    """

    def __init__(self, rate: int, target: int = SAMPLE_RATE) -> None:
        self.rate = int(rate)
        self.target = int(target)
        self._resampler = None
        if self.rate != self.target:
            import av

            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=self.target)

    def push(self, block: np.ndarray) -> np.ndarray:
        """Resample one block; returns however many output samples are ready."""
        block = np.ascontiguousarray(block, dtype=np.float32).reshape(-1)
        if self._resampler is None:
            return block
        if block.size == 0:
            return np.zeros(0, dtype=np.float32)
        import av

        frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.rate
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> np.ndarray:
        """Return the samples still held in the filter at the end of the stream."""
        if self._resampler is None:
            return np.zeros(0, dtype=np.float32)
        return self._collect(self._resampler.resample(None))

    @staticmethod
    def _collect(frames: list) -> np.ndarray:
        if not frames:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate([f.to_ndarray().reshape(-1) for f in frames]).astype(np.float32)


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Resample a whole mono signal from ``rate`` to ``target`` Hz."""
    stream = StreamResampler(rate, target)
    head = stream.push(samples)
    return np.concatenate([head, stream.flush()])


def to_mono(samples: np.ndarray) -> np.ndarray:
    """Average a (frames, channels) block down to one float32 channel."""
    samples = np.asarray(samples, dtype=np.float32)
    if samples.ndim == 2:
        return samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0]
    return samples.reshape(-1)
