"""Getting a more accurate speech model (base.en, small.en) than the built-in tiny.en, or
any model when the built-in one cannot be used: download it with real byte progress and
Cancel, or, when that cannot work (offline), explain and let the person pick a model folder
they copied.

The choice is remembered in the settings the ``starcoach`` command shares
(:mod:`starcoach.speech.settings`); a download goes to the model store, where it is found
by name. ``installed(model)`` says which to load. Nothing shown here is a command line or
an exception's text: the technical detail goes to the log.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop.errors import log
from starcoach.desktop.jobs import start_job
from starcoach.desktop.practice.model import set_model_setting
from starcoach.speech.settings import SettingsStore

UNREACHABLE_TEXT = (
    "Couldn't reach the download server. Check your connection, or copy a model folder "
    "from another computer and choose it in Settings → Speech model."
)
DISK_TEXT = ("The model could not be saved on this computer: the disk may be full, or the "
             "data folder not writable.")
DROPPED_TEXT = "The connection dropped. Download again to carry on from where it stopped."


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def plain_download_problem(exc: BaseException) -> str:
    """A failed download, said for a person (the exception's text stays behind "Copy
    details" and in the log)."""
    text = str(exc)
    if text.startswith("cannot write"):
        return DISK_TEXT
    if "interrupted" in text or text.startswith("got "):
        return DROPPED_TEXT
    return UNREACHABLE_TEXT


class DownloadDialog(QDialog):
    installed = Signal(str)  # model name or folder to load
    progressed = Signal(object, object)  # done bytes, total bytes (from the worker thread)

    def __init__(self, name: str, settings: SettingsStore | None = None, *,
                 choices: tuple[str, ...] = (), endpoint: str | None = None, reason: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.settings = settings
        self.endpoint = endpoint
        self.cancel_event = threading.Event()
        self._active = False
        self.job = None
        self.done_bytes = 0
        self.total_bytes = 0
        self.setWindowTitle("Speech model")
        self.setAccessibleName("Speech model download")
        from starcoach.speech.models import KNOWN_MODELS

        self.choice = QComboBox(self)
        self.choice.setAccessibleName("Model to download")
        for option in dict.fromkeys((*choices, name) if choices else (name,)):
            known = KNOWN_MODELS.get(option)
            size = f", about {_mb(known.approx_bytes)}" if known else ""
            note = f" — {known.note}" if known and known.note else ""
            self.choice.addItem(f"{option}{size}{note}", option)
        self.choice.setCurrentIndex(max(0, self.choice.findData(name)))
        self.choice.setVisible(self.choice.count() > 1)
        self.choice.currentIndexChanged.connect(self._on_choice)
        if reason:
            text = ("StarCoach needs a speech model to hear your answers. A model is "
                    "downloaded once; after that everything stays on this computer.")
        else:
            text = ("StarCoach is using its built-in tiny.en model, which works offline from "
                    "the start. A larger model hears you more accurately. It is downloaded "
                    "once; after that everything stays on this computer.")
        self.message = QLabel(text, self)
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
        self.details_text = ""  # what went wrong, technically: copied, never shown
        self.copy_button = QPushButton("Copy &details", self)
        self.copy_button.setAccessibleName("Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.addButton(self.download_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.copy_button.setVisible(False)  # until something failed
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.download_button.clicked.connect(self.start_download)
        self.folder_button.clicked.connect(self.choose_folder)
        self.cancel_button.clicked.connect(self.cancel)
        self.progressed.connect(self._show_progress)

        layout = QVBoxLayout(self)
        for widget in (self.message, self.detail, self.choice, self.bar, self.status,
                       self.buttons):
            layout.addWidget(widget)
        self.download_button.setDefault(True)

    # -- download -------------------------------------------------------------------------
    def _on_choice(self, _index: int = 0) -> None:
        if not self.downloading:
            self.name = str(self.choice.currentData())
            self.download_button.setText("&Download")
            self.status.setText("")
            self.bar.setVisible(False)

    @property
    def downloading(self) -> bool:
        """From Download until its outcome has been shown (not until the worker thread
        ends, which is earlier: the dialog would say "Cancelling…" while idle)."""
        return self._active

    def start_download(self) -> None:
        from starcoach.speech.model_download import download_model

        if self.downloading:
            return
        self.cancel_event = threading.Event()
        cancel = self.cancel_event
        self._active = True
        self.bar.setVisible(True)
        self.status.setText("Connecting…")
        self.copy_button.setVisible(False)
        self.download_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.choice.setEnabled(False)
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
        self._active = False
        self.bar.setValue(1000)
        self.status.setText("Downloaded. Loading the model…")
        try:
            set_model_setting(self.name, self.settings)
        except OSError as exc:
            log.info("could not remember the model %s: %s", self.name, exc)
        self.installed.emit(self.name)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from starcoach.speech.errors import DownloadCancelled

        self._active = False
        self.download_button.setEnabled(True)
        self.folder_button.setEnabled(True)
        self.choice.setEnabled(True)
        self.cancel_button.setText("Close")
        if isinstance(exc, DownloadCancelled):
            self.status.setText("Download cancelled. What was fetched is kept: Download "
                                "carries on from there.")
            self.download_button.setText("&Resume download")
            return
        log.info("downloading %s failed: %s", self.name, exc)
        self.bar.setVisible(False)
        self.status.setText("")
        self.message.setText(plain_download_problem(exc))
        self.details_text = (f"Downloading the speech model {self.name} failed:\n"
                             f"{type(exc).__name__}: {exc}")
        self.copy_button.setText("Copy &details")
        self.copy_button.setVisible(True)
        self.folder_button.setDefault(True)

    def copy_details(self) -> None:
        """The technical reason of the last failure, to paste into a message for help."""
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(self.details_text)
        self.copy_button.setText("Copied")

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
            log.info("not a model folder: %s", exc)
            self.status.setText("That folder is not a complete speech model (it needs "
                                "model.bin, config.json and tokenizer.json). Choose the "
                                "folder that holds them.")
            return False
        try:
            set_model_setting(str(path), self.settings)
        except OSError as exc:
            log.info("could not remember the model folder %s: %s", path, exc)
        self.installed.emit(str(path))
        self.accept()
        return True
