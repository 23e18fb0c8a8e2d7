"""Helpers for the practice tests: a spoken answer with known words, and the model double."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE

from .conftest import speech_helpers

# Pauses before "We", "The" and "I" leave room to press 3 (Action) and 4 (Result).
SCRIPT = ("Our nightly import failed every night. <pause:0.4> "
          "My manager asked me to fix it. <pause:1.0> We rewrote the job. <pause:1.0> "
          "The team was happy. <pause:0.4> I learned that communication is important.")


@dataclass
class SpokenAnswer:
    audio: np.ndarray
    words: list[Word]

    @property
    def duration(self) -> float:
        return self.audio.size / SAMPLE_RATE

    def index(self, text: str) -> int:
        return [w.text for w in self.words].index(text)


def spoken_answer(script: str = SCRIPT, speed: int = 240, gap: float = 0.06,
                  lead: float = 0.4) -> SpokenAnswer:
    """espeak-ng speaks ``script`` word by word, so every word's time is known exactly."""
    helpers = speech_helpers()
    parts = [helpers.silence(lead)]
    t = lead
    words: list[Word] = []
    for token in script.split():
        if token.startswith("<pause:"):
            seconds = float(token[7:-1])
            parts.append(helpers.silence(seconds))
            t += seconds
            continue
        clip = helpers.speak(token, speed=speed)
        words.append(Word(token, round(t, 3), round(t + clip.size / SAMPLE_RATE, 3)))
        parts += [clip, helpers.silence(gap)]
        t += clip.size / SAMPLE_RATE + gap
    parts.append(helpers.silence(lead))
    return SpokenAnswer(np.concatenate(parts), words)


class KnownWords:
    """Stands in for a trained model's words only: returns the words known to be in the
    espeak-ng audio, as far as the audio it is given reaches."""

    def __init__(self, words: list[Word]) -> None:
        self.words = list(words)
        self.calls = 0

    def recognise(self, audio: np.ndarray) -> list[Word]:
        self.calls += 1
        heard = audio.size / SAMPLE_RATE
        return [w for w in self.words if w.end <= heard + 0.05]


class _StreamDouble:
    """The Recorder's stream seam fed from ``audio`` on a thread of its own (16-bit blocks
    of the size PortAudio was asked for); subclasses say how the feed ends."""

    def __init__(self, audio: np.ndarray, **kwargs) -> None:
        self.audio = (np.clip(audio, -1, 1) * 32767).astype(np.int16).reshape(-1, 1)
        self.callback = kwargs["callback"]
        self.finished = kwargs["finished_callback"]
        self.block = kwargs["blocksize"]
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _feed(self) -> bool:
        """Deliver every block; False if stopped first."""
        for i in range(0, len(self.audio), self.block):
            if self._stop.is_set():
                return False
            chunk = self.audio[i:i + self.block]
            self.callback(chunk, len(chunk), None, None)
        return True

    def _run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self.thread.start()

    def abort(self) -> None:
        self._stop.set()
        self.thread.join()

    def close(self) -> None:
        pass


class LostStream(_StreamDouble):
    """A microphone that delivers ``audio``, then disappears (PortAudio's finished
    callback without a Stop), like a USB headset being unplugged: the one fault the fake
    ALSA device cannot produce."""

    def _run(self) -> None:
        if self._feed():
            self.finished()

    def abort(self) -> None:  # what was said is delivered in full, then the device goes
        self.thread.join()


class FastStream(_StreamDouble):
    """A microphone that delivers ``audio`` as fast as the recorder takes it, then silence
    until stopped: a long answer in a second or two. Blocks wait on an event, never a
    sleep."""

    def __init__(self, audio: np.ndarray, **kwargs) -> None:
        super().__init__(audio, **kwargs)
        self.delivered = threading.Event()

    def _run(self) -> None:
        if self._feed():
            self.delivered.set()


def open_window(qtbot, transcriber, stream_factory):
    """The real main window on the practice screen, its model the given ``transcriber`` and
    its microphone ``stream_factory``, once the model is ready."""
    from starcoach.desktop.app import MainWindow

    win = MainWindow(loader=lambda _m, _t: transcriber, stream_factory=stream_factory)
    qtbot.addWidget(win)
    win.chooser.select("ownership-failure", "mid", None)
    with qtbot.waitSignal(win.practice.modelReady, timeout=30_000):
        win.show()
        qtbot.waitExposed(win)
    win.show_practice()
    return win
