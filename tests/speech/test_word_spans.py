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


def _said(text: str) -> list[Word]:
    return [Word(t, i * 0.3, i * 0.3 + 0.25) for i, t in enumerate(text.split())]


@pytest.mark.parametrize(("written", "kept"), [
    # tiny.en looping at the end of a recording: the phrase once, the copies gone
    ("and roll it out, turn it on, turn it on, turn it on, turn it on, turn it",
     "and roll it out, turn it on,"),
    ("so we we we we we went", "so we went"),
    ("a b a b a b c", "a b c"),
    # the copy kept ends where the phrase does, and what follows the loop is kept
    ("switch it on, turn it on, turn it on, turn it on.", "switch it on, turn it on,"),
    ("I told you, thank you, thank you, thank you.", "I told you, thank you,"),
    ("and then, and then, and then, and we shipped it.", "and then, and we shipped it."),
    ("we need to, we need to, we need to, we need a plan", "we need to, we need a plan"),
    # what people say twice or three times stays, and fillers are placed elsewhere
    ("um, um, um, um, so", "um, um, um, um, so"),
    ("no, no, no, I said", "no, no, no, I said"),
    ("and then and then we", "and then and then we"),
    ("it was very very good", "it was very very good"),
])
def test_a_decoding_loop_is_written_once_and_real_repetition_stays(written, kept):
    from starcoach.speech.word_repair import drop_loops

    words = _said(written)
    got = drop_loops(words)
    assert " ".join(w.text for w in got) == kept
    assert all(w in words for w in got)  # the first time keeps its own span


def test_a_loop_does_not_swallow_what_is_not_a_word():
    from starcoach.speech.word_repair import drop_loops

    words = _said("um um um um")
    words[1] = Word("…", words[1].start, words[1].end, "unrecognised")
    assert drop_loops(words) == words


def test_every_transcript_is_tidied_of_loops_the_live_and_quick_ones_too():
    from starcoach.speech.word_repair import tidy_words

    words = _said("and roll it out, turn it on, turn it on, turn it on, turn it")
    assert " ".join(w.text for w in tidy_words(words, 60.0)) == "and roll it out, turn it on,"
