"""Decoder calls that can be walked away from: a cancelled transcription stops within a poll,
not at the end of a Whisper decoder call (one call of tiny.en's beam search over a full
window took up to 2.3 s on a slow two-core laptop; quitting or deleting waited for it).

CTranslate2 cannot abort a generation, but it can run one asynchronously.
:class:`InterruptibleWhisper` stands in for faster-whisper's CTranslate2 model and, while an
:func:`aborting` predicate is set on the calling thread, runs each ``generate`` that way and
asks the predicate every :data:`POLL_S` until the result is in. When it turns true the call
raises :class:`DecodeCancelled` at once and the generation is *left running*: its arguments
and handle are kept in :data:`_abandoned` so nothing it reads is freed under it, and
:func:`wait_abandoned` (also run at exit: the interpreter must not be torn down under a
model call) waits for what is left. The model's one replica runs calls in order, so a
later call simply queues behind the abandoned one; two never compete for the cores.

Only predicates without side effects belong here (they are asked many times a call): the
job's or session's "cancelled" flag, never a progress-counting step callback.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from starcoach.speech.decoding import DecodeCancelled

POLL_S = 0.005
EXIT_WAIT_S = 30.0

Abort = Callable[[], bool] | None

_local = threading.local()
_lock = threading.Lock()
_abandoned: list[tuple[list[Any], tuple[Any, ...]]] = []  # (async results, their arguments)
_in_flight = 0  # generations dispatched here whose caller is still waiting for them


@contextlib.contextmanager
def aborting(abort: Abort) -> Iterator[None]:
    """While inside, decoder calls on this thread end early once ``abort()`` is true.
    ``None`` keeps whatever an outer block set."""
    outer = getattr(_local, "abort", None)
    _local.abort = abort if abort is not None else outer
    try:
        yield
    finally:
        _local.abort = outer


class InterruptibleWhisper:
    """A ``ctranslate2.models.Whisper`` whose ``generate`` honours :func:`aborting`; every
    other attribute is the model's own."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def generate(self, features: Any, prompts: Any, **kwargs: Any) -> Any:
        abort = getattr(_local, "abort", None)
        if abort is None:
            return self._model.generate(features, prompts, **kwargs)
        if abort():
            raise DecodeCancelled
        global _in_flight
        pending = self._model.generate(features, prompts, asynchronous=True, **kwargs)
        with _lock:
            _in_flight += 1
        try:
            while not all(r.done() for r in pending):
                if abort():
                    with _lock:  # those finished since are let go (each holds a window)
                        _abandoned[:] = [e for e in _abandoned if not _done(e[0])]
                        _abandoned.append((pending, (features, prompts)))
                    raise DecodeCancelled
                time.sleep(POLL_S)
        finally:
            with _lock:
                _in_flight -= 1
        return [r.result() for r in pending]


def _done(results: list[Any]) -> bool:
    return all(r.done() for r in results)


def wait_abandoned(timeout_s: float = EXIT_WAIT_S) -> int:
    """Wait (at most ``timeout_s`` in all) for abandoned generations to finish; returns how
    many were still running when asked."""
    deadline = time.monotonic() + timeout_s
    with _lock:
        running = [entry for entry in _abandoned if not _done(entry[0])]
    for results, _ in running:
        for r in results:
            while not r.done() and time.monotonic() < deadline:
                time.sleep(POLL_S)
    with _lock:
        _abandoned[:] = [e for e in _abandoned if not _done(e[0])]
    return len(running)


def in_flight() -> int:
    """How many generations dispatched here are being waited for now (any thread)."""
    with _lock:
        return _in_flight


def held() -> int:
    """How many abandoned generations are still referenced, finished or not (one that has
    finished is let go at the next abandonment or :func:`wait_abandoned`)."""
    with _lock:
        return len(_abandoned)


atexit.register(wait_abandoned)
