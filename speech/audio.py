"""Audio files and sample rates: anything PyAV reads becomes 16 kHz mono float32."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from starcoach.speech.errors import AudioError

SAMPLE_RATE = 16_000
MIN_SOURCE_RATE = 2_000  # Hz: below this a header is lying (telephone audio is 8 kHz)
MAX_SOURCE_RATE = 768_000  # Hz: the highest rate any real recorder writes
MAX_CHANNELS = 64
MAX_AUDIO_S = 3_600.0  # decoded length limit: an hour (230 MB of 16 kHz float32)
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
        _check_stream(p, stream)
        declared = container.duration / 1e6 if container.duration else 0.0  # microseconds
        if declared > MAX_AUDIO_S * 1.01:
            raise AudioError(f"{p}: {declared / 60:.0f} minutes long; the limit for one "
                             f"answer is {MAX_AUDIO_S / 60:g} minutes")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        limit = int(MAX_AUDIO_S * sample_rate)
        total = 0
        try:
            for frame in container.decode(stream):
                _check_frame(p, frame)
                frame.pts = None
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
                    total += chunks[-1].size
                if total > limit:
                    raise AudioError(f"{p}: longer than {MAX_AUDIO_S / 60:g} minutes, the "
                                     "limit for one answer")
        except (av.FFmpegError, ValueError, MemoryError) as exc:
            if not chunks:
                raise AudioError(f"{p}: corrupt audio ({_reason(exc)})") from None
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    audio = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0)
    if audio.size == 0:
        raise AudioError(f"{p}: the file contains no audio samples")
    return audio.astype(np.float32, copy=False)


def _check_rate(p: Path, rate: object, channels: object) -> None:
    if isinstance(rate, int) and not MIN_SOURCE_RATE <= rate <= MAX_SOURCE_RATE:
        raise AudioError(f"{p}: a sample rate of {rate} Hz is not plausible audio (expected "
                         f"{MIN_SOURCE_RATE:,}–{MAX_SOURCE_RATE:,} Hz)")
    if isinstance(channels, int) and not 0 <= channels <= MAX_CHANNELS:
        raise AudioError(f"{p}: {channels} channels is not plausible audio (limit "
                         f"{MAX_CHANNELS})")


def _check_stream(p: Path, stream: object) -> None:
    """Refuse a header whose rate or channel count would make decoding explode."""
    ctx = getattr(stream, "codec_context", None)
    _check_rate(p, getattr(ctx, "sample_rate", None) or getattr(stream, "rate", None),
                getattr(ctx, "channels", None))


def _check_frame(p: Path, frame: object) -> None:
    rate = getattr(frame, "sample_rate", None)
    layout = getattr(frame, "layout", None)
    _check_rate(p, rate, len(getattr(layout, "channels", ())) if layout else None)


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
