"""What the controllers may ask of the main window, and nothing more: switching screens
(``Pages``) and the loaded speech model (``SpeechModel``). ``MainWindow`` implements both;
a controller is handed the window typed as one of these, never the window itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


class Pages(Protocol):
    """The window's screens, one shown at a time."""

    def show_questions(self) -> None: ...

    def show_practice(self) -> None: ...

    def show_review(self) -> None: ...

    def show_history(self, attempt_id: int | None = None) -> None: ...

    def show_page(self, page: QWidget) -> None:
        """Show ``page`` (a screen the window holds, e.g. the follow-up drill)."""


class SpeechModel(Protocol):
    """The speech model the practice screen loaded, for work outside it."""

    @property
    def model_name(self) -> str | None: ...

    def ready_transcriber(self) -> Any:
        """The loaded model, or ``None`` after saying why there is none yet."""
