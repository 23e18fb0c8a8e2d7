"""PDF export: the HTML report laid out by Qt's ``QTextDocument`` and printed by ``QPdfWriter``.

Qt is imported inside the function, so the store and the terminal commands never load it.
Without a running Qt application one is created on the ``offscreen`` platform (no display
needed).
"""

from __future__ import annotations

from pathlib import Path

from starcoach.desktop.attempts.export import title, to_html
from starcoach.desktop.attempts.store import Attempt
from starcoach.rubric.pack_schema import Catalogue

_app = None  # the offscreen application this module had to create, kept alive


def _ensure_gui() -> None:
    global _app
    from PySide6.QtWidgets import QApplication

    # A full QApplication, not a QGuiApplication: if windows are opened later in the same
    # process (the app, or a test run), widgets need it, and Qt allows one per process.
    if QApplication.instance() is None:
        _app = QApplication(["starcoach", "-platform", "offscreen"])


def write_pdf(attempt: Attempt, path: str | Path, number: int | None = None,
              catalogue: Catalogue | None = None) -> Path:
    """Write the attempt's report to ``path`` as an A4 PDF (``number``: the attempt's place
    among its question's attempts; ``catalogue`` names the question); returns the path."""
    html = to_html(attempt, number, catalogue)
    _ensure_gui()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(out))
    writer.setTitle(f"StarCoach report — {title(attempt, catalogue=catalogue)}")
    writer.setCreator("StarCoach")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    doc.setHtml(html)
    doc.print_(writer)
    del writer  # finishes the file
    return out
