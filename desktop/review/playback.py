"""The playback bar of the review: play/pause, a seek slider, speed, and "play this section".

Audio goes through :class:`speech.playback.Player` (PortAudio; QtMultimedia is not part of
PySide6-Essentials). While playing, a timer reads the player's position every
``TICK_MS`` and ``positionChanged(seconds)`` lets the transcript highlight the word being
heard. Nothing here blocks: opening the device and decoding happen when play is pressed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)
from starcoach.desktop import wording
from starcoach.rubric.clock import clock

TICK_MS = 30
SPEEDS = (0.75, 1.0, 1.25, 1.5)


class PlaybackBar(QWidget):
    positionChanged = Signal(float)  # seconds into the recording
    stateChanged = Signal(bool)  # playing
    problem = Signal(str)  # one line: the audio could not be played
    _finished = Signal()  # from the audio thread

    def __init__(self, parent: QWidget | None = None, *, player_factory: Any = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Playback")
        self._factory = player_factory
        self.player: Any = None
        self.path: Path | None = None
        self.sections: list[tuple[str, float, float]] = []
        self._loaded = False
        self._dragging = False
        self._duration = 0.0

        self.play_button = QToolButton(self)
        self.play_button.setAccessibleName("Play or pause the recording")
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setAccessibleName("Position in the recording")
        self.slider.setSingleStep(1000)
        self.slider.setPageStep(5000)
        self.slider.sliderPressed.connect(lambda: setattr(self, "_dragging", True))
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.slider.actionTriggered.connect(self._on_slider_action)
        self.time = QLabel("0:00 / 0:00", self)
        self.time.setAccessibleName("Playback time")
        self.speed = QComboBox(self)
        self.speed.setAccessibleName("Playback speed")
        self.speed.setToolTip("Slower or faster, at the same pitch")
        for value in SPEEDS:
            self.speed.addItem(f"{value:g}×", value)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(self._on_speed)
        self.section_button = QPushButton("Play &section", self)
        self.section_button.setAccessibleName("Play a section")
        self.section_button.setToolTip("Hear one STAR section on its own")
        self.section_menu = QMenu(self.section_button)
        self.section_button.setMenu(self.section_menu)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time)
        row.addWidget(self.speed)
        row.addWidget(self.section_button)

        self.toggle_action = QAction("Play / Pause Recording", self)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+Space"))
        self.toggle_action.triggered.connect(self.toggle)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._show_state(False)
        self.set_audio(None)
        self.set_sections([])

    # ----------------------------------------------------------------- public API
    def set_audio(self, path: Path | None, duration: float = 0.0) -> None:
        """The recording to play (``None``: no recording, the bar hides)."""
        self.stop()
        self.path = Path(path) if path is not None else None
        self._loaded = False
        self.setVisible(self.path is not None)
        self.slider.setRange(0, int(duration * 1000))
        self.slider.setValue(0)
        self._duration = duration
        self._show_time(0.0)

    def set_sections(self, sections: list[tuple[str, float, float]]) -> None:
        """The (label, start, end) sections "Play section" offers."""
        self.sections = list(sections)
        self.section_menu.clear()
        for label, start, end in self.sections:
            action = self.section_menu.addAction(
                f"{wording.section_name(label)}  {clock(start)}–{clock(end)}")
            action.setObjectName(f"play-{label}")
            action.triggered.connect(lambda _=False, s=start, e=end: self.play(s, e))
        self.section_button.setEnabled(bool(self.sections))

    @property
    def playing(self) -> bool:
        return self.player is not None and bool(self.player.playing)

    def position(self) -> float:
        return float(self.player.position) if self.player is not None else 0.0

    def play(self, start: float | None = None, end: float | None = None) -> bool:
        """Play from ``start`` (default: where it stands) up to ``end`` (default: the end)."""
        if self.path is None or not self._ensure_player():
            return False
        try:
            self.player.set_speed(float(self.speed.currentData()))
            self.player.play(start, end)
        except Exception as exc:  # DeviceError/AudioError: one line for the person
            self.problem.emit(str(exc))
            return False
        self.timer.start()
        self._show_state(True)
        self._tick()
        return True

    def pause(self) -> None:
        if self.player is not None:
            self.player.pause()
        self.timer.stop()
        self._show_state(False)
        self._tick()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        if self.path is None or not self._ensure_player():
            return
        self.player.seek(max(0.0, seconds))
        self._tick()

    def stop(self) -> None:
        """Stop and release the device (another screen is shown, the window closes)."""
        self.timer.stop()
        if self.player is not None:
            self.player.close()
            self.player = None
        self._loaded = False
        self._show_state(False)

    # ----------------------------------------------------------------- internals
    def _ensure_player(self) -> bool:
        if self.player is not None and self._loaded:
            return True
        try:
            if self.player is None:
                factory = self._factory
                if factory is None:
                    from starcoach.speech.playback import Player as factory
                self.player = factory(on_finished=self._finished.emit,
                                      on_error=lambda exc: self.problem.emit(str(exc)))
            self._duration = float(self.player.load(self.path))
        except Exception as exc:  # AudioError (corrupt, empty, missing): one line
            self.problem.emit(str(exc))
            if self.player is not None:
                self.player.close()
                self.player = None
            return False
        self._loaded = True
        self.slider.setRange(0, int(self._duration * 1000))
        return True

    def _tick(self) -> None:
        seconds = self.position()
        if not self._dragging:
            self.slider.blockSignals(True)
            self.slider.setValue(int(seconds * 1000))
            self.slider.blockSignals(False)
        self._show_time(seconds)
        self.positionChanged.emit(seconds)

    def _on_finished(self) -> None:
        self.timer.stop()
        self._tick()  # the final position first, then "stopped"
        self._show_state(False)

    def _on_slider_released(self) -> None:
        self._dragging = False
        self.seek(self.slider.value() / 1000)

    def _on_slider_action(self, _action: int) -> None:
        if not self._dragging:  # keys and page clicks: go there at once
            QTimer.singleShot(0, lambda: self.seek(self.slider.value() / 1000))

    def _on_speed(self, _index: int) -> None:
        if self.player is not None:
            self.player.set_speed(float(self.speed.currentData()))

    def _show_state(self, playing: bool) -> None:
        icon = (QStyle.StandardPixmap.SP_MediaPause if playing
                else QStyle.StandardPixmap.SP_MediaPlay)
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setToolTip(("Pause" if playing else "Play the recording")
                                    + " (Ctrl+Space)")
        self.stateChanged.emit(playing)

    def _show_time(self, seconds: float) -> None:
        self.time.setText(f"{clock(seconds)} / {clock(self._duration)}")

    def hideEvent(self, event) -> None:
        if self.playing:
            self.pause()
        super().hideEvent(event)
