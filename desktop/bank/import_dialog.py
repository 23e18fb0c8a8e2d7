"""Importing a person's own question pack from the app, and saying which packs were skipped.

``PackImporter`` opens a file dialog for ``*.toml`` with ``open()`` (never blocking) and
imports the chosen file; ``import_pack_file`` imports a known path. A pack that cannot be
used is refused in a message box whose text is the one line
``"<file>: <field>: <problem>"`` (object name ``pack-error``); nothing is copied then. An
imported pack joins the library of the chooser given (the window's), which then shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from starcoach.desktop.bank.imports import import_pack, open_user_library
from starcoach.desktop.errors import message_box
from starcoach.rubric.pack_schema import Catalogue, PackError

PACK_FILTER = "Question packs (*.toml)"


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         name: str) -> QMessageBox:
    return message_box(parent, title, text, name=name, icon=icon)


def show_pack_error(parent: QWidget | None, error: PackError | str) -> QMessageBox:
    """The one-line problem, in a window-modal box that does not block."""
    text = (str(error).strip().splitlines() or ["This pack cannot be used."])[0]
    return _box(parent, QMessageBox.Icon.Warning, "Cannot import this pack", text,
                "pack-error")


def show_pack_problems(parent: QWidget | None, problems: list[str]) -> QMessageBox | None:
    """At start: the imported packs that were skipped (one line each), or nothing."""
    if not problems:
        return None
    lead = ("One of your question packs could not be loaded and was left out:"
            if len(problems) == 1 else
            "Some of your question packs could not be loaded and were left out:")
    text = lead + "\n\n" + "\n".join(problems) + ("\n\nFix the file and import it again, "
                                                 "or remove it from the packs folder.")
    return _box(parent, QMessageBox.Icon.Warning, "Question packs left out", text,
                "pack-problems")


def imported_question_ids(path: Path, cat: Catalogue) -> list[str]:
    """The ids of the questions in ``cat`` that came from the pack at ``path``."""
    return [q.id for q in cat.questions.values() if cat.packs.get(q.pack) == str(path)]


def import_pack_file(parent: QWidget | None, path: Path | str,
                     chooser=None) -> Path | None:
    """Import ``path``; on success ``chooser`` (a ``QuestionChooser``), when given, includes
    it in its library and shows the pack's first question, and the copy's path is returned.
    On failure the ``pack-error`` box opens; ``None``."""
    dest, _box_or_ids = _import(parent, path, chooser)
    return dest


def _import(parent: QWidget | None, path: Path | str,
            chooser) -> tuple[Path | None, QMessageBox | list[str]]:
    library = chooser.library if chooser is not None else None
    try:
        dest = import_pack(path, library)
    except PackError as exc:
        return None, show_pack_error(parent, exc)
    if library is None:  # nobody shows it now: the next start's library will hold it
        library = open_user_library()[0]
    ids = imported_question_ids(dest, library.catalogue())
    if chooser is not None:
        chooser.reload_catalogue(ids[0] if ids else None)
    return dest, ids


def import_pack_interactively(parent: QWidget | None, chooser=None) -> Path | None:
    """Ask for a ``.toml`` file (a blocking file dialog), then ``import_pack_file``."""
    name, _ = QFileDialog.getOpenFileName(parent, "Import question pack", "", PACK_FILTER)
    return import_pack_file(parent, name, chooser) if name else None


class PackImporter(QObject):
    """Non-blocking import: ``start()`` opens the file dialog; ``imported(path, ids)``
    fires after a successful import, ``failed(message)`` after a refused one."""

    imported = Signal(str, list)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, chooser=None,
                 native: bool = True) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.chooser = chooser
        self.native = native
        self.dialog: QFileDialog | None = None
        self.last_box: QMessageBox | None = None

    def start(self) -> QFileDialog:
        dialog = QFileDialog(self.parent_widget, "Import question pack", "", PACK_FILTER)
        dialog.setObjectName("pack-file-dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        if not self.native:
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.import_file)
        self.dialog = dialog
        dialog.open()
        return dialog

    def import_file(self, path: str) -> Path | None:
        dest, outcome = _import(self.parent_widget, path, self.chooser)
        if dest is None:
            assert isinstance(outcome, QMessageBox)
            self.last_box = outcome
            self.failed.emit(outcome.text())
            return None
        self.imported.emit(str(dest), list(outcome))
        return dest
