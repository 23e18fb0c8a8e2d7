"""Where the history lives: ``<data dir>/history/starcoach.sqlite3`` and ``audio/`` beside it."""

from __future__ import annotations

from pathlib import Path

DB_NAME = "starcoach.sqlite3"
AUDIO_DIR = "audio"


def history_dir() -> Path:
    """``<user data folder>/history`` (``STARCOACH_DATA_DIR`` moves the data folder)."""
    from starcoach.speech.settings import data_dir

    return data_dir() / "history"


def default_db_path() -> Path:
    return history_dir() / DB_NAME
