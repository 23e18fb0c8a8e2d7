"""A background job started without a failure handler still tells the person."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from starcoach.desktop.errors import ErrorDialog, MessageBox
from starcoach.desktop.jobs import start_job
from starcoach.rubric.inputs import InputError


def _raise(exc: BaseException):
    raise exc


@pytest.mark.parametrize(("exc", "kind", "shown"), [
    # unexpected: the error dialog, the details behind it
    (RuntimeError("disk on fire"), ErrorDialog, lambda d: "disk on fire" in d.details_text),
    # known: one plain line
    (InputError("that file is not an answer"), MessageBox,
     lambda b: b.text() == "that file is not an answer"),
])
def test_a_failure_nobody_handles_takes_the_default_path(qtbot, exc, kind, shown):
    parent = QWidget()
    qtbot.addWidget(parent)
    job = start_job(lambda: _raise(exc), "doomed", parent)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass

    def visible():
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(visible()), timeout=5_000)
    dialog = visible()[-1]
    assert shown(dialog)
    dialog.close()
