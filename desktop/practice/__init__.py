"""The practice half of the app: record an answer with a live section clock, then review it.

The screen is ``practice.screen.PracticeScreen``; nothing is imported here, so the Qt-free
modules of this package (``cue``, ``faults``) load without Qt.
"""
