"""A Qt-free signal: the application state tells its views what changed without knowing
them (or Qt). ``connect`` a callable, ``emit`` calls each connected one in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Slot = Callable[..., Any]


class Signal:
    """Callables connected to this signal, called in the order they connected on every
    ``emit(*args)``. A slot connected or disconnected during an emit takes effect on the
    next one."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: list[Slot] = []

    def connect(self, slot: Slot) -> Slot:
        """Call ``slot`` on every emit from now on (returned, so it can be a decorator)."""
        self._slots.append(slot)
        return slot

    def disconnect(self, slot: Slot) -> None:
        """Stop calling ``slot`` (its first connection; ``ValueError`` if never connected)."""
        self._slots.remove(slot)

    def emit(self, *args: Any) -> None:
        for slot in tuple(self._slots):
            slot(*args)

    def __len__(self) -> int:
        return len(self._slots)
