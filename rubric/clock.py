"""Durations as a person reads them (``m:ss``), one rule everywhere: the live cue, the review,
the history, the text report and the exports all show the same second for the same time.

The rule: whole seconds, rounded to the nearest with halves up, never below zero. A running
clock rounds too, so it agrees with the review of the same moment (47.6 s is 0:48 on the
cue and in the report).
"""

from __future__ import annotations

import math


def whole_seconds(seconds: float) -> int:
    """``47.5`` → ``48``; ``-2`` → ``0``."""
    return max(0, math.floor(seconds + 0.5))


def clock(seconds: float | None, missing: str = "0:00") -> str:
    """``83.4`` → ``"1:23"``; ``None`` → ``missing``."""
    if seconds is None:
        return missing
    total = whole_seconds(seconds)
    return f"{total // 60}:{total % 60:02d}"
