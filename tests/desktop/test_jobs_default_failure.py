"""A background job started without a failure handler still tells the person."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget
from starcoach.desktop.errors import ErrorDialog, MessageBox
from starcoach.desktop.jobs import start_job
from starcoach.rubric.inputs import InputError


def _boom(exc: BaseException):
    def fn():
        raise exc
    return fn


def _shown(kind):
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_an_unexpected_failure_opens_the_error_dialog(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    job = start_job(_boom(RuntimeError("disk on fire")), "doomed", parent)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: bool(_shown(ErrorDialog)), timeout=5_000)
    dialog = _shown(ErrorDialog)[-1]
    assert "disk on fire" in dialog.details_text
    dialog.close()


def test_a_known_fault_is_one_plain_line(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    job = start_job(_boom(InputError("that file is not an answer")), "doomed", parent)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: bool(_shown(MessageBox)), timeout=5_000)
    box = _shown(MessageBox)[-1]
    assert box.text() == "that file is not an answer"
    box.close()
