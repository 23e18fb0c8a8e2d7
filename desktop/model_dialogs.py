"""The main window's speech model and settings: offering a model to download when none can
be used, the Settings dialog (which may load another model), and lending the loaded model
to work outside the practice screen (``shell.SpeechModel``: transcribing a kept recording,
hearing a follow-up reply). A mixin of ``MainWindow``, whose practice screen loads it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QStatusBar
    from starcoach.desktop.practice.screen import PracticeScreen
    from starcoach.desktop.settings import SettingsStore


class SpeechModelDialogs:
    settings: SettingsStore
    practice: PracticeScreen
    last_dialog: Any

    if TYPE_CHECKING:
        def show_problem(self, title: str, text: str, details: str = "") -> QMessageBox: ...

        def set_theme(self, theme: str) -> None: ...

        def statusBar(self) -> QStatusBar: ...  # QMainWindow's

    def offer_model(self, reason: str = "") -> None:
        """Offer base.en / small.en for download (with ``reason``, plain words: why no model
        can be used now), or a model folder the person copied."""
        from starcoach.desktop.practice.download import DownloadDialog
        from starcoach.desktop.practice.model import model_setting
        from starcoach.speech.models import UPGRADES

        wanted = model_setting(self.settings)
        index = UPGRADES.index(wanted) + 1 if wanted in UPGRADES else 0
        name = UPGRADES[min(index, len(UPGRADES) - 1)]
        dialog = DownloadDialog(name, self.settings, choices=UPGRADES, reason=reason,
                                parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.installed.connect(lambda _model: self._reload_model())
        self.last_dialog = dialog
        dialog.open()

    def _on_model_banner(self) -> None:
        practice = self.practice
        reason = practice.model_problem if practice.transcriber is None else ""
        if practice.loader.loading:
            reason = ""
        self.offer_model(reason)

    def _reload_model(self) -> None:
        if not self.practice.recording:
            self.practice.load_model()

    @property
    def model_name(self) -> str | None:
        """The loaded speech model's name (``shell.SpeechModel``)."""
        return self.practice.model_name

    def ready_transcriber(self) -> Any:
        """The loaded speech model for work outside the practice screen (transcribing a kept
        recording, hearing a follow-up reply); ``None`` after saying why: still loading, or
        none installed (then the download is offered)."""
        practice = self.practice
        if practice.transcriber is None:
            if practice.loader.loading:
                self.show_problem("Speech model loading",
                                  "The speech model is still loading; try again in a moment.")
            else:
                self.offer_model(practice.model_problem)
        return practice.transcriber

    def open_settings_dialog(self) -> None:
        from starcoach.desktop.practice.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog

        def accepted() -> None:
            changed = dialog.save()
            if "theme" in changed:
                self.set_theme(str(changed["theme"]))
            if ("model" in changed or "threads" in changed) and not self.practice.recording:
                self.practice.load_model()
            if "input_device" in changed:
                self.statusBar().showMessage("The new microphone is used from the next "
                                             "answer.", 5000)

        dialog.accepted.connect(accepted)
        dialog.open()
