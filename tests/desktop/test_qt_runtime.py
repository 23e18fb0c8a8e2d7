"""The installed Qt binding must not leak references to None on void calls.

PySide6 6.12.0 under CPython 3.11 drops one reference to None per call of a method that
returns nothing, and the interpreter aborts after a few thousand calls; pyproject.toml
excludes that release. This guards against any binding with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor


def test_void_qt_calls_keep_none_alive():
    color = QColor()
    before = sys.getrefcount(None)
    for _ in range(2_000):
        color.setRed(1)
    assert abs(sys.getrefcount(None) - before) < 50
