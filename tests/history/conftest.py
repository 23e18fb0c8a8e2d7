"""History tests: a real SQLite store in a per-test data folder, and a sample report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from starcoach.rubric.analyze import analyze
from starcoach.rubric.text import estimate_words

ANSWER = (
    "Last year our checkout service failed every night during the batch import. "
    "It was not my team's system and nobody asked me to look at it. "
    "I decided to own the fix because customers were losing orders. "
    "I traced the failure to a lock held by the import job, I rewrote the job to commit in "
    "small batches and I added an alarm. "
    "Failures dropped from five a week to zero, saving about forty hours a month. "
    "I learned to measure the cost of a problem before choosing a fix."
)
HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(data))
    monkeypatch.setenv("STARCOACH_CONFIG_DIR", str(tmp_path / "config"))
    return data


@pytest.fixture
def store(data_dir: Path):
    from starcoach.desktop.attempts.store import HistoryStore

    s = HistoryStore()
    yield s
    s.close()


@pytest.fixture(scope="session")
def words():
    return estimate_words(ANSWER)


@pytest.fixture(scope="session")
def report(words):
    return analyze(words, question="ownership-failure", timing="estimated")


def speech_conftest():
    """tests/speech/conftest.py as a module (its FakeMic and espeak-ng helpers)."""
    name = "_speech_conftest_for_history"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, HERE.parent / "speech" / "conftest.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
