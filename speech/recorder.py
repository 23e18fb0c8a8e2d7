"""The microphone recorder: PortAudio in, a FLAC file growing on disk, blocks out for live use.

The audio callback only copies blocks into a queue; a writer thread resamples them to
16 kHz, appends them to the FLAC file (flushed as it goes, see :mod:`.flacfile`), updates
the input level and hands each block to ``on_audio`` (the live transcriber). Whatever goes
wrong mid-recording (device lost, disk full) stops the recording with a one-line error and
leaves a playable file with everything captured up to then.
"""

from __future__ import annotations

import contextlib
import errno
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from starcoach.speech.audio import SAMPLE_RATE, StreamResampler, to_mono
from starcoach.speech.devices import InputDevice, choose_input_device, close_quietly
from starcoach.speech.errors import DeviceError, DiskFull, RecordingError, SpeechError
from starcoach.speech.flacfile import FlacWriter

StreamFactory = Callable[..., Any]
_FULL = (errno.ENOSPC, errno.EDQUOT)  # no space left, or the person's quota is used up
BLOCK_S = 0.1  # PortAudio block: the level meter and live transcriber get 10 blocks a second


@dataclass(frozen=True)
class RecordingResult:
    """What a finished recording left behind."""

    path: Path
    duration: float  # seconds of audio in the file
    error: SpeechError | None = None  # why it stopped early, if it did


def _level_db(block: np.ndarray) -> float:
    if block.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    return max(-120.0, 20.0 * np.log10(rms + 1e-12))


class Recorder:
    """Record one answer from an input device to ``path`` (FLAC, 16 kHz mono).

    ``on_audio(block)`` receives every 16 kHz float32 block written to the file, in order,
    from the writer thread; ``on_level(dbfs)`` the input level for a meter (also while
    paused). ``stop()`` keeps recording ``tail_s`` more seconds so the last word is whole.
    ``limit_s`` ends the recording by itself after that many seconds of audio.
    ``stream_factory`` is ``sounddevice.InputStream`` unless a test replaces it.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        device: int | str | None = None,
        tail_s: float = 0.35,
        on_audio: Callable[[np.ndarray], None] | None = None,
        on_level: Callable[[float], None] | None = None,
        on_error: Callable[[SpeechError], None] | None = None,
        stall_timeout_s: float = 2.0,
        limit_s: float | None = None,
        stream_factory: StreamFactory | None = None,
    ) -> None:
        self.path = Path(path)
        self.device_request = device
        self.tail_s = tail_s
        self.on_audio = on_audio
        self.on_level = on_level
        self.on_error = on_error
        self.stall_timeout_s = stall_timeout_s
        self.limit_s = limit_s
        self._factory = stream_factory
        self.device: InputDevice | None = None
        self.level_db = -120.0
        self.error: SpeechError | None = None
        self.rate = SAMPLE_RATE
        self._queue: queue.Queue[tuple[np.ndarray, bool] | None] = queue.Queue()
        self._stream: Any = None
        self._writer: FlacWriter | None = None
        self._thread: threading.Thread | None = None
        self._paused = threading.Event()
        self._stopping = threading.Event()
        self._done = threading.Event()
        self._tail_target: int | None = None
        self._stop_requested = False
        self._received = 0  # device-rate frames taken from the device (not paused)
        self._lock = threading.Lock()

    # -- control ---------------------------------------------------------------------------
    @property
    def recording(self) -> bool:
        return self._thread is not None and not self._done.is_set()

    @property
    def duration(self) -> float:
        """Seconds of audio written to the file so far."""
        return self._writer.samples / SAMPLE_RATE if self._writer else 0.0

    def start(self) -> None:
        """Open the device and begin recording. Raises :class:`DeviceError`/``RecordingError``."""
        if self._thread is not None:
            raise RuntimeError("a Recorder records once; make a new one")
        factory = self._factory
        if factory is None:
            import sounddevice as sd

            self.device = choose_input_device(self.device_request)
            factory = sd.InputStream
            port_error: type[BaseException] = sd.PortAudioError
            self.rate = self._pick_rate(sd, self.device)
            device_arg: Any = self.device.index
        else:
            port_error = OSError
            device_arg = self.device_request
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = FlacWriter(self.path, SAMPLE_RATE)
        except OSError as exc:
            if exc.errno in _FULL:
                raise DiskFull(f"the disk is full: cannot create {self.path}") from None
            raise RecordingError(f"cannot create {self.path}: {exc.strerror or exc}") from None
        self._resampler = StreamResampler(self.rate)
        if self.limit_s is not None:
            self._tail_target = round(self.limit_s * self.rate)
        try:
            self._stream = factory(
                device=device_arg,
                samplerate=self.rate,
                channels=1,
                dtype="int16",  # what microphones deliver; converted in the writer
                blocksize=round(self.rate * BLOCK_S),
                callback=self._callback,
                finished_callback=self._stream_finished,
            )
            self._stream.start()
        except (port_error, OSError, ValueError) as exc:
            self._writer.close()
            raise DeviceError(_device_message(exc)) from None
        self._thread = threading.Thread(target=self._write_loop, name="recorder", daemon=True)
        self._thread.start()

    @staticmethod
    def _pick_rate(sd: Any, device: InputDevice) -> int:
        """16 kHz when the device takes it (no resampling), else its native rate."""
        try:
            sd.check_input_settings(
                device=device.index, samplerate=SAMPLE_RATE, channels=1, dtype="int16"
            )
            return SAMPLE_RATE
        except Exception:
            return device.default_rate or 48_000

    def pause(self) -> None:
        """Stop keeping audio (the level meter still moves)."""
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    def stop(self, timeout: float | None = None) -> RecordingResult:
        """Record the tail, stop, finish the file; returns what was kept.

        Never raises for device or disk trouble: the result's ``error`` says what happened.
        """
        if self._thread is None:
            raise RuntimeError("not started")
        self._stop_requested = True
        if not self._done.is_set():
            with self._lock:
                tail = self._received + round(self.tail_s * self.rate)
                if self._tail_target is None or tail < self._tail_target:
                    self._tail_target = tail
            self._queue.put((np.zeros((0, 1), dtype=np.float32), False))  # wake the writer
            wait = timeout if timeout is not None else self.tail_s + self.stall_timeout_s + 5
            self._done.wait(wait)
            if not self._done.is_set():
                self._fail(DeviceError("the input device stopped delivering audio"))
                self._queue.put(None)
        self._thread.join()
        self._close_stream()
        return RecordingResult(self.path, self.duration, self.error)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the recording has ended (stopped or failed)."""
        return self._done.wait(timeout)

    # -- audio thread ------------------------------------------------------------------------
    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        self._queue.put((indata.copy(), self._paused.is_set()))

    def _stream_finished(self) -> None:
        self._queue.put(None)

    # -- writer thread -----------------------------------------------------------------------
    def _write_loop(self) -> None:
        last_audio = time.monotonic()
        try:
            while not self._done.is_set():
                try:
                    item = self._queue.get(timeout=0.25)
                except queue.Empty:
                    if time.monotonic() - last_audio > self.stall_timeout_s:
                        raise DeviceError(
                            "the input device stopped delivering audio (unplugged?); "
                            "the recording so far is saved"
                        ) from None
                    continue
                if item is None:
                    if not self._stop_requested:
                        raise DeviceError(
                            "the input device was lost mid-recording; the recording so far is saved"
                        )
                    break
                block, paused = item
                if block.size:
                    last_audio = time.monotonic()
                    self._take(block, paused)
                if self._tail_recorded():
                    break
        except SpeechError as exc:
            self._fail(exc)
        except Exception as exc:  # keep the file whatever happens
            self._fail(RecordingError(f"recording failed: {exc}"))
        finally:
            self._finish_file()
            self._done.set()

    def _take(self, block: np.ndarray, paused: bool) -> None:
        if block.dtype == np.int16:
            block = block.astype(np.float32) / 32768.0
        mono = to_mono(block)
        with self._lock:
            if self._tail_target is not None:
                mono = mono[: max(0, self._tail_target - self._received)]
            self.level_db = _level_db(mono)
            if paused:
                mono = mono[:0]
            self._received += mono.size
        if self.on_level is not None:
            self.on_level(self.level_db)
        if mono.size == 0:
            return
        out = self._resampler.push(mono)
        self._write(out)

    def _write(self, samples: np.ndarray) -> None:
        if samples.size == 0 or self._writer is None:
            return
        try:
            self._writer.write(samples)
        except OSError as exc:
            saved = self._writer.samples / SAMPLE_RATE
            kept = f"recording stopped; the audio up to {saved:.1f} s is saved in {self.path}"
            if exc.errno in _FULL:
                raise DiskFull(f"the disk is full: {kept}", saved_s=saved) from None
            raise RecordingError(
                f"cannot write {self.path.name} ({exc.strerror or exc}): {kept}") from None
        if self.on_audio is not None:
            self.on_audio(samples)

    def _tail_recorded(self) -> bool:
        with self._lock:
            return self._tail_target is not None and self._received >= self._tail_target

    def _finish_file(self) -> None:
        if self._writer is None:
            return
        try:
            if self.error is None:
                self._write(self._resampler.flush())
        except SpeechError as exc:
            self._fail(exc)
        # If closing fails, the frames written so far stay readable without the length field.
        with contextlib.suppress(OSError):
            self._writer.close()

    def _fail(self, exc: SpeechError) -> None:
        if self.error is None:
            self.error = exc
            if self.on_error is not None:
                self.on_error(exc)

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        close_quietly(stream)


def _device_message(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    lowered = text.lower()
    if "permission" in lowered or "denied" in lowered or "unanticipated host error" in lowered:
        return (
            "microphone access was denied: allow StarCoach to use the microphone in the "
            f"system's privacy settings ({text})"
        )
    if "invalid device" in lowered or "device unavailable" in lowered or "no default" in lowered:
        return f"the microphone is not available ({text}); see `starcoach devices`"
    return f"cannot open the microphone: {text}"
