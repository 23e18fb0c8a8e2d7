"""Attempt records, Qt-free: every recorded attempt kept in SQLite with its audio, words and
report, and what reads them back.

``store`` (the database; re-judging in ``rejudge``), ``schema`` (migrations), ``opening``,
``corrupt`` and ``liveness`` (opening it safely, across processes), ``records`` and ``rows``
(what a row holds), ``paths``, ``audio`` and ``recovered`` (recordings on disk), ``export``
(Markdown/HTML), ``progress`` (trends across attempts) and ``numbering``. Nothing here
imports Qt (one import-linter contract covers the whole folder), so the store and the
``starcoach history`` commands run without a display or PySide6 loaded; the Qt views over it
are in ``desktop.history``.
"""
