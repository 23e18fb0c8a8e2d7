"""The provisional words on show while the person speaks (``speech/live.py``).

Between commits the newest audio is decoded greedily, one piece at a time. Each piece
starts where the previous one's settled words end; words ending within ``HOLD_S`` of the
piece's end (the live edge) are decoded again with more audio, but the next piece never
starts more than ``MAX_HOLD_S`` back. A committed window replaces the words it covers.
"""

from __future__ import annotations

from collections.abc import Callable

from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE
from starcoach.speech.decode_session import DecodeSession
from starcoach.speech.decoding import HOP, N_FRAMES, Provisional, TimedWord
from starcoach.speech.word_repair import timed_text

FRAMES_PER_S = SAMPLE_RATE // HOP  # timeline frames per second (100)
HOLD_S = 1.0  # display words ending this close to the live edge are decoded again next time
MAX_HOLD_S = 3.0  # ... but the next display piece never starts further back than this
VOICED_MARGIN_S = 0.1  # a display piece stands at Stop if it reaches this far past the speech
END_PAUSE_S = 0.3  # a pause this long may end the answer: the display decodes at once


class DisplayWords:
    """Settled display words after the last commit, and the live tail after them."""

    def __init__(self) -> None:
        self.stable: list[TimedWord] = []
        self.tail: list[TimedWord] = []
        self.cut = 0  # timeline frame where the next display piece starts
        self.shown_end = 0  # timeline frame where the last display piece ended

    def words(self) -> list[Word]:
        """The words on show after the committed ones, in time order."""
        return [w.word for w in (*self.stable, *self.tail)]

    def stable_before(self, frame: int) -> list[TimedWord]:
        """Settled words ending by timeline ``frame``."""
        return [w for w in self.stable if w.tl_end <= frame / FRAMES_PER_S]

    def settle(self, piece: Provisional) -> None:
        """Keep the piece's words that end clear of the live edge; the rest are the tail."""
        end_s = piece.end / FRAMES_PER_S
        limit = end_s - HOLD_S
        n = 0
        while n < len(piece.words) and piece.words[n].tl_end <= limit:
            n += 1
        kept, rest = piece.words[:n], piece.words[n:]
        cut = limit
        if rest:
            cut = max(min(rest[0].tl_start, limit), end_s - MAX_HOLD_S)
        if kept:
            cut = max(cut, kept[-1].tl_end)
        self.stable.extend(kept)
        self.tail = rest
        self.cut = max(self.cut, piece.start, int(cut * FRAMES_PER_S))
        self.shown_end = piece.end

    def committed(self, seek: int) -> None:
        """A window was committed up to timeline frame ``seek``: drop the words it covers."""
        seek_s = seek / FRAMES_PER_S
        self.stable = [w for w in self.stable if w.tl_start >= seek_s]
        self.tail = [w for w in self.tail if w.tl_start >= seek_s]
        self.cut = max(self.cut, seek)

    def next_piece(self, session: DecodeSession) -> tuple[int, int]:
        """Timeline frames ``[start, end)`` a display piece begun now would read: from the
        cut or the last commit, at most one window."""
        start = max(self.cut, session.seek)
        return start, min(session.content_frames, start + N_FRAMES)

    def piece_may_stand(self, session: DecodeSession) -> bool:
        """Whether the speech heard so far ends inside the next display piece: only such
        a piece can hold the last words at Stop."""
        return past_speech_end(session, self.next_piece(session)[1])

    def reaches_speech_end(self, session: DecodeSession) -> bool:
        """Whether the words on show reach past the last audio that may be speech (the
        VAD's), so decoding the rest would only read the silence before Stop."""
        return past_speech_end(session, max(self.shown_end, session.seek))

    def pause_unshown(self, session: DecodeSession) -> bool:
        """Whether the voice stopped ``END_PAUSE_S`` ago, the words on show stop short of
        where it did, and one piece would reach it: perhaps the answer's end, so decode now."""
        tl = session.timeline
        paused = tl.source_duration - tl.voiced_until >= END_PAUSE_S
        return paused and not self.reaches_speech_end(session) and self.piece_may_stand(session)

    def decode_rest(self, session: DecodeSession, start: int,
                    cancel: Callable[[], bool]) -> tuple[list[Word], Provisional]:
        """Settled words before ``start``, then one greedy decode from there to the end
        (at Stop); also the decoded piece."""
        stable = self.stable_before(start)
        piece = session.provisional(
            start, previous_tokens=session.prompt_tokens(timed_text(stable)), cancel=cancel)
        return [w.word for w in (*stable, *piece.words)], piece


def past_speech_end(session: DecodeSession, frame: int) -> bool:
    """Whether timeline ``frame`` lies past the last audio heard so far that may be speech.

    Audio heard later can only move that end further, so a piece that fails this when it
    begins can never be the one that stands at Stop."""
    if frame <= 0:
        return False
    reach = session.timeline.to_source_time(frame / FRAMES_PER_S, is_end=True)
    return session.timeline.voiced_until + VOICED_MARGIN_S <= reach
