"""Reading an answer from disk: a plain-text transcript or timed words as JSON.

Every problem becomes an ``InputError`` with one line a person can act on; audio files
are recognised here but decoded by ``speech``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from starcoach.rubric.model import Timing, Word
from starcoach.rubric.text import estimate_words

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".mp3", ".m4a", ".ogg", ".webm", ".opus", ".aac"})
MAX_WORDS = 20_000  # about two hours of speech; a rehearsal answer is a few hundred
OVERLAP_TOLERANCE_S = 0.01


class InputError(ValueError):
    """An answer file that cannot be analysed; ``str()`` is the one-line reason."""


def is_audio(path: Path) -> bool:
    return path.suffix.lower() in AUDIO_SUFFIXES


def read_answer(path: Path) -> tuple[list[Word], Timing]:
    """Words and how they were timed, from a ``.txt`` or ``.json`` answer file."""
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".json"):
        raise InputError(f"{path}: unsupported input type {suffix or '(none)'!r}; give an "
                         "audio file, a .txt transcript or .json timed words")
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise InputError(f"{path}: is empty; nothing to analyse")
    if suffix == ".txt":
        count = len(text.split())
        if count > MAX_WORDS:
            raise InputError(f"{path}: {count} words is too long to be one answer "
                             f"(limit {MAX_WORDS})")
        return estimate_words(text), "estimated"
    return parse_words_json(text, str(path)), "words"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not an answer file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _number(value: object, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}: '{key}' must be a number of seconds")
    if not math.isfinite(value):
        raise InputError(f"{where}: '{key}' must be a finite number")
    return float(value)


def parse_words_json(text: str, source: str = "<json>") -> list[Word]:
    """Validate ``[{"text", "start", "end"}, …]`` or ``{"words": [...]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: malformed JSON at line {exc.lineno} column {exc.colno}: "
                         f"{exc.msg}") from None
    if isinstance(data, dict):
        if "words" not in data:
            raise InputError(f"{source}: a JSON object needs a \"words\" list")
        data = data["words"]
    if not isinstance(data, list):
        raise InputError(f"{source}: expected a list of words with text, start and end")
    if not data:
        raise InputError(f"{source}: has no words; nothing to analyse")
    if len(data) > MAX_WORDS:
        raise InputError(f"{source}: {len(data)} words is too long to be one answer "
                         f"(limit {MAX_WORDS})")
    words: list[Word] = []
    prev_end = 0.0
    for i, item in enumerate(data):
        where = f"{source}: word {i}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: must be an object with text, start and end")
        text_value = item.get("text")
        if not isinstance(text_value, str) or not text_value.strip():
            raise InputError(f"{where}: 'text' must be a non-empty string")
        start = _number(item.get("start"), where, "start")
        end = _number(item.get("end"), where, "end")
        if start < 0 or end < 0:
            raise InputError(f"{where}: negative time ({start}–{end} s)")
        if end < start:
            raise InputError(f"{where}: ends before it starts ({start}–{end} s)")
        if start < prev_end - OVERLAP_TOLERANCE_S:
            raise InputError(f"{where}: starts at {start} s, before word {i - 1} ends at "
                             f"{prev_end} s (overlapping or out of order)")
        kind = item.get("kind", "word")
        if kind not in ("word", "filler", "unrecognised"):
            raise InputError(f"{where}: 'kind' must be \"word\", \"filler\" or \"unrecognised\"")
        words.append(Word(text_value.strip(), start, end, kind))
        prev_end = max(prev_end, end)
    return words
