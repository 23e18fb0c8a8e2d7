"""Interviewer follow-up drills after a main answer."""

from starcoach.desktop.drill.screen import DrillScreen

__all__ = ["DrillScreen"]
