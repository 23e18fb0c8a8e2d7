"""Fillers found as the answer grows (``speech/live.py``): each committed stretch is
searched once, so at Stop only the uncommitted end is left to search."""

from __future__ import annotations

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.fillers import FillerOptions, gap_words_in, merge_fillers

FILLER_CONTEXT_S = 10.0  # audio before a stretch that filler detection reads for its noise floor


class FillerTrail:
    """Fillers and unrecognised spans of the audio searched so far (source seconds)."""

    def __init__(self, options: FillerOptions) -> None:
        self.options = options
        self.found: list[Word] = []
        self.searched_to = 0.0

    def between(self, source: np.ndarray, words: list[Word], upto: float) -> list[Word]:
        """Those starting after the stretch searched and before ``upto``; not kept."""
        return gap_words_in(source, words, self.searched_to, upto, self.options,
                            FILLER_CONTEXT_S)

    def extend(self, source: np.ndarray, words: list[Word], upto: float) -> None:
        """Search on to ``upto`` (a commit) and keep what is found."""
        self.found += self.between(source, words, upto)
        self.searched_to = max(self.searched_to, upto)

    def merged(self, source: np.ndarray, words: list[Word], upto: float) -> list[Word]:
        """``words`` with every filler found, the rest of the audio to ``upto`` searched
        now (at Stop)."""
        tail = self.between(source, words, upto)
        return merge_fillers(words, [*self.found, *tail])
