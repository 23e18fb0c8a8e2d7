"""Issue 13 in the window: an unusable history, a hostile answer file or a bad pack is one
plain message (never the "Something went wrong" dialog), the history page says why, and the
app goes on. Real Qt (offscreen) over real files."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing

import pytest
from PySide6.QtWidgets import QMessageBox
from starcoach.desktop import errors
from starcoach.desktop.app import MainWindow
from starcoach.desktop.attempts.paths import default_db_path


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


def settle(qtbot, win) -> None:
    """Close the window once the model it started loading on show has answered (a load
    finishing after the window is gone would emit into a deleted object)."""
    qtbot.waitUntil(lambda: not win.practice.loader.loading, timeout=30_000)
    win.close()


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
        from starcoach.desktop.attempts.records import HistoryError

        try:
            win.practice.store  # noqa: B018 - opening it again fails the same way
        except HistoryError as exc:
            shown = win.handle_exception(type(exc), exc, exc.__traceback__)
        assert isinstance(shown, QMessageBox) and shown.windowTitle() == "History unavailable"
        settle(qtbot, win)
    finally:
        if mounted is not None:
            subprocess.run(["umount", str(mounted)], check=False)
            mounted.chmod(0o755)


def test_hostile_answer_files_are_plain_messages_in_the_window(qtbot, data_dir, tmp_path):
    import os

    win = MainWindow()
    qtbot.addWidget(win)
    fifo = tmp_path / "answer.txt"
    os.mkfifo(fifo)  # nobody writes: reading it would hang the window
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5_000 + "]" * 5_000)
    token = tmp_path / "token.txt"
    token.write_text("I fixed it " + "x" * 1_000_000)
    for path, problem in ((fifo, "not a regular file"), (deep, "nested too deeply"),
                          (token, "characters long")):
        assert win.open_answer(path) is False
        box = win.last_message
        assert isinstance(box, QMessageBox) and box.windowTitle() == "Cannot open this answer"
        assert str(path) in box.text() and problem in box.text()
    settle(qtbot, win)


def test_a_pack_with_a_bad_template_is_a_plain_message_in_the_window(qtbot, data_dir,
                                                                      tmp_path):
    from starcoach.desktop.bank.import_dialog import import_pack_file

    path = tmp_path / "mine.toml"
    path.write_text('[pack]\nid = "mine"\n\n[[questions]]\nid = "my-q"\nprinciple = '
                    '"ownership"\ntext = "Tell me about an outage you owned."\n\n'
                    '[questions.suggestions]\nwe_language = "{heard:>20000000}"\n')
    win = MainWindow()
    qtbot.addWidget(win)
    assert import_pack_file(win, path) is None
    box = win.findChild(QMessageBox, "pack-error")
    assert box is not None and str(path) in box.text()
    assert "questions[0].suggestions.we_language" in box.text() and "format specs" in box.text()
    assert not (data_dir / "packs").exists() or not list((data_dir / "packs").iterdir())
    settle(qtbot, win)


def test_damaged_attempts_are_named_above_the_history_list(qtbot, data_dir):
    from starcoach.desktop.attempts.store import HistoryStore
    from starcoach.rubric.analyze import analyze
    from starcoach.rubric.text import estimate_words

    words = estimate_words("I fixed the nightly export and failures fell to zero.")
    report = analyze(words, question="ownership-failure", timing="estimated")
    with HistoryStore() as store:
        ids = [store.begin_attempt(question="ownership-failure").id for _ in range(2)]
        for attempt in ids:
            store.finish_attempt(attempt, words, report)
    with closing(sqlite3.connect(default_db_path())) as db:
        db.execute("UPDATE attempts SET duration_s = 'long' WHERE id = ?", (ids[0],))
        db.commit()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.show_history()
    assert [r.id for r in win.history.model.rows] == [ids[1]]
    note = win.history.damage_note
    assert note.isVisible() and f"attempt {ids[0]}" in note.text() and "duration_s" in note.text()
    assert not isinstance(win.last_dialog, errors.ErrorDialog)
    settle(qtbot, win)
