"""The application's state, Qt-free: the question packs (the app's ``PackLibrary``), what
the person chose to practise, the attempt in progress, the answer under review and the
attempt history they all share.

``MainWindow`` owns one ``AppState`` and hands it (or the part a piece needs) to its
screens and controllers, which observe it through :class:`~.signal.Signal`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starcoach.desktop.state.choice import QuestionChoice
from starcoach.desktop.state.practice import PracticeState
from starcoach.desktop.state.review import ReviewState
from starcoach.rubric.pack_schema import Catalogue
from starcoach.rubric.packs import PackLibrary

if TYPE_CHECKING:
    from starcoach.desktop.attempts.store import HistoryStore


class StoreHandle:
    """The attempt history, opened on first use: call it for the store. Raises
    ``HistoryError`` (each time it is called) while the store cannot be opened."""

    def __init__(self, store: HistoryStore | None = None) -> None:
        self._store = store

    def __call__(self) -> HistoryStore:
        if self._store is None:
            from starcoach.desktop.attempts.store import HistoryStore

            self._store = HistoryStore()
        return self._store


class AppState:
    """``library`` is the app's packs (the bundled ones and the person's, see
    ``bank.imports.open_user_library``; none: the bundled packs alone): the one library
    every screen and controller is handed, so no part of the app reads a process-wide
    catalogue. The choice's ``catalogue`` is its catalogue as last (re)loaded."""

    def __init__(self, store: HistoryStore | None = None,
                 library: PackLibrary | None = None) -> None:
        self.library = library if library is not None else PackLibrary()
        self.choice = QuestionChoice(self.library)
        self.practice = PracticeState()
        self.review = ReviewState()
        self.open_store = StoreHandle(store)  # for views that open it when they need it

    @property
    def catalogue(self) -> Catalogue:
        return self.choice.catalogue

    @property
    def store(self) -> HistoryStore:
        """The attempt history (see :class:`StoreHandle`)."""
        return self.open_store()
