"""Issue 13 in the window: a history that cannot be used is one plain message at start
(never the "Something went wrong" dialog), the history page says why, and the app goes on.
Real Qt (offscreen) over real files."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing

import pytest
from PySide6.QtWidgets import QMessageBox
from starcoach.desktop import errors
from starcoach.desktop.app import MainWindow
from starcoach.desktop.history.paths import default_db_path


def _newer_schema(path):
    path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 99")


def _folder(path):
    path.mkdir(parents=True)


def _dangling_link(path):
    path.parent.mkdir(parents=True)
    path.symlink_to(path.parent / "elsewhere.sqlite3")


def _read_only(path):
    folder = path.parent
    folder.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode != 0:
        folder.chmod(0o555)
        import os

        if os.geteuid() == 0:
            pytest.skip("cannot make a read-only folder here")
    return folder


CASES = {"newer-schema": (_newer_schema, "update StarCoach"),
         "folder": (_folder, "is a folder"),
         "dangling-link": (_dangling_link, "does not exist"),
         "read-only": (_read_only, "read-only")}


@pytest.mark.parametrize("case", list(CASES))
def test_an_unusable_history_is_a_plain_message_in_the_window(qtbot, data_dir, case):
    make, expected = CASES[case]
    path = default_db_path()
    mounted = make(path)
    try:
        win = MainWindow()
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.history_control.problem, timeout=10_000) as problem:
            win.show()
        title, text = problem.args
        assert title == "History unavailable" and expected in text and str(path.parent) in text
        qtbot.waitUntil(lambda: isinstance(win.last_message, QMessageBox))
        assert win.last_message.text() == text
        assert not isinstance(win.last_dialog, errors.ErrorDialog)
        win.show_history()  # the page says why instead of failing
        assert win.history.list_stack.currentWidget() is win.history.empty
        assert expected in win.history.empty.text()
        # anything that still reaches the excepthook is a plain line, not the crash dialog
        from starcoach.desktop.history.records import HistoryError

        try:
            win.practice.store  # noqa: B018 - opening it again fails the same way
        except HistoryError as exc:
            shown = win.handle_exception(type(exc), exc, exc.__traceback__)
        assert isinstance(shown, QMessageBox) and shown.windowTitle() == "History unavailable"
        win.close()
    finally:
        if mounted is not None:
            subprocess.run(["umount", str(mounted)], check=False)
            mounted.chmod(0o755)
