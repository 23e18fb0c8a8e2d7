"""The decoded words tidied into one answer: the prompted pass's fillers placed among the
main pass's words, overlaps and repeats recognised, times made monotonic, and every voiced
gap between words accounted for (:func:`complete_gaps`). Pure functions over word lists."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from starcoach.rubric.model import Word
from starcoach.rubric.text import tokenize
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.decoding import FILLER_GUESS_S, MIN_WORD_S, TimedWord
from starcoach.speech.fillers import (
    Gap,
    apart_from_written,
    is_written_filler,
    label_gaps,
    loud_frames,
    merge_fillers,
    normalise_filler,
    voiced_gaps,
)
from starcoach.speech.folded import hidden_fillers

if TYPE_CHECKING:
    from starcoach.speech.decoding import TranscribeOptions


def overlaps(a: Word, b: Word) -> bool:
    """Whether two words share more than a third of the shorter one's time."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > max(0.02, min(a.end - a.start, b.end - b.start) / 3)


def add_written_fillers(words: Sequence[Word], fillers: Sequence[Word]) -> list[Word]:
    """``words`` with the prompted pass's ``fillers`` added, in time order.

    A filler where one is already written is dropped (one squeezed to an instant by the
    times made monotonic is where it touches one). A word that Whisper's alignment
    stretched over the filler is cut back to where the filler begins (or resumes after it
    ends), as long as some of the word is left.
    """
    out = list(words)
    for f in fillers:
        met = [k for k, w in enumerate(out) if _meets(w, f)]
        if any(is_written_filler(out[k].text) for k in met):
            continue
        hit = [k for k in met if out[k].end > f.start and out[k].start < f.end]
        for k in hit:
            w = out[k]
            if w.start < f.start and f.start - w.start >= MIN_WORD_S:
                out[k] = Word(w.text, w.start, f.start, w.kind)
            elif w.end > f.end and w.end - f.end >= MIN_WORD_S:
                out[k] = Word(w.text, f.end, w.end, w.kind)
        out.append(f)
    return sorted(out, key=lambda w: (w.start, w.end))


def _meets(w: Word, f: Word) -> bool:
    """Whether ``f`` shares time with ``w``, or is an instant inside or at the edge of it."""
    if f.start == f.end:
        return w.start <= f.start <= w.end
    return w.end > f.start and w.start < f.end


def place_fillers(prompted: Sequence[str], words: Sequence[Word]) -> list[Word]:
    """Fillers of the prompted pass's text (``prompted``, normalised words in order) placed
    among the main pass's ``words`` of the same window, by aligning the two texts.

    Its own word times are rougher than the main pass's, so each filler goes after the main
    word aligned with the prompted word before it: into the pause after that word, or over
    the end of it where the aligner stretched it across the filler (the word is cut back
    later, :func:`add_written_fillers`). Fillers written in a row after one word follow
    each other into the pause as far as it holds them; the rest (tiny.en's decoding loops:
    "uh" sixteen times over a third of a second on dev-set o11) were never spoken.

    The prompted pass's text may run past the window's last main word (its last segment
    began before the window's end): a filler written after words the main pass has not
    reached yet ("… new ones" | "and uh I wrote …", dev-set o24) was said after those words,
    in the next window, so it is not placed here at the end of this one.
    """
    plain = [k for k, t in enumerate(prompted) if not is_written_filler(t)]
    main = [normalise_filler(w.text) for w in words]
    matcher = difflib.SequenceMatcher(a=[prompted[k] for k in plain], b=main, autojunk=False)
    to_main: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for n in range(block.size):
            to_main[plain[block.a + n]] = block.b + n
    out: list[Word] = []
    run: dict[int | None, int] = {}  # prompted fillers seen after each anchor
    placed: dict[int | None, int] = {}  # and those of them placed
    for k, text in enumerate(prompted):
        if not is_written_filler(text) or not words:
            continue
        anchor = max((j for j in to_main if j < k), default=None)
        after = -1 if anchor is None else to_main[anchor]
        if anchor is not None and after == len(words) - 1 and any(
                not is_written_filler(prompted[j]) for j in range(anchor + 1, k)):
            continue  # beyond the window's words: the next window's to place
        run[anchor] = run.get(anchor, 0) + 1
        if run[anchor] <= _written_after(main, after):
            continue  # the main pass wrote this filler itself, right after the same word
        nth = placed.get(anchor, 0)
        if anchor is None:  # before the first word
            if nth:
                continue
            nxt = words[0]
            start, end = max(0.0, nxt.start - FILLER_GUESS_S), nxt.start
        else:
            i = to_main[anchor]
            prev, nxt = words[i], (words[i + 1] if i + 1 < len(words) else None)
            room = (nxt.start if nxt is not None else prev.end + FILLER_GUESS_S) - prev.end
            if room >= 0.1:
                start = prev.end + nth * FILLER_GUESS_S
                end = min(start + FILLER_GUESS_S, prev.end + room)
                if end - start < 0.1:
                    continue  # the pause holds no more
            elif nth:
                continue  # one filler at most over the end of a word
            else:
                start = max(prev.start + MIN_WORD_S, prev.end - FILLER_GUESS_S)
                end = max(prev.end, start + 0.05)
        placed[anchor] = nth + 1
        out.append(Word(text, round(start, 3), round(end, 3), "filler"))
    return out


def _written_after(main: Sequence[str], i: int) -> int:
    """How many fillers the main pass wrote in a row right after its word ``i`` (-1: at
    the start)."""
    n = 0
    while i + 1 + n < len(main) and is_written_filler(main[i + 1 + n]):
        n += 1
    return n


def repeats(a: Word, b: Word) -> bool:
    """Whether ``a`` is ``b`` again, timed a little apart (alignment differs per decode)."""
    same = normalise_filler(a.text) == normalise_filler(b.text)
    return same and abs(a.start - b.start) < 0.6


Recover = Callable[[np.ndarray, Sequence[Word], Sequence[Gap]], list[Word]]


def complete_gaps(
    audio: np.ndarray,
    words: Sequence[Word],
    options: TranscribeOptions,
    recover: Recover | None = None,
) -> list[Word]:
    """``words`` with every voiced gap between them accounted for.

    ``recover`` (the model decoding gaps of ``min_redecode_s`` or more again) adds the
    words it finds; each gap still
    left becomes a filler if it sounds like a filled pause, an unrecognised-speech span
    otherwise (:func:`.fillers.label_gaps`).
    """
    o = options.filler_options
    words = list(words)
    loud = loud_frames(audio, o)  # one pass over the recording for all three searches
    gaps = voiced_gaps(audio, words, o, loud)
    # a gap too short to hold a word (the edge of one, a filler) is not worth a decode
    long = [g for g in gaps if g.duration >= o.min_redecode_s]
    if recover is not None and long:
        extra = recover(audio, words, long)
        if extra:
            words = tidy_words(merge_fillers(words, extra), audio.size / SAMPLE_RATE)
            gaps = voiced_gaps(audio, words, o, loud)
    labels = label_gaps(audio, gaps, o)
    words = carve_fillers(words, hidden_fillers(audio, words, o, loud))
    return merge_fillers(words, apart_from_written(labels, words))


def carve_fillers(words: Sequence[Word], hidden: Sequence[tuple[int, Word]]) -> list[Word]:
    """``words`` with each hidden filler (:func:`.folded.hidden_fillers`) taken out of the
    word it was folded into: the word ends where a trailing filler starts, or starts where
    a leading one ends. A filler beside one Whisper wrote is that one, and is left out."""
    out = list(words)
    found = apart_from_written([f for _, f in hidden], words)
    for k, f in hidden:
        if f not in found:
            continue
        w = out[k]
        if f.start - w.start >= w.end - f.end:  # the filler is the word's tail
            out[k] = Word(w.text, w.start, max(w.start, f.start), w.kind)
        else:
            out[k] = Word(w.text, min(w.end, f.end), w.end, w.kind)
        out.append(f)
    return sorted(out, key=lambda w: (w.start, w.end))


# A decoding loop: the same phrase of up to LOOP_MAX_N words written LOOP_REPEATS times in a
# row (a single word: one time more, since "no, no, no" is said). Whisper falls into these
# where it loses the audio, most often at the end of a recording.
LOOP_MAX_N = 6
LOOP_REPEATS = 3


def drop_loops(words: Sequence[Word]) -> list[Word]:
    """``words`` without the copies of a phrase the decoder wrote over and over: the first
    time stays, the copies go, so the speech under them is a gap again (decoded once more
    or shown as unrecognised, never read as words that were not said). The copy kept ends
    where the phrase's punctuation does ("turn it on," rather than "it on, turn"); a copy
    cut short is dropped only where nothing but the loop follows. Fillers are not words
    here: a run of them is placed, and counted, by ``place_fillers``."""
    norms = [normalise_filler(w.text) if w.kind == "word" and not is_written_filler(w.text)
             else "" for w in words]
    stops = [t.sent_end or t.comma for t in tokenize(list(words))]  # a phrase ends there
    out: list[Word] = []
    i = 0
    while i < len(words):
        n, copies = _loop_at(norms, i)
        if copies == 1:
            out.append(words[i])
            i += 1
            continue
        end = i + n * copies
        while end < len(words) and norms[end] and norms[end] == norms[end - n]:
            end += 1  # the loop runs on into a copy cut short
        if end < len(words) and norms[end]:
            end = i + n * copies  # real words follow: that copy was them starting
        keep = next((r for r in range(n) if stops[i + n - 1 + r]), 0)
        out.extend(words[i:i + n + keep])
        i = max(end, i + n + keep)
    return out


def _loop_at(norms: list[str], i: int) -> tuple[int, int]:
    """(phrase length, times written) of the longest loop starting at ``i``: (1, 1) if none."""
    best = (1, 1)
    for n in range(1, LOOP_MAX_N + 1):
        phrase = norms[i:i + n]
        if len(phrase) < n or not all(phrase):
            break
        copies = 1
        while norms[i + copies * n:i + (copies + 1) * n] == phrase:
            copies += 1
        if copies >= LOOP_REPEATS + (n == 1) and n * copies > best[0] * best[1]:
            best = (n, copies)
    return best


def tidy_words(words: Sequence[Word], duration: float) -> list[Word]:
    """Drop empty words and decoding loops (:func:`drop_loops`); clip times to
    ``[0, duration]``; make starts non-decreasing. Every transcript the app shows or keeps
    (live, quick and exact) passes through here."""
    out: list[Word] = []
    last = 0.0
    for w in drop_loops(words):
        if not w.text:
            continue
        start = min(max(w.start, last, 0.0), duration)
        end = min(max(w.end, start), duration)
        out.append(Word(w.text, round(start, 3), round(end, 3), w.kind))
        last = start
    return out


def leading_entries(words: list[Word], n_model_words: int) -> int:
    """How many entries of ``words`` it takes to include its first ``n`` model words."""
    if n_model_words <= 0:
        return 0
    seen = 0
    for i, w in enumerate(words):
        if w.kind == "word":
            seen += 1
            if seen == n_model_words:
                return i + 1
    return len(words)


def timed_text(words: list[TimedWord]) -> str:
    """The words' text, as a prompt reads it."""
    return " ".join(w.word.text for w in words)
