"""The review screen for one answer's ``Report``: transcript, findings, timeline, metrics."""

from starcoach.desktop.review.screen import ReviewScreen

__all__ = ["ReviewScreen"]
