"""The app's background jobs: one QThread per job, results back as signals.

``start_job(fn, parent)`` runs ``fn()`` on its own ``QThread`` through a ``QObject`` worker;
``done(result)`` or ``failed(exception)`` arrive on the GUI thread. Threads always run to
the end (never ``QThread.terminate()``): long jobs take a cancel event instead, and
``wait_all`` lets the window wait for them when it closes. Nothing here knows about any
screen, so importing it loads no more than Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget
from starcoach.desktop.errors import handle_exception


class _Worker(QObject):
    done = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the GUI thread, which decides
            self.failed.emit(exc)
        else:
            self.done.emit(result)
        finally:
            self.finished.emit()


class Job(QObject):
    """One background job; ``done``/``failed`` are delivered on the thread that made it."""

    done = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, fn: Callable[[], Any], name: str = "job",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.worker = _Worker(fn)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.done.connect(self.done)
        self.worker.failed.connect(self.failed)
        # quit() is thread-safe: called directly, so wait() from the GUI thread never
        # deadlocks on a queued quit
        self.worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.thread.finished.connect(self._finished)
        _running.add(self)

    def start(self) -> Job:
        self.thread.start()
        return self

    def wait(self, ms: int = 30_000) -> bool:
        return self.thread.wait(ms)

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def _finished(self) -> None:
        _running.discard(self)
        self.finished.emit()


_running: set[Job] = set()


def start_job(fn: Callable[[], Any], name: str = "job", parent: QObject | None = None,
              done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException], None] | None = None) -> Job:
    """Run ``fn`` in the background. ``done(result)`` and ``failed(exc)`` arrive on the GUI
    thread; without ``failed``, a failure takes the app's default path (as Anki's
    background operations do): a known fault as one plain line, anything else as the
    error dialog with its details logged. Never silently lost."""
    job = Job(fn, name, parent)
    if done is not None:
        job.done.connect(done)
    job.failed.connect(failed if failed is not None else _default_failure(parent))
    return job.start()


def _default_failure(parent: QObject | None) -> Callable[[BaseException], None]:
    def failed(exc: BaseException) -> None:
        handle_exception(type(exc), exc, exc.__traceback__,
                         parent if isinstance(parent, QWidget) else None)

    return failed


def wait_all(ms: int = 30_000) -> None:
    """Let every job still running finish (used when the window closes)."""
    for job in list(_running):
        job.wait(ms)
