"""First run with no speech model: download it with real byte progress and Cancel, or, when
that cannot work (offline), explain and let the person pick a model folder they copied.

The chosen folder is remembered in settings (``speech/model``); a download goes to the
model store, where it is found by name. ``installed(model)`` says which to load.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop.practice.model import MODEL_KEY
from starcoach.desktop.practice.workers import start_job

OFFLINE_TEXT = (
    "The speech model could not be downloaded. This computer may be offline, or the "
    "download site may be unreachable.\n\nYou can try again later, or copy a model folder "
    "from another computer (for example {name}, downloaded elsewhere) and choose it here."
)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


class DownloadDialog(QDialog):
    installed = Signal(str)  # model name or folder to load
    progressed = Signal(object, object)  # done bytes, total bytes (from the worker thread)

    def __init__(self, name: str, settings, *, endpoint: str | None = None,
                 reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.settings = settings
        self.endpoint = endpoint
        self.cancel_event = threading.Event()
        self.job = None
        self.done_bytes = 0
        self.total_bytes = 0
        self.setWindowTitle("Speech model")
        self.setAccessibleName("Speech model download")
        from starcoach.speech.models import KNOWN_MODELS

        known = KNOWN_MODELS.get(name)
        size = f" (about {_mb(known.approx_bytes)})" if known else ""
        self.message = QLabel(
            f"StarCoach needs a speech model to hear your answers. The {name} model{size} is "
            "downloaded once; after that everything stays on this computer.", self)
        self.message.setWordWrap(True)
        self.detail = QLabel(reason, self)
        self.detail.setWordWrap(True)
        self.detail.setVisible(bool(reason))
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Download progress")
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setVisible(False)
        self.status = QLabel("", self)
        self.status.setAccessibleName("Download status")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.download_button = QPushButton("&Download", self)
        self.download_button.setAccessibleName("Download the speech model")
        self.folder_button = QPushButton("Choose model &folder…", self)
        self.folder_button.setAccessibleName("Choose a model folder")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel")
        self.buttons.addButton(self.download_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.download_button.clicked.connect(self.start_download)
        self.folder_button.clicked.connect(self.choose_folder)
        self.cancel_button.clicked.connect(self.cancel)
        self.progressed.connect(self._show_progress)

        layout = QVBoxLayout(self)
        for widget in (self.message, self.detail, self.bar, self.status, self.buttons):
            layout.addWidget(widget)
        self.download_button.setDefault(True)

    # -- download -------------------------------------------------------------------------
    @property
    def downloading(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start_download(self) -> None:
        from starcoach.speech.models import download_model

        if self.downloading:
            return
        self.cancel_event = threading.Event()
        cancel = self.cancel_event
        self.bar.setVisible(True)
        self.status.setText("Connecting…")
        self.download_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        name, endpoint = self.name, self.endpoint
        self.job = start_job(
            lambda: download_model(name, progress=self.progressed.emit, cancel=cancel,
                                   endpoint=endpoint),
            "download-model", None, self._done, self._failed)

    def _show_progress(self, done: int, total: int) -> None:
        self.done_bytes, self.total_bytes = int(done), int(total)
        if total > 0:
            self.bar.setValue(round(1000 * done / total))
            self.status.setText(f"{_mb(done)} of {_mb(total)}")

    def _done(self, path) -> None:
        self.bar.setValue(1000)
        self.status.setText("Downloaded. Loading the model…")
        self.settings.setValue(MODEL_KEY, self.name)
        self.installed.emit(self.name)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from starcoach.speech.errors import DownloadCancelled

        self.download_button.setEnabled(True)
        self.folder_button.setEnabled(True)
        self.cancel_button.setText("Close")
        if isinstance(exc, DownloadCancelled):
            self.status.setText("Download cancelled. What was fetched is kept: Download "
                                "carries on from there.")
            self.download_button.setText("&Resume download")
            return
        self.bar.setVisible(False)
        self.message.setText(OFFLINE_TEXT.format(name=self.name))
        self.status.setText(f"Details: {exc}")
        self.folder_button.setDefault(True)

    def cancel(self) -> None:
        if self.downloading:
            self.cancel_event.set()
            self.status.setText("Cancelling…")
            return
        self.reject()

    def reject(self) -> None:
        if self.downloading:  # Esc/close while downloading: cancel first, never kill
            self.cancel_event.set()
            self.job.wait()
        super().reject()

    # -- a folder the person copied -------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a speech model folder")
        if folder:
            self.use_folder(folder)

    def use_folder(self, folder: str) -> bool:
        from starcoach.speech.errors import ModelUnavailable
        from starcoach.speech.models import resolve_model

        try:
            path = resolve_model(folder)
        except ModelUnavailable as exc:
            self.status.setText(f"That folder is not a speech model: {exc}")
            return False
        self.settings.setValue(MODEL_KEY, str(path))
        self.installed.emit(str(path))
        self.accept()
        return True
