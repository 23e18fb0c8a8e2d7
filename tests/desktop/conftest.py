"""Desktop tests run headless, with settings and logs in a per-test folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported anywhere

import pytest
from PySide6.QtCore import QStandardPaths
from starcoach.rubric.analyze import analyze
from starcoach.rubric.text import estimate_words

QStandardPaths.setTestModeEnabled(True)  # never the user's own folders

WEAK_ANSWER = (
    "So um last year I was on the payments team and we had this big outage where like a "
    "lot of checkouts were failing for about two hours, and it was kind of a mess, and "
    "there were a lot of people involved and we had many meetings about the whole thing "
    "over several weeks. My manager asked me to look into it and figure out what happened. "
    "We looked at the logs and we found that a config change had broken the retry logic. "
    "I escalated it to the platform team and sent them a message, and then they fixed it "
    "eventually. In the end things got a lot better and the team was happy. "
    "What I learned is that communication is really important."
)


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    path = tmp_path / "config"
    monkeypatch.setenv("STARCOACH_CONFIG_DIR", str(path))
    return path


@pytest.fixture
def weak_report():
    return analyze(estimate_words(WEAK_ANSWER), principle="ownership")


@pytest.fixture
def review(qtbot, weak_report):
    from starcoach.desktop.review import ReviewScreen

    screen = ReviewScreen()
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.set_report(weak_report, question_text="Describe a time you took ownership.")
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def finding_index(report, rule: str) -> int:
    return next(k for k, f in enumerate(report.findings) if f.rule == rule)
