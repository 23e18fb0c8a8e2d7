"""Exporting the selected attempt from the history view: the save dialog (remembering the
folder) and the export itself, a problem shown as one plain line. A mixin of
:class:`~starcoach.desktop.history.view.HistoryView`, which holds the selection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from starcoach.desktop.attempts.records import AttemptNotFound, AttemptSummary
from starcoach.rubric.packs import PackLibrary


class ExportChoice:
    """``choose_export`` (asks where) and ``export_to`` (writes); the view provides the
    attributes annotated here."""

    store: Any
    library: PackLibrary
    exported: Any  # the view's Signal(str): the path written
    last_message: QMessageBox | None
    selected: Callable[[], AttemptSummary | None]

    def choose_export(self, fmt: str) -> None:
        s = self.selected()
        if s is None:
            return
        from starcoach.desktop.settings import open_settings

        settings = open_settings()
        start = Path(settings.load().export_dir or Path.home())
        name = f"starcoach-attempt-{s.id}.{fmt}"
        filters = {"pdf": "PDF (*.pdf)", "html": "HTML (*.html)", "md": "Markdown (*.md)",
                   "flac": "FLAC audio (*.flac)"}
        path, _ = QFileDialog.getSaveFileName(self, "Export Attempt", str(start / name),
                                              filters[fmt])
        if path:
            settings.remember(export_dir=str(Path(path).parent))
            self.export_to(s.id, fmt, Path(path))

    def export_to(self, attempt_id: int, fmt: str, path: Path) -> bool:
        """Write the attempt as ``fmt`` to ``path``; a problem becomes one plain line."""
        from starcoach.desktop.attempts.export import ExportError
        from starcoach.desktop.history.exporting import write_export

        try:
            write_export(self.store, attempt_id, fmt, path, self.library.catalogue())
        except (OSError, ExportError, AttemptNotFound) as exc:
            self.last_message = _warn(self, "Could not export", _one_line(exc))
            return False
        self.exported.emit(str(path))
        return True


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"{exc.filename or 'the file'}: {exc.strerror or exc}"
    return str(exc)


def _warn(parent: QWidget, title: str, text: str) -> QMessageBox:
    from starcoach.desktop.errors import message_box

    return message_box(parent, title, text, name="history-error")
