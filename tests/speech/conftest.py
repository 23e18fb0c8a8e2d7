"""Fixtures for the speech tests: a random-weight Whisper model, espeak-ng speech, doubles."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE

TOOLS = Path(__file__).resolve().parents[1] / "tools"
sys.path.insert(0, str(TOOLS))

import build_test_model  # noqa: E402
from espeak import espeak  # noqa: E402


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (Debian package {tool})")


@pytest.fixture(scope="session")
def test_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight faster-whisper model folder (built in about a second)."""
    return build_test_model.build(tmp_path_factory.mktemp("model") / "test-model")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user-data folder and no hub endpoint override."""
    data = tmp_path / "data"
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(data))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return data


_SYNTH_CACHE: dict[tuple[str, int], np.ndarray] = {}


def speak(text: str, speed: int = 165) -> np.ndarray:
    """espeak-ng speech for ``text`` as 16 kHz mono float32, edge silence trimmed."""
    _need("espeak-ng")
    key = (text, speed)
    if key not in _SYNTH_CACHE:
        _SYNTH_CACHE[key] = espeak(text, speed=speed, trim=1e-3)
    return _SYNTH_CACHE[key]


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


@dataclass
class KnownAnswer:
    """Synthesised speech and the exact times of what was said in it."""

    audio: np.ndarray
    words: list[Word]  # spoken words, exact times
    fillers: list[Word]  # vocalised fillers, exact times

    @property
    def duration(self) -> float:
        return self.audio.size / SAMPLE_RATE


def build_answer(script: str, gap: float = 0.25, lead: float = 0.5) -> KnownAnswer:
    """Speak the space-separated tokens of ``script`` one by one, ``gap`` seconds apart.

    A token written ``<um>`` or ``<uh>`` is a vocalised filler (espeak "um"/"uh", slow);
    ``<pause:S>`` is S seconds of silence.
    """
    parts = [silence(lead)]
    t = lead
    words: list[Word] = []
    fillers: list[Word] = []
    for token in script.split():
        if token.startswith("<pause:"):
            seconds = float(token[7:-1])
            parts.append(silence(seconds))
            t += seconds
            continue
        if token in ("<um>", "<uh>"):
            clip = speak("um" if token == "<um>" else "uh", speed=120)
            fillers.append(Word(token[1:-1], t, t + clip.size / SAMPLE_RATE, "filler"))
        else:
            clip = speak(token)
            words.append(Word(token, t, t + clip.size / SAMPLE_RATE))
        parts += [clip, silence(gap)]
        t += clip.size / SAMPLE_RATE + gap
    parts.append(silence(lead))
    return KnownAnswer(np.concatenate(parts), words, fillers)


class KnownWordsRecogniser:
    """Test double for a trained model: returns the words known to be in the audio."""

    def __init__(self, words: list[Word]) -> None:
        self.words = list(words)
        self.calls = 0

    def recognise(self, audio: np.ndarray) -> list[Word]:
        self.calls += 1
        return list(self.words)


@pytest.fixture(scope="session")
def spoken_answer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ~40 s spoken answer (sentences with pauses, one long silence) as a WAV file."""
    _need("espeak-ng")
    out = tmp_path_factory.mktemp("answer") / "answer.wav"
    sentences = [
        "Last year our checkout service failed every night during the batch import.",
        "It was not my team's system, and nobody asked me to look at it.",
        "I traced the failure to a lock held by the import job.",
        "Um, I rewrote the job to commit in small batches and added an alarm.",
        "Failures dropped from five a week to zero, saving about forty hours a month.",
        "I learned to measure the cost of a problem before choosing a fix.",
    ]
    parts = [silence(0.6)]
    for i, sentence in enumerate(sentences):
        parts.append(speak(sentence))
        parts.append(silence(8.0 if i == 2 else 0.7))
    audio = np.concatenate(parts)
    write_wav(out, audio)
    return out


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """Write mono float audio as 16-bit PCM WAV (stdlib only)."""
    import wave

    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


# -- a real PortAudio capture stream fed from a FIFO through ALSA's file plugin -------------

HARNESS = Path(__file__).resolve().parent / "cli_harness.py"


class FakeMic:
    """An ALSA capture device ``fakemic`` reading s16 16 kHz samples that the test feeds,
    and a default playback device that writes what it is given to ``speaker``.

    The test process keeps the FIFO open read-write, so PortAudio's device probes never
    block; ``feed`` writes audio at real-time pace (then silence) from a thread.
    """

    def __init__(self, folder: Path) -> None:
        import os

        self.fifo = folder / "mic.fifo"
        os.mkfifo(self.fifo)
        self._rw = os.open(self.fifo, os.O_RDWR)
        self._drain_fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.conf = folder / "asound.conf"
        self.speaker = folder / "speaker.raw"  # what was played to the default device
        self.conf.write_text(
            f'pcm.fakemic {{ type file slave.pcm "null" file "/dev/null" '
            f'infile "{self.fifo}" format "raw" }}\n'
            # Playback lands in speaker.raw (truncated by each new stream, in the stream's
            # format and rate, not paced in real time); capture stays ``fakemic``.
            f'pcm.!default {{ type asym playback.pcm {{ type file slave.pcm "null" '
            f'file "{self.speaker}" format "raw" }} capture.pcm "fakemic" }}\n'
        )
        self.alsa_config_path = f"/usr/share/alsa/alsa.conf:{self.conf}"
        self.fed = 0  # samples written
        self._stop = None
        self._thread = None

    def drain(self) -> int:
        """Remove and count samples nobody has read yet."""
        import os

        n = 0
        while True:
            try:
                chunk = os.read(self._drain_fd, 65536)
            except BlockingIOError:
                return n // 2
            if not chunk:
                return n // 2
            n += len(chunk)

    def feed(self, audio: np.ndarray) -> None:
        """Start writing ``audio`` at 16 kHz real time, then silence until ``stop_feeding``."""
        import os
        import threading
        import time

        self.drain()
        self.fed = 0
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
        stop = threading.Event()
        step = 3200  # 100 ms, one atomic pipe write per 1600-frame PortAudio block

        def run() -> None:
            start = time.monotonic()
            pos = 0
            zeros = bytes(step)
            while not stop.is_set():
                chunk = pcm[pos : pos + step] if pos < len(pcm) else zeros
                chunk += bytes(step - len(chunk))
                os.write(self._rw, chunk)
                pos += len(chunk)
                self.fed += len(chunk) // 2
                ahead = pos / 32000 - (time.monotonic() - start)
                if ahead > 0:
                    stop.wait(ahead)

        self._stop = stop
        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop_feeding(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self._thread.join()
            self._stop = None

    def run_cli(self, *args: str, **kwargs):
        """Start the speech CLI in a child process that records from ``fakemic``."""
        import os

        env = {**os.environ, "ALSA_CONFIG_PATH": self.alsa_config_path, "PYTHONUNBUFFERED": "1"}
        return subprocess.Popen(
            [sys.executable, str(HARNESS), *args],
            env={**env, **kwargs.pop("env", {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )


@pytest.fixture(scope="session")
def fakemic(tmp_path_factory: pytest.TempPathFactory):
    """The session's fake microphone (needs libportaudio2 and ALSA's file plugin)."""
    if not Path("/usr/share/alsa/alsa.conf").exists():
        pytest.skip("ALSA configuration not installed")
    mic = FakeMic(tmp_path_factory.mktemp("fakemic"))
    yield mic
    mic.stop_feeding()
