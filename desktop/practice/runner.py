"""One queue for every transcription, so that two never compete for the cores.

Live decoding (which runs on into the quick review and the exact pass), re-transcribing a
kept recording and hearing a follow-up reply are each a :class:`TranscriptionJob` that
belongs to an attempt. :class:`TranscriptionRunner` runs them one at a time, oldest first,
on a single worker thread; a new practice started while an exact pass runs waits for it
(its audio is recorded and queued meanwhile, so nothing is lost and no words change).

Cancelling is cooperative: ``cancel()`` sets the job's flag, which its work reads between
model calls and, polled, within a decoder call (``job.is_cancelled`` is the ``cancel=``
callable the speech layer takes; :mod:`starcoach.speech.interrupt`), and
calls the job's ``on_cancel`` hook. A job cancelled before its turn never runs. Work is
dropped when its attempt is deleted (``cancel_attempt``) and when the app quits
(``shutdown``: cancel everything, wait a moment, never for a long decode, so the window goes
at once). The worker is a daemon thread, but the interpreter must not be torn down under a
model call (CTranslate2 crashes the process then): at exit every runner is cancelled and
the call under way, already told to stop, is waited for (decoder calls walked away from are
waited for by :mod:`starcoach.speech.interrupt`'s own exit hook, which runs after this one).
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import CancelledError
from typing import Any

from PySide6.QtCore import QObject, Signal
from starcoach.desktop.errors import log
from starcoach.desktop.practice.waiting import JobProgress
from starcoach.speech.transcribe import DecodeCancelled

Work = Callable[["TranscriptionJob"], Any]


class TranscriptionJob(QObject):
    """One transcription owned by ``attempt_id`` (``None``: nothing stored, e.g. a reply to
    an answer opened from a file). Signals arrive on the GUI thread."""

    started = Signal()
    progress = Signal(object)  # JobProgress
    done = Signal(object)  # what the work returned
    failed = Signal(object)  # the exception
    cancelled = Signal()
    ended = Signal(str)  # "done", "failed" or "cancelled", after the signal of that name

    def __init__(self, kind: str, attempt_id: int | None, work: Work, *,
                 on_cancel: Callable[[], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.attempt_id = attempt_id
        self.work = work
        self.on_cancel = on_cancel
        self.state = "queued"  # queued, running, done, failed, cancelled
        self.last: JobProgress | None = None
        self.runner: TranscriptionRunner | None = None
        self._cancel = threading.Event()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop at its next check (any thread; idempotent)."""
        if self._cancel.is_set():
            return
        self._cancel.set()
        if self.on_cancel is not None:
            try:
                self.on_cancel()
            except Exception:  # the flag is set either way
                log.exception("cancelling a %s job", self.kind)

    def report(self, stage: str, fraction: float, done_s: float = 0.0,
               total_s: float = 0.0) -> None:
        """From the work: how far it has got (``fraction`` is clamped to never go back)."""
        previous = self.last.fraction if self.last is not None and self.last.stage == stage \
            else 0.0
        value = JobProgress(stage, min(1.0, max(previous, fraction)), done_s, total_s)
        self.last = value
        _emit(self.progress, value)
        if self.runner is not None:
            _emit(self.runner.jobProgress, self, value)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "cancelled")


class TranscriptionRunner(QObject):
    """Runs queued jobs one at a time; ``running``/``max_running`` count them (tests)."""

    jobStarted = Signal(object)  # TranscriptionJob
    jobProgress = Signal(object, object)  # TranscriptionJob, JobProgress
    jobEnded = Signal(object, str)  # TranscriptionJob, "done"/"failed"/"cancelled"
    idle = Signal()  # nothing running or queued

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: collections.deque[TranscriptionJob] = collections.deque()
        self._cond = threading.Condition()
        self._current: TranscriptionJob | None = None
        self._thread: threading.Thread | None = None
        self.running = 0
        self.max_running = 0
        _runners.add(self)

    # -- GUI thread ----------------------------------------------------------------------------
    def submit(self, job: TranscriptionJob) -> TranscriptionJob:
        """Queue ``job``; it runs when every job before it has ended."""
        job.runner = self
        with self._cond:
            self._queue.append(job)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="transcription",
                                                daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return job

    def jobs(self, attempt_id: int | None = None) -> list[TranscriptionJob]:
        """The running job then the queued ones (of ``attempt_id`` only, if given)."""
        with self._cond:
            jobs = ([self._current] if self._current is not None else []) + list(self._queue)
        return [j for j in jobs if attempt_id is None or j.attempt_id == attempt_id]

    @property
    def busy(self) -> bool:
        return bool(self.jobs())

    def cancel_attempt(self, attempt_id: int) -> list[TranscriptionJob]:
        """Cancel every job of the attempt (it is being deleted); returns them."""
        jobs = self.jobs(attempt_id)
        for job in jobs:
            job.cancel()
        return jobs

    def cancel_all(self) -> None:
        for job in self.jobs():
            job.cancel()

    def wait_idle(self, timeout_s: float) -> bool:
        """Block until nothing runs or is queued, at most ``timeout_s``; True if idle."""
        with self._cond:
            return self._cond.wait_for(lambda: self._current is None and not self._queue,
                                       timeout_s)

    def shutdown(self, timeout_s: float = 1.0) -> bool:
        """Cancel everything and give the running job ``timeout_s`` to reach its next check
        (the app is quitting: recordings are on disk already). True if it stopped."""
        self.cancel_all()
        stopped = self.wait_idle(timeout_s)
        if not stopped:
            log.info("quitting while a transcription finishes its current model call")
        return stopped

    # -- worker thread -------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                job = self._current = self._queue.popleft()
                self.running += 1
                self.max_running = max(self.max_running, self.running)
            try:
                self._run(job)
            finally:
                with self._cond:
                    self.running -= 1
                    empty = not self._queue
                if empty:
                    _emit(self.idle)
                with self._cond:  # idle only once nothing more is emitted (exit is safe)
                    self._current = None
                    self._cond.notify_all()

    def _run(self, job: TranscriptionJob) -> None:
        if job.is_cancelled():
            self._end(job, "cancelled")
            return
        job.state = "running"
        _emit(job.started)
        _emit(self.jobStarted, job)
        try:
            result = job.work(job)
        except (DecodeCancelled, CancelledError):
            self._end(job, "cancelled")
        except BaseException as exc:  # handed to the GUI thread, which decides
            if job.is_cancelled():
                self._end(job, "cancelled")
            else:
                self._end(job, "failed", exc)
        else:
            if job.is_cancelled():  # finished as it was cancelled: the result is dropped
                self._end(job, "cancelled")
            else:
                self._end(job, "done", result)

    def _end(self, job: TranscriptionJob, state: str, value: Any = None) -> None:
        job.state = state
        if state == "done":
            _emit(job.done, value)
        elif state == "failed":
            _emit(job.failed, value)
        else:
            _emit(job.cancelled)
        _emit(job.ended, state)
        _emit(self.jobEnded, job, state)


def _emit(signal: Any, *args: Any) -> None:
    """Emit from the worker; a receiver torn down while the app quits is not an error."""
    with contextlib.suppress(RuntimeError):
        signal.emit(*args)


_shared: TranscriptionRunner | None = None
_runners: weakref.WeakSet[TranscriptionRunner] = weakref.WeakSet()
EXIT_WAIT_S = 30.0  # at exit: one model call at most, once cancelled


@atexit.register
def _stop_at_exit() -> None:
    for runner in list(_runners):
        with contextlib.suppress(RuntimeError):
            runner.cancel_all()
            runner.wait_idle(EXIT_WAIT_S)


def shared_runner() -> TranscriptionRunner:
    """The process's one runner (every screen's transcriptions share its queue)."""
    global _shared
    if _shared is None:
        _shared = TranscriptionRunner()
    return _shared
