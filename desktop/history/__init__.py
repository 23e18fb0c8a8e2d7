"""Attempt history: every recorded attempt kept in SQLite with its audio, words and report.

``store`` (the database), ``schema`` (migrations), ``export`` (Markdown/HTML), ``pdf``
(Qt, imported lazily) and ``cli`` (``starcoach history``). Nothing here but ``pdf`` touches
Qt, so the store and the terminal commands run without a display or PySide6 loaded.
"""
