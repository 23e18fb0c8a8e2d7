"""Play a recorded answer back: play, pause, seek, a range, and 0.75x-1.5x without a pitch shift.

Audio goes out through a PortAudio ``OutputStream`` (QtMultimedia is not available). The
file is decoded straight at a rate the output device takes, so nothing is ever handed to
the device at the wrong rate; every position the API speaks is in seconds of the source.
Speed changes go through a WSOLA cursor (:mod:`.stretch`): the voice keeps its pitch.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from starcoach.speech.audio import decode_audio, resample
from starcoach.speech.devices import close_quietly, load_sounddevice
from starcoach.speech.errors import AudioError, DeviceError
from starcoach.speech.output import output_channels, output_problem, query_output
from starcoach.speech.stretch import TimeStretcher

StreamFactory = Callable[..., Any]
MIN_SPEED = 0.75
MAX_SPEED = 1.5
FALLBACK_RATE = 48_000  # when no output device can be asked (play() then says why)
EDGE_FADE_S = 0.005  # fade on a range end or a seek, so a cut mid-word does not click


class PlaybackComplete(Exception):
    """Raised by the stream callback of a non-sounddevice ``stream_factory`` at the end.

    A stream double treats it as sounddevice treats ``CallbackStop``: the block just
    returned is the last one; then it calls ``finished_callback``.
    """


class Player:
    """Plays one loaded recording; safe to drive from a GUI thread.

    ``on_finished()`` runs when playback reaches the end of the recording or of the range
    given to :meth:`play`; ``on_error(DeviceError)`` when the output device fails or is
    lost mid-playback. Both are called from PortAudio's audio thread: in Qt, emit a
    signal (queued to the GUI thread) and do nothing slow there; never call ``pause``,
    ``play`` or ``close`` from them directly.

    ``samplerate`` forces the output rate (otherwise the device's default rate);
    ``stream_factory`` is ``sounddevice.OutputStream`` unless a test replaces it.
    """

    def __init__(
        self,
        *,
        device: int | str | None = None,
        stream_factory: StreamFactory | None = None,
        on_finished: Callable[[], None] | None = None,
        on_error: Callable[[DeviceError], None] | None = None,
        samplerate: int | None = None,
    ) -> None:
        self.device = device
        self.on_finished = on_finished
        self.on_error = on_error
        self._factory = stream_factory
        self._forced_rate = samplerate
        self._lock = threading.Lock()
        self._cursor: TimeStretcher | None = None
        self._fading: TimeStretcher | None = None  # the audio a seek cut away, fading out
        self._path: Path | None = None
        self._stream: Any = None
        self._channels = 1
        self._playing = False
        self._stopping = False  # pause/close asked for the stream to end
        self._ended = False  # the callback reached the end of the range
        self._generation = 0  # which stream the audio-thread callbacks belong to
        self._stop_exc: type[BaseException] = PlaybackComplete  # ends a stream after a block
        self._speed = 1.0
        self._pos = 0.0  # source samples: where playback stands when not playing
        self._anchor = 0.0  # source samples: where the current play()/seek() began
        self._end: float | None = None  # source samples: range end, None = the whole file
        self._blocks: collections.deque[tuple[float | None, float, float, float]] = (
            collections.deque(maxlen=64)
        )  # (DAC time of first sample, source start, source end, seconds) per block

    # -- loading ------------------------------------------------------------------------------
    @property
    def rate(self) -> int:
        """Sample rate of the loaded audio, which is the rate the output stream runs at."""
        return self._cursor.rate if self._cursor else self._output_rate()

    @property
    def samples(self) -> np.ndarray:
        """The loaded audio at :attr:`rate` (read-only view; empty when nothing is loaded)."""
        if self._cursor is None:
            return np.zeros(0, dtype=np.float32)
        view = self._cursor.samples.view()
        view.flags.writeable = False
        return view

    @property
    def duration(self) -> float:
        """Length of the loaded recording in seconds (0 when nothing is loaded)."""
        return self._cursor.length / self._cursor.rate if self._cursor else 0.0

    def load(self, path: str | Path) -> float:
        """Decode ``path`` at the output device's rate; returns its duration in seconds.

        Raises :class:`AudioError` (one line) for a missing, empty or corrupt file.
        """
        rate = self._output_rate()
        duration = self.load_samples(decode_audio(path, sample_rate=rate), rate)
        self._path = Path(path)
        return duration

    def load_samples(self, samples: np.ndarray, rate: int) -> float:
        """Load mono float samples at ``rate`` (converted to the output rate if needed)."""
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if samples.size == 0:
            raise AudioError("there is no audio to play")
        self.close()
        out_rate = self._output_rate()
        if int(rate) != out_rate:
            samples = resample(samples, int(rate), out_rate)
        self._path = None
        self._cursor = TimeStretcher(samples, out_rate)
        self._cursor.speed = self._speed
        self._pos = self._anchor = 0.0
        self._end = None
        return self.duration

    # -- state ------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def range_end(self) -> float | None:
        """Where the current range stops, in seconds (None: the end of the recording)."""
        return None if self._end is None or not self._cursor else self._end / self._cursor.rate

    @property
    def position(self) -> float:
        """Seconds of the source heard so far: cheap, and safe to poll from any thread.

        While playing it follows what has reached the speaker (PortAudio's output time),
        not what has been handed to the device; after a range ends it is the range end.
        """
        cursor = self._cursor
        if cursor is None:
            return 0.0
        if not self._playing:
            return self._pos / cursor.rate
        stream = self._stream
        now = None
        try:
            now = float(stream.time) if stream is not None else None
        except Exception:
            now = None
        with self._lock:
            return self._heard(now) / cursor.rate

    def _heard(self, now: float | None) -> float:
        """Source sample at the speaker at stream time ``now`` (lock held)."""
        if not self._blocks:
            return self._anchor
        for dac, start, end, seconds in reversed(self._blocks):
            if dac is None or now is None or now <= 0:
                return end  # no clock: everything handed over counts as heard
            if dac <= now:
                done = min(1.0, (now - dac) / seconds) if seconds > 0 else 1.0
                return start + done * (end - start)
        return self._anchor

    # -- control ------------------------------------------------------------------------------
    def play(self, start: float | None = None, end: float | None = None) -> None:
        """Play from ``start`` seconds (default: where it stands) to ``end`` (default: the
        end of the recording); then ``on_finished`` runs and playback stops there.

        ``play()`` with no arguments resumes where it stands, keeping a range that was
        paused inside it; after a range has finished it goes on to the end of the
        recording, and at the end of the recording it starts again from the top.
        Raises :class:`DeviceError` (one line) when there is no usable output device.
        """
        cursor = self._cursor
        if cursor is None:
            raise RuntimeError("nothing loaded to play")
        rate = cursor.rate
        if start is None and end is None:
            from_here = self.position * rate
            stop = self._end if self._end is not None and from_here < self._end else None
            if from_here >= (stop if stop is not None else cursor.length) - 1:
                from_here = 0.0
        else:
            from_here = (self.position if start is None else float(start)) * rate
            stop = None if end is None else float(end) * rate
        from_here = min(max(0.0, from_here), float(cursor.length))
        if stop is not None:
            stop = min(max(stop, from_here), float(cursor.length))
        self._stop_stream(keep_position=False)
        with self._lock:
            self._end = stop
            self._anchor = self._pos = from_here
            self._blocks.clear()
            self._fading = None
            cursor.reset(from_here)
            cursor.speed = self._speed
            self._ended = False
            self._stopping = False
            self._generation += 1
        self._open_stream()

    def pause(self) -> None:
        """Stop playing; ``position`` stays at what was heard and ``play()`` resumes there."""
        self._stop_stream(keep_position=True)

    def seek(self, seconds: float) -> None:
        """Go to ``seconds``; while playing, playback goes on from there within a block.

        Seeking past the end of the current range drops the range.
        """
        cursor = self._cursor
        if cursor is None:
            return
        target = min(max(0.0, float(seconds) * cursor.rate), float(cursor.length))
        with self._lock:
            if self._end is not None and target >= self._end:
                self._end = None
            self._anchor = self._pos = target
            self._blocks.clear()
            if self._playing:
                self._fading = self._cursor
                self._cursor = cursor.clone_at(target)
            else:
                cursor.reset(target)

    def set_speed(self, speed: float) -> None:
        """Play at ``speed`` (clamped to 0.75-1.5) from the next 20 ms frame on."""
        speed = min(MAX_SPEED, max(MIN_SPEED, float(speed)))
        if abs(speed - 1.0) < 1e-6:
            speed = 1.0
        with self._lock:
            self._speed = speed
            if self._cursor is not None:
                self._cursor.speed = speed

    def close(self) -> None:
        """Stop and release the output device; the loaded audio stays loaded."""
        self._stop_stream(keep_position=True)

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the output stream ------------------------------------------------------------------
    def _output_rate(self) -> int:
        if self._forced_rate:
            return int(self._forced_rate)
        if self._factory is not None:
            return FALLBACK_RATE
        try:
            sd = load_sounddevice("output")
            info = sd.query_devices(self.device, kind="output")
            return int(info["default_samplerate"]) or FALLBACK_RATE
        except Exception:
            return FALLBACK_RATE

    def _open_stream(self) -> None:
        cursor = self._cursor
        assert cursor is not None
        factory = self._factory
        if factory is None:
            sd = load_sounddevice("output")
            factory = sd.OutputStream
            self._stop_exc = sd.CallbackStop
            self._check_device(sd)
        else:
            self._stop_exc = PlaybackComplete
            self._channels = 1
        try:
            generation = self._generation
            stream = factory(
                device=self.device,
                samplerate=(self._cursor or cursor).rate,  # _check_device may reload it
                channels=self._channels,
                dtype="float32",
                callback=lambda out, frames, t, status: self._callback(generation, out, frames, t),
                finished_callback=lambda: self._stream_finished(generation),
            )
            self._stream = stream
            self._playing = True
            stream.start()
        except DeviceError:
            raise
        except Exception as exc:
            self._playing = False
            close_quietly(self._stream)
            self._stream = None
            raise DeviceError(output_problem(exc)) from None

    def _check_device(self, sd: Any) -> None:
        """Make sure there is an output device and that it takes the audio's rate."""
        info = query_output(sd, self.device)
        rate = self._cursor.rate if self._cursor else FALLBACK_RATE
        channels = output_channels(sd, self.device, rate)
        if channels is not None:
            self._channels = channels
            return
        device_rate = int(info.get("default_samplerate") or 0)
        if device_rate and device_rate != rate and self._cursor is not None:
            self._reload_at(device_rate)  # the device changed since load(): follow it
            self._channels = min(2, int(info["max_output_channels"]))
            return
        raise DeviceError(
            f"the audio output device does not take {rate} Hz audio; "
            "choose another output in the system's sound settings"
        )

    def _reload_at(self, rate: int) -> None:
        old = self._cursor
        assert old is not None
        if self._path is not None:
            samples = decode_audio(self._path, sample_rate=rate)
        else:
            samples = resample(old.samples, old.rate, rate)
        scale = rate / old.rate
        cursor = TimeStretcher(samples, rate)
        cursor.speed = self._speed
        with self._lock:
            self._pos *= scale
            self._anchor *= scale
            self._end = None if self._end is None else min(self._end * scale, cursor.length)
            cursor.reset(self._anchor)
            self._cursor = cursor

    def _stop_stream(self, *, keep_position: bool) -> None:
        stream = self._stream
        if keep_position and self._playing:
            self._pos = self.position * (self._cursor.rate if self._cursor else 1)
        with self._lock:
            self._stopping = True
            self._playing = False
            self._stream = None
            self._fading = None
        close_quietly(stream)

    # -- audio thread -------------------------------------------------------------------------
    def _callback(self, generation: int, outdata: np.ndarray, frames: int, time_info: Any) -> None:
        with self._lock:
            cursor = self._cursor
            if cursor is None or self._stopping or generation != self._generation:
                outdata.fill(0)
                raise self._stop_exc
            start = cursor.position
            block = cursor.read(frames, self._end)
            stop = cursor.position
            fading = self._fading
            if fading is not None:  # a seek: fade out what it cut away, under the fade-in
                self._fading = None
                n = min(block.size, max(1, round(EDGE_FADE_S * cursor.rate)))
                tail = fading.read(n)
                block[: tail.size] += tail * np.linspace(1, 0, tail.size, dtype=np.float32)
            limit = cursor.length if self._end is None else min(self._end, cursor.length)
            ended = block.size < frames or cursor.position >= limit
            if ended and block.size:
                n = min(block.size, round(EDGE_FADE_S * cursor.rate))
                block[block.size - n :] *= np.linspace(1, 0, n, dtype=np.float32)
            dac = getattr(time_info, "outputBufferDacTime", None)
            self._blocks.append((dac, start, stop, block.size / cursor.rate))
            if ended:
                self._ended = True
        outdata[: block.size] = block[:, None]
        outdata[block.size :] = 0
        if ended:
            raise self._stop_exc

    def _stream_finished(self, generation: int) -> None:
        with self._lock:
            if self._stopping or generation != self._generation:
                return  # pause/close/play ended it
            self._stopping = True
            self._playing = False
            ended = self._ended
            # Everything handed over has been played out (or was lost with the device).
            self._pos = self._blocks[-1][2] if self._blocks else self._anchor
        if ended:
            if self.on_finished is not None:
                self.on_finished()
        elif self.on_error is not None:
            self.on_error(
                DeviceError(
                    "the audio output device was lost during playback: check the speakers "
                    "or headphones, then press Play"
                )
            )
