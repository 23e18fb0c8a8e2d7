"""Errors a person sees: known input faults as one plain line, anything unexpected as a
friendly dialog with "Copy details", and every unexpected error written to the log file."""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop.settings import log_dir

log = logging.getLogger("starcoach")
LOG_NAME = "starcoach.log"


def setup_logging() -> Path:
    """Log to ``<user log folder>/starcoach.log`` (rotated); returns the file's path."""
    path = log_dir() / LOG_NAME
    for handler in log.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    for handler in list(log.handlers):  # a previous folder (tests move it)
        if isinstance(handler, RotatingFileHandler):
            log.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return path


def is_known(exc: BaseException) -> bool:
    """Faults with a message written for people: bad answer files, bad packs, and a
    history that cannot be used (a newer schema, a folder in the file's place, …)."""
    from starcoach.desktop.attempts.records import HistoryError
    from starcoach.rubric.inputs import InputError
    from starcoach.rubric.pack_schema import PackError

    return isinstance(exc, InputError | PackError | HistoryError)


def known_title(exc: BaseException) -> str:
    """The dialog title for a known fault."""
    from starcoach.desktop.attempts.records import HistoryError
    from starcoach.rubric.pack_schema import PackError

    if isinstance(exc, HistoryError):
        return "History unavailable"
    if isinstance(exc, PackError):
        return "Cannot use this question pack"
    return "Cannot open this answer"


class MessageBox(QMessageBox):
    """A message box whose optional "Copy details" button copies the technical details
    (an exception's text, a path) without closing it: the window shows plain words only."""

    details_text = ""
    copy_button: QPushButton | None = None

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text)
        if self.copy_button is not None:
            self.copy_button.setText("Copied")

    def done(self, result: int) -> None:
        if self.copy_button is not None and self.clickedButton() is self.copy_button:
            return  # copying is not an answer: the box stays open
        super().done(result)


def message_box(parent: QWidget | None, title: str, text: str, *, name: str = "",
                details: str = "", icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
                show: bool = True) -> MessageBox:
    """The one way the app tells a person something (mostly that it could not be done):
    ``text`` in plain words (shown as plain text, never markup), ``details`` behind "Copy
    details", window-modal and non-blocking, deleted on close; the line is logged. Boxes
    that ask a question (with their own buttons) build on :class:`MessageBox`."""
    box = MessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title)
    if name:
        box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if details:
        box.details_text = details
        box.copy_button = box.addButton("&Copy details", QMessageBox.ButtonRole.ActionRole)
        box.copy_button.setAccessibleName("Copy details")
        box.copy_button.clicked.connect(box.copy_details)
    log.info("%s: %s%s", title, text, f" ({details})" if details and details != text else "")
    if show:
        box.open()
    return box


def show_known_error(parent: QWidget | None, exc: BaseException,
                     title: str | None = None) -> QMessageBox:
    """The fault's first line, no traceback; its full text behind "Copy details"."""
    from starcoach.rubric.safety import one_line

    title = title or known_title(exc)
    full = str(exc).strip()
    text = one_line((full.splitlines() or [type(exc).__name__])[0])
    return message_box(parent, title, text, details=f"{type(exc).__name__}: {full}")


class ErrorDialog(QDialog):
    """"Something went wrong" with the details one click away and copyable."""

    def __init__(self, details: str, log_path: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("StarCoach hit a problem")
        self.setAccessibleName("Error")
        self.details_text = details
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        where = (f"The details were saved to <a href='{log_path.as_uri()}'>{log_path}</a>."
                 if log_path else "")
        message = QLabel(
            "<p><b>Something went wrong, sorry.</b></p>"
            "<p>Your answers are safe. You can carry on, or copy the details below and "
            f"send them to us so we can fix it. {where}</p>", self)
        message.setWordWrap(True)
        message.setOpenExternalLinks(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.details = QPlainTextEdit(details, self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        self.details.setVisible(False)
        fixed = QGuiApplication.font()
        fixed.setFamilies(["monospace"])
        fixed.setStyleHint(fixed.StyleHint.Monospace)
        self.details.setFont(fixed)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.toggle_button = QPushButton("Show &details", self)
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self._toggle)
        self.copy_button = QPushButton("&Copy details", self)
        self.copy_button.setAccessibleName("Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        top = QVBoxLayout(self)
        row = QVBoxLayout()
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignLeft)
        row.addWidget(message)
        top.addLayout(row)
        top.addWidget(self.details, 1)
        top.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text)
        self.copy_button.setText("Copied")

    def _toggle(self, on: bool) -> None:
        self.details.setVisible(on)
        self.toggle_button.setText("Hide &details" if on else "Show &details")
        self.adjustSize()


def report_unexpected(exc_type: type[BaseException], exc: BaseException,
                      tb: TracebackType | None, parent: QWidget | None = None) -> ErrorDialog:
    """Log the traceback and show the friendly dialog (non-blocking)."""
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        log_path: Path | None = setup_logging()
        log.error("Unexpected error\n%s", details.rstrip())
        for handler in log.handlers:
            handler.flush()
    except OSError:
        log_path = None
    dialog = ErrorDialog(details, log_path, parent)
    dialog.open()
    return dialog


def handle_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None, parent: QWidget | None = None):
    """Route any exception to the right presentation; returns the dialog shown."""
    if is_known(exc):
        return show_known_error(parent, exc)
    return report_unexpected(exc_type, exc, tb, parent)


def install_excepthook(parent_getter) -> None:
    """Send uncaught exceptions (including those raised in Qt slots) to ``handle_exception``."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        try:
            handle_exception(exc_type, exc, tb, parent_getter())
        except Exception:  # the error path itself failed: fall back to stderr
            previous(exc_type, exc, tb)

    sys.excepthook = hook
