"""Shared helpers for rubric tests: turn plain sentences into timed words."""

from __future__ import annotations

import pytest
from starcoach.rubric.model import Word
from starcoach.rubric.text import estimate_words


def timed(text: str, wpm: float = 150.0) -> list[Word]:
    return estimate_words(text, wpm)


@pytest.fixture
def words_of():
    return timed
