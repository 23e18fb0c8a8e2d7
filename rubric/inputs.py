"""Reading an answer from disk: a plain-text transcript or timed words as JSON.

Every problem becomes an ``InputError`` with one line a person can act on; audio files
are recognised here but decoded by ``speech``. Everything is bounded: the file's size,
the number of words, each word's length, JSON nesting, the digits of a number and the
times (see the limits below and the README); control characters in the text are dropped
so nothing read here can drive a terminal later.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from starcoach.rubric.model import Timing, Word
from starcoach.rubric.safety import FileProblem, clean_text, read_bounded, tree_depth
from starcoach.rubric.serial import SerialError, word_from_json
from starcoach.rubric.text import estimate_words

AUDIO_SUFFIXES = frozenset({".wav", ".flac", ".mp3", ".m4a", ".ogg", ".webm", ".opus", ".aac"})
MAX_WORDS = 20_000  # about two hours of speech; a rehearsal answer is a few hundred
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # a .txt or .json answer file (20,000 words fit in 2)
MAX_WORD_CHARS = 100  # one word (the longest English words are under 50 letters)
MAX_TIME_S = 4 * 3600.0  # any word's start or end
MAX_JSON_DEPTH = 16  # {"words": [{...}]} is 3 deep
MAX_NUMBER_DIGITS = 20  # an integer in the JSON (seconds never need more)
MAX_JSON_CONTAINERS = 4 * MAX_WORDS  # "{" and "[" in the file, strings included
OVERLAP_TOLERANCE_S = 0.01
_WORD = re.compile(r"\S+")


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
    try:
        raw = read_bounded(path, MAX_ANSWER_BYTES)
    except FileProblem as exc:
        raise InputError(f"{path}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    if not text.strip():
        raise InputError(f"{path}: is empty; nothing to analyse")
    if suffix == ".txt":
        return parse_transcript(text, str(path)), "estimated"
    return parse_words_json(text, str(path)), "words"


def parse_transcript(text: str, source: str = "<text>") -> list[Word]:
    """Words with estimated timings from a plain-text transcript (bounded, controls dropped)."""
    pieces: list[str] = []
    for match in _WORD.finditer(clean_text(text, inline=True).replace("\ufffd", " ")):
        if len(pieces) == MAX_WORDS:  # stop counting: memory stays bounded
            raise InputError(f"{source}: more than {MAX_WORDS} words is too long to be one "
                             "answer")
        pieces.append(match.group())
    if not pieces:
        raise InputError(f"{source}: has no words; nothing to analyse")
    for i, piece in enumerate(pieces):
        if len(piece) > MAX_WORD_CHARS:
            raise InputError(f"{source}: word {i} is {len(piece):,} characters long; a word "
                             f"may have at most {MAX_WORD_CHARS}")
    return estimate_words(" ".join(pieces))


def _bounded(value: float, where: str, key: str) -> float:
    if not -MAX_TIME_S <= value <= MAX_TIME_S:
        raise InputError(f"{where}: '{key}' is {value:g} s; times are limited to "
                         f"{MAX_TIME_S:g} s")
    return value


def _int(source: str) -> Callable[[str], int]:
    """A ``parse_int`` hook refusing integers of more than ``MAX_NUMBER_DIGITS`` digits."""
    def parse(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
            raise InputError(f"{source}: a number has {len(digits.lstrip('-')):,} digits "
                             f"(limit {MAX_NUMBER_DIGITS})")
        return int(digits)
    return parse


def _constant(source: str) -> Callable[[str], float]:
    """A ``parse_constant`` hook refusing NaN and Infinity."""
    def parse(name: str) -> float:
        raise InputError(f"{source}: {name} is not a number of seconds")
    return parse


def _word_text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: 'text' must be a non-empty string")
    text = clean_text(value, inline=True).replace("\ufffd", "").strip()
    if not text:
        raise InputError(f"{where}: 'text' must be a non-empty string of printable "
                         "characters")
    if len(text) > MAX_WORD_CHARS:
        raise InputError(f"{where}: 'text' is {len(text):,} characters long; a word may "
                         f"have at most {MAX_WORD_CHARS}")
    return text


def parse_words_json(text: str, source: str = "<json>") -> list[Word]:
    """Validate ``[{"text", "start", "end"}, …]`` or ``{"words": [...]}``."""
    containers = text.count("{") + text.count("[")
    if containers > MAX_JSON_CONTAINERS:  # counted before parsing: memory stays bounded
        raise InputError(f"{source}: {containers:,} JSON objects and arrays is too many to "
                         f"be one answer (limit {MAX_JSON_CONTAINERS:,})")
    try:
        data = json.loads(text, parse_int=_int(source), parse_constant=_constant(source))
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: malformed JSON at line {exc.lineno} column {exc.colno}: "
                         f"{exc.msg}") from None
    except RecursionError:
        raise InputError(f"{source}: JSON nested too deeply (limit {MAX_JSON_DEPTH} "
                         "levels)") from None
    if isinstance(data, list) and len(data) > MAX_WORDS:
        raise InputError(f"{source}: {len(data)} words is too long to be one answer "
                         f"(limit {MAX_WORDS})")
    if tree_depth(data) > MAX_JSON_DEPTH:
        raise InputError(f"{source}: JSON nested too deeply (limit {MAX_JSON_DEPTH} levels)")
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
        text_value = _word_text(item.get("text"), where)
        try:
            word = word_from_json(item, where)
        except SerialError as exc:
            raise InputError(str(exc)) from None
        start, end = _bounded(word.start, where, "start"), _bounded(word.end, where, "end")
        if start < 0 or end < 0:
            raise InputError(f"{where}: negative time ({start:g}–{end:g} s)")
        if end < start:
            raise InputError(f"{where}: ends before it starts ({start:g}–{end:g} s)")
        if start < prev_end - OVERLAP_TOLERANCE_S:
            raise InputError(f"{where}: starts at {start:g} s, before word {i - 1} ends at "
                             f"{prev_end:g} s (overlapping or out of order)")
        words.append(Word(text_value, start, end, word.kind))
        prev_end = max(prev_end, end)
    return words
