"""Word spans the decoder hands on: stretched words cut back, gap words kept clear."""

from __future__ import annotations

import pytest
from starcoach.rubric.model import Word
from starcoach.speech.decoding import KEPT_OF_STRETCHED_S, STRETCHED_WORD_S, unstretched
from starcoach.speech.gap_passes import clear_of


def test_a_word_longer_than_any_spoken_one_keeps_only_its_start():
    assert unstretched(4.0, 4.0 + STRETCHED_WORD_S + 0.5) == (4.0, 4.0 + KEPT_OF_STRETCHED_S)
    assert unstretched(4.0, 4.0 + STRETCHED_WORD_S) == (4.0, 4.0 + STRETCHED_WORD_S)
    assert unstretched(4.0, 4.6) == (4.0, 4.6)
    assert unstretched(4.0, 3.9) == (4.0, 4.0)  # an aligner end before its start


@pytest.mark.parametrize(("found", "expected"), [
    (Word("b", 0.95, 1.3), Word("b", 1.0, 1.3)),  # starts inside the word before
    (Word("b", 1.1, 2.05), Word("b", 1.1, 2.0)),  # runs into the word after
    (Word("b", 1.1, 1.4), Word("b", 1.1, 1.4)),  # clear already: the same word
    (Word("b", 0.99, 2.01), Word("b", 1.0, 2.0)),  # both
])
def test_a_word_the_gap_pass_adds_never_moves_a_committed_word(found, expected):
    known = [Word("a", 0.5, 1.0), Word("c", 2.0, 2.4)]
    got = clear_of(found, known)
    assert got == expected
    assert all(got.end <= k.start or got.start >= k.end for k in known)
