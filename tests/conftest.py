"""Every test keeps StarCoach's settings and data in its own folders, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_settings_and_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings file (config folder) and the data folder of this test alone; folders'
    own conftests may move them again."""
    monkeypatch.setenv("STARCOACH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(tmp_path / "data"))
