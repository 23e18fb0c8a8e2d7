"""The practice half of the app: record an answer with a live section clock, then review it."""

from starcoach.desktop.practice.screen import PracticeScreen

__all__ = ["PracticeScreen"]
