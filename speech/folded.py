"""Filled pauses the aligner folded into a neighbouring word (Whisper wrote no "um" and
stretched the word over it), found with the same acoustic test as a voiced gap's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.fillers import (
    CENTRE_S,
    FRAME,
    FRAME_S,
    HOP,
    FillerOptions,
    Gap,
    is_filled_pause,
    measure_gap,
    runs,
    voiced_frames,
)

STRETCHED_S = 0.5  # a word lasting this long may hold a filler the aligner folded into it
WORD_SOUND_S = 0.08  # ... if this much voiced sound is left for the word itself


def hidden_fillers(
    audio: np.ndarray, words: Sequence[Word], options: FillerOptions | None = None,
    loud: np.ndarray | None = None,
) -> list[tuple[int, Word]]:
    """Filled pauses the aligner folded into a neighbouring word, as ``(index, filler)``.

    Whisper often writes no "um" and stretches the word before or after it over the sound
    ("from" lasting 0.8 s). Inside a word that long, a voiced run at its start or end, set
    off from the rest of the word by a pause and sounding like a filled pause by the same
    test as a gap (:func:`is_filled_pause`), is taken out of the word. The word keeps its
    other runs, so a word is never turned into a filler. ``loud``: ``loud_frames(audio)``,
    if already known.
    """
    o = options or FillerOptions()
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    n_frames = 1 + (audio.size - FRAME) // HOP if audio.size >= FRAME else 0
    long = [(k, w) for k, w in enumerate(words)
            if w.kind == "word" and w.end - w.start >= STRETCHED_S]
    if n_frames == 0 or not long:
        return []
    inside = np.zeros(n_frames, dtype=bool)
    spans = []
    for k, w in long:
        end = min(w.end, words[k + 1].start) if k + 1 < len(words) else w.end
        a = max(0, int(np.ceil((w.start - CENTRE_S) / FRAME_S)))
        b = min(n_frames, int(np.floor((end - CENTRE_S) / FRAME_S)) + 1)
        if b > a:
            inside[a:b] = True
            spans.append((k, a, b))
    voiced = voiced_frames(audio, o, only=inside, loud=loud)
    bridge, min_frames = round(o.bridge_s / FRAME_S), round(o.min_filler_s / FRAME_S)
    rest_frames = round(WORD_SOUND_S / FRAME_S)
    out: list[tuple[int, Word]] = []
    for k, a, b in spans:
        mask = voiced[a:b].copy()
        for start, stop in runs(~mask):  # consonants inside a word do not split it
            if start > 0 and stop < mask.size and stop - start <= bridge:
                mask[start:stop] = True
        parts = [(a + x, a + y) for x, y in runs(mask) if y - x > 0]
        if len(parts) < 2:
            continue
        voiced_total = sum(y - x for x, y in parts)
        hits = [run for run in (parts[0], parts[-1]) if run[1] - run[0] >= min_frames
                and voiced_total - (run[1] - run[0]) >= rest_frames  # the word's own sound
                and is_filled_pause(measure_gap(audio, Gap(*run)), o)]
        if len(hits) == 1:  # both ends alike: no telling which is the word
            gap = Gap(*hits[0])
            out.append((k, Word(o.text, round(gap.start, 3), round(gap.end, 3), "filler")))
    return out
