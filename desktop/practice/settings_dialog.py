"""Settings: speech model, input device, CPU threads and theme.

All four are saved in the settings store the ``starcoach`` command reads too
(:mod:`starcoach.speech.settings`).
"""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)
from starcoach.speech.settings import THEMES, SettingsStore

THEME_NAMES = {"system": "Follow system", "light": "Light", "dark": "Dark"}


class SettingsDialog(QDialog):
    def __init__(self, settings: SettingsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")

        self.model = QComboBox(self)
        self.model.setAccessibleName("Speech model")
        self.model_folder = QPushButton("Folder…", self)
        self.model_folder.setAccessibleName("Choose a model folder")
        self.model_folder.clicked.connect(self.choose_model_folder)
        self.device = QComboBox(self)
        self.device.setAccessibleName("Microphone")
        self.threads = QSpinBox(self)
        self.threads.setAccessibleName("CPU threads")
        self.threads.setRange(0, max(1, os.cpu_count() or 1))
        self.threads.setSpecialValueText("Automatic")
        self.theme = QComboBox(self)
        self.theme.setAccessibleName("Theme")
        for theme in THEMES:
            self.theme.addItem(THEME_NAMES[theme], theme)

        current = settings.load()
        self._fill_models(current.model or "")
        self._fill_devices(current.input_device)
        self.threads.setValue(current.threads)
        self.theme.setCurrentIndex(max(0, self.theme.findData(current.theme)))

        row = QHBoxLayout()
        row.addWidget(self.model, 1)
        row.addWidget(self.model_folder)
        form = QFormLayout(self)
        # The model's field is a row (combo + button): QFormLayout only gives a label a buddy
        # for a single widget, and a label without one shows its "&" literally.
        model_label = QLabel("Speech &model:", self)
        model_label.setBuddy(self.model)
        form.addRow(model_label, row)
        form.addRow("&Microphone:", self.device)
        form.addRow("CPU &threads:", self.threads)
        form.addRow("T&heme:", self.theme)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _fill_models(self, current: str) -> None:
        from starcoach.speech import builtin
        from starcoach.speech.models import list_models

        self.model.addItem(f"{builtin.LABEL}, default", "")
        try:
            rows = list_models()
        except OSError:
            rows = []
        for row in rows:
            if row.builtin:
                continue  # the first entry
            state = "installed" if row.installed else "not downloaded"
            self.model.addItem(f"{row.name} ({state})", row.name)
        if current and self.model.findData(current) < 0:
            self.model.addItem(current, current)
        self.model.setCurrentIndex(max(0, self.model.findData(current)))

    def _fill_devices(self, current: str | None) -> None:
        self.device.addItem("System default", "")
        try:
            from starcoach.speech.devices import list_input_devices

            devices = list_input_devices()
        except Exception:  # no audio system at all: the default is all there is
            devices = []
        for d in devices:
            self.device.addItem(d.name + (" (default)" if d.is_default else ""), d.name)
        if current and self.device.findData(current) < 0:
            self.device.addItem(f"{current} (not connected)", current)
        self.device.setCurrentIndex(max(0, self.device.findData(current or "")))

    def choose_model_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a speech model folder")
        if folder:
            if self.model.findData(folder) < 0:
                self.model.addItem(folder, folder)
            self.model.setCurrentIndex(self.model.findData(folder))

    def values(self) -> dict[str, object]:
        """The chosen values, by the store's field names."""
        return {"model": self.model.currentData() or None,
                "input_device": self.device.currentData() or None,
                "threads": self.threads.value(),
                "theme": self.theme.currentData()}

    def save(self) -> dict[str, object]:
        """Write the chosen values; returns those that changed."""
        before = dataclasses.asdict(self.settings.load())
        values = self.values()
        self.settings.update(**values)
        return {name: value for name, value in values.items() if before[name] != value}
