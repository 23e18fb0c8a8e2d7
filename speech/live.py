"""Live transcription while the person speaks, and a transcript in two stages at Stop.

Audio blocks are pushed (from the recorder's ``on_audio``) into a queue; one worker thread
feeds them to a :class:`~.decode_session.DecodeSession` and, while the person speaks:

- commits each 30 s window as soon as all its audio is in: the very windows a batch pass
  decodes (same seams, prompts, beam search and fallback). A window's spectrogram floor is
  8 below the loudest frame heard when it is decoded (a batch pass's: the whole file's), so
  every ``REFLOOR_EVERY_S`` the worker redoes windows a louder moment has made stale,
  their words on show meanwhile; at Stop only a louder moment in the last stretch does;
- between commits, decodes the newest audio greedily for the display, one piece at a time
  (:class:`~.live_display.DisplayWords`). After each display decode the worker idles as
  long as it took, so display decodes never queue up and commits never fall behind.

``stop()`` then gives the answer's transcript in two stages:

1. **first** (returned by ``stop()`` and published as a ``complete`` update): committed words,
   settled display words, and one greedy decode of only the audio after them (a few
   seconds; at most one window), with fillers of the uncommitted stretch: bounded work.
   After ``stop_pressed()`` (the recorder's tail still coming) the worker decodes all it
   has heard once the VAD says the speech ended in it; those words then stand. From the
   press, commits wait for the final pass (once one piece can cover the rest) and a
   decode in flight gives way at its next model call unless it is such a piece.
2. **final** (``LiveResult.final``, a future, also published with ``final=True``): the
   remaining windows decoded exactly as a batch pass would, gaps decoded again and labelled
   as batch does: equal to a batch pass over the same audio; it replaces the first one.

Nothing pushed before ``stop()`` is dropped: the worker feeds every queued block first.
``on_progress`` follows both stages after Stop (:class:`LiveProgress`), and with
``own_thread=False`` the caller runs the worker (``run()``) on a thread it schedules.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future

import numpy as np
from starcoach.rubric.model import Word
from starcoach.speech.audio import SAMPLE_RATE, StreamResampler
from starcoach.speech.decoding import N_FRAMES, DecodeCancelled, Transcript
from starcoach.speech.interrupt import aborting
from starcoach.speech.live_display import FRAMES_PER_S, DisplayWords
from starcoach.speech.live_fillers import FillerTrail
from starcoach.speech.live_records import (
    FIRST_STEPS,
    MAIN_SHARE,
    LiveProgress,
    LiveResult,
    LiveStats,
    LiveUpdate,
)
from starcoach.speech.transcribe import Transcriber
from starcoach.speech.word_repair import (
    add_written_fillers,
    leading_entries,
    tidy_words,
    timed_text,
)

REFLOOR_EVERY_S = 5.0  # while speaking, windows read too low a floor are redone this often

_STOP = object()
_WAKE = object()  # Stop was pressed: look again at what to decode before the tail arrives


class LiveTranscriber:
    """Incremental transcription of one answer on a worker thread.

    ``on_update(update)`` is called from the worker thread after each display decode or
    commit, then once with the first complete transcript and once with the final one; a GUI
    should hand it to its own thread. ``input_rate`` is the sample rate of pushed blocks.
    Display decodes run at most every ``update_every_s`` seconds of new audio, each then
    followed by an idle ``display_gap`` times as long as it took.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        *,
        on_update: Callable[[LiveUpdate], None] | None = None,
        input_rate: int = SAMPLE_RATE,
        update_every_s: float = 1.0,
        display_gap: float = 1.0,
        provisional: bool = True,
        on_progress: Callable[[LiveProgress], None] | None = None,
        own_thread: bool = True,
    ) -> None:
        self.transcriber = transcriber
        self.on_update = on_update
        self.update_every_s = update_every_s
        self.display_gap = display_gap
        self.provisional_enabled = provisional
        self.on_progress = on_progress
        self.own_thread = own_thread
        self._ran = False  # run() began (or was refused because cancel() came first)
        self.stats = LiveStats()
        self.latest = LiveUpdate([], 0, 0.0)
        self._resampler = StreamResampler(input_rate)
        self._queue: queue.Queue[object] = queue.Queue()
        self._session = transcriber.session()
        self._thread: threading.Thread | None = None
        self._push_lock = threading.Lock()
        self._stopping = threading.Event()  # stop() called: abandon decodes for the display
        self._cancelled = threading.Event()  # cancel() called: abandon everything
        self._first_ready = threading.Event()
        self._first: Transcript | None = None
        self._error: BaseException | None = None
        self._final: Future[Transcript] = Future()
        self._shown = DisplayWords()
        self._pressed = threading.Event()  # stop_pressed(): the recording's tail is coming
        self._display_heard = 0.0  # audio received when the last display decode began
        self._refloored_at = 0.0  # audio received when stale windows were last looked for
        self._display_next = 0.0  # monotonic time before which no display decode starts
        self._fillers = FillerTrail(self._session.options.filler_options)  # of committed windows

    # -- public API ---------------------------------------------------------------------
    def start(self) -> LiveTranscriber:
        """Start the worker thread (a no-op with ``own_thread=False``: call ``run()``)."""
        if self._thread is None and self.own_thread:
            self._thread = threading.Thread(target=self.run, name="live-transcriber", daemon=True)
            self._thread.start()
        return self

    def push(self, block: np.ndarray) -> None:
        """Queue audio (any thread). Never blocks and never drops a block."""
        with self._push_lock:
            if self._stopping.is_set():
                raise RuntimeError("audio pushed after stop()")
            self._queue.put(np.array(block, dtype=np.float32, copy=True).reshape(-1))

    def stop_pressed(self) -> None:
        """Stop was pressed; the recording's last blocks and ``stop()`` follow (any thread).

        The worker decodes everything heard at once, while the recorder takes its tail, so
        that at ``stop()`` a person who had finished speaking needs no decode at all.
        """
        with self._push_lock:
            if not self._stopping.is_set() and not self._pressed.is_set():
                self._pressed.set()
                self._queue.put(_WAKE)

    def stop(self, timeout: float | None = None) -> LiveResult:
        """End of speech. Returns as soon as the first complete transcript is ready (its
        work is bounded, independent of the answer's length); ``result.final`` resolves
        to the exact words, equal to a batch pass, shortly after."""
        self.start()
        with self._push_lock:
            if not self._stopping.is_set():
                self._queue.put(_STOP)
                self._stopping.set()
        if not self._first_ready.wait(timeout):
            raise TimeoutError("live transcription did not finish in time")
        if self._error is not None:
            raise self._error
        assert self._first is not None
        return LiveResult(self._first, self._final)

    def cancel(self) -> None:
        """Abandon the answer: the worker stops at its next model call; no final words.
        A worker that never ran will not run, and ``stop()`` raises ``CancelledError``."""
        self._cancelled.set()
        self._final.cancel()
        with self._push_lock:
            if not self._stopping.is_set():
                self._queue.put(_STOP)
                self._stopping.set()
            if not self._ran:
                self._ran = True
                self._error = CancelledError("live transcription was cancelled")
                self._first_ready.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    # -- worker -------------------------------------------------------------------------
    def run(self) -> None:
        """The worker, on the calling thread (with ``own_thread=False``); returns once the
        exact words are in, or at once if ``cancel()`` came first."""
        with self._push_lock:
            if self._ran:
                return
            self._ran = True
        with aborting(self._cancelled.is_set):  # cancelled: a decoder call stops mid-call
            self._run()

    def _run(self) -> None:
        session = self._session
        try:
            self._while_speaking()
            session.feed(self._resampler.flush())
            session.finish(rewind=False)  # the first transcript reads the words as they are
            self._first = self._first_transcript()
            self._first_ready.set()
            session.rewind_stale()
            windows = session.windows_decoded
            cancel = self._cancelled.is_set
            session.run(cancel, self._final_progress)
            self.stats.final_windows = session.windows_decoded - windows
            duration = session.timeline.source_duration
            self._progress("final", MAIN_SHARE, duration, duration)
            words = session.final_words(cancel)
            if cancel():
                raise DecodeCancelled
            final = Transcript(words, duration)
            self._progress("final", 1.0, duration, duration)
            self._emit(LiveUpdate(words, len(words), final.duration, True, True))
            if self._final.set_running_or_notify_cancel():
                self._final.set_result(final)
        except DecodeCancelled:
            if not self._first_ready.is_set():
                self._error = CancelledError("live transcription was cancelled")
            self._final.cancel()
        except BaseException as exc:
            if not self._first_ready.is_set():
                self._error = exc
            if self._final.set_running_or_notify_cancel():
                self._final.set_exception(exc)
        finally:
            self._first_ready.set()

    def _while_speaking(self) -> None:
        """Commit windows and decode for the display until Stop (returns then)."""
        session = self._session
        while True:
            if self._take(block=False):
                return
            try:
                self._refloor()
                if session.pending() and not self._commit_gives_way():
                    heard = session.timeline.source_duration
                    session.step(cancel=self._commit_gives_way)
                    self._committed()
                    # shown words are as fresh as this window or the last display piece
                    fresh = session.timeline.to_source_time(session.seek / FRAMES_PER_S, True)
                    if session.words:
                        fresh = max(fresh, session.words[-1].end)
                    self._publish(max(self._display_heard, min(fresh, heard)))
                    continue
                wait = self._display_wait()
                if wait == 0.0:
                    self._display()
                    continue
            except DecodeCancelled:
                self.stats.abandoned_decodes += 1
                if not self._stopping.is_set():
                    continue  # Stop pressed: on to the piece the quick review needs
                while not self._take(block=True):
                    pass
                return
            if self._take(block=True, timeout=wait):
                return

    def _commit_gives_way(self) -> bool:
        """Commits stop at ``stop()``, and at the press once one piece can cover the rest."""
        covers_rest = self._shown.next_piece(self._session)[1] == self._session.content_frames
        return self._stopping.is_set() or (self._pressed.is_set() and covers_rest)

    def _refloor(self) -> None:
        """Every ``REFLOOR_EVERY_S`` of new audio: redo windows a louder moment made stale."""
        heard = self._session.timeline.source_duration
        if heard - self._refloored_at >= REFLOOR_EVERY_S:
            self._refloored_at = heard
            self.stats.redecoded_windows += self._session.rewind_stale()

    def _take(self, block: bool, timeout: float | None = None) -> bool:
        """Feed queued blocks to the session; True once the Stop marker has been reached."""
        try:
            item = self._queue.get(block=block, timeout=timeout)
        except queue.Empty:
            return False
        while True:
            if item is _STOP:
                return True
            if item is not _WAKE:
                self._session.feed(self._resampler.push(item))  # type: ignore[arg-type]
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return False

    # -- display ------------------------------------------------------------------------
    def _display_wait(self) -> float | None:
        """0 if a display decode is due now, seconds until it is, None until more audio."""
        if not self.provisional_enabled:
            return None
        session = self._session
        grown = session.content_frames > self._shown.shown_end
        if self._pressed.is_set():  # only a piece in which the speech ended can stand
            return 0.0 if grown and self._shown.piece_may_stand(session) else None
        heard = session.timeline.source_duration
        if heard <= self._display_heard:
            return None
        if grown and self._shown.pause_unshown(session):
            return 0.0  # a pause, perhaps the last: have its words ready before Stop
        if heard - self._display_heard < self.update_every_s:
            return None
        # a pause (nothing new on the speech timeline): no decode, only the time heard
        return max(0.0, self._display_next - time.monotonic()) if grown else 0.0

    def _display(self) -> None:
        session = self._session
        began = time.monotonic()
        heard = session.timeline.source_duration
        start, _ = self._shown.next_piece(session)
        may_stand = self._shown.piece_may_stand(session)

        def give_way() -> bool:  # at Stop, unless the speech had ended in this piece
            return (self._stopping.is_set() or self._pressed.is_set()) and not may_stand

        if start >= session.content_frames:  # every word heard is settled or committed
            self._shown.shown_end = session.content_frames
        elif session.content_frames > self._shown.shown_end:
            piece = session.provisional(
                start,
                previous_tokens=session.prompt_tokens(timed_text(self._shown.stable)),
                cancel=give_way,
            )
            self.stats.display_decodes += 1
            self._shown.settle(piece)
        self._display_heard = heard
        self.stats.displayed_s = heard
        now = time.monotonic()
        self._display_next = now + (now - began) * self.display_gap
        self._publish(heard)

    def _committed(self) -> None:
        """A window was committed: drop display words it covers, find its fillers."""
        session = self._session
        self.stats.committed_windows += 1
        self._shown.committed(session.seek)
        if session.options.fillers:
            upto = session.timeline.to_source_time(session.seek / FRAMES_PER_S, is_end=True)
            written = add_written_fillers(session.words, session.fillers)
            self._fillers.extend(session.timeline.source, written, upto)

    def _publish(self, heard: float) -> None:
        duration = self._session.timeline.source_duration
        committed = tidy_words(self._session.words_so_far(), duration)
        provisional = self._shown.words()
        words = tidy_words([*committed, *provisional], duration)
        self._emit(LiveUpdate(words, len(committed), heard))

    def _progress(self, stage: str, fraction: float, done_s: float, total_s: float) -> None:
        if self.on_progress is not None:
            self.on_progress(LiveProgress(stage, fraction, done_s, total_s))

    def _final_progress(self, done_s: float, total_s: float) -> None:
        share = MAIN_SHARE * done_s / total_s if total_s > 0 else 0.0
        self._progress("final", share, done_s, total_s)

    def _emit(self, update: LiveUpdate) -> None:
        self.latest = update
        if self.on_update is not None:
            self.on_update(update)

    # -- after Stop ---------------------------------------------------------------------
    def _first_transcript(self) -> Transcript:
        """Committed + settled words + one greedy decode of the rest (at most one window),
        or, when the speech ended inside the last display piece, that piece's words."""
        session = self._session
        duration = session.timeline.source_duration
        start = max(self._shown.next_piece(session)[0], session.content_frames - N_FRAMES)
        tail_s = max(0, min(session.content_frames - start, N_FRAMES)) / FRAMES_PER_S
        if self._shown.reaches_speech_end(session):
            self.stats.stop_reused += 1
            provisional = self._shown.words()
        else:
            provisional = self._decode_rest(start, tail_s)
        so_far = tidy_words(session.words_so_far(), duration)
        words = tidy_words([*so_far, *provisional], duration)
        if session.options.fillers:
            words = add_written_fillers(words, tidy_words(session.fillers, duration))
            words = self._fillers.merged(session.timeline.source, words, duration)
        committed = leading_entries(words, len(so_far))
        self._progress("first", 1.0, tail_s, tail_s)
        self._emit(LiveUpdate(words, committed, duration, complete=True))
        return Transcript(words, duration)

    def _decode_rest(self, start: int, tail_s: float) -> list[Word]:
        """Settled words before ``start``, then one greedy decode from there to the end."""
        steps = 0

        def step() -> bool:  # between model calls: cancelled? and one step further
            nonlocal steps
            self._progress("first", steps / FIRST_STEPS, tail_s * steps / FIRST_STEPS, tail_s)
            steps += 1
            return self._cancelled.is_set()

        words, piece = self._shown.decode_rest(self._session, start, step)
        steps = FIRST_STEPS - 1
        step()
        if piece.end > piece.start:
            self.stats.stop_decodes += 1
            self.stats.stop_decoded_s += (piece.end - piece.start) / FRAMES_PER_S
        return words
