"""The tools that train and evaluate the rubric stay out of the running app.

``rubric.training``, ``evaluate``, ``corpus``, ``evidence_training`` and ``evidence_corpus``
read the bundled corpora and fit models: the app and the CLI only ever load what they
produced. A fresh interpreter imports the app's entry modules, opens the window offscreen
and analyses an answer; none of those modules may have been imported. (The import-linter
contract "The running app never imports the training tools" checks the same statically.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

TOOLS = ("starcoach.rubric.training", "starcoach.rubric.evaluate", "starcoach.rubric.corpus",
         "starcoach.rubric.evidence_training", "starcoach.rubric.evidence_corpus")

PROBE = """
import json, sys
import starcoach.desktop.cli
import starcoach.desktop.app
from PySide6.QtWidgets import QApplication
from starcoach.desktop.app import MainWindow
from starcoach.rubric.analyze import analyze
from starcoach.rubric.text import estimate_words

app = QApplication([])
window = MainWindow(loader=lambda _m, _t: None)
analyze(estimate_words("I fixed the nightly export and failures fell from five to zero."),
        question="ownership-failure")
window.close()
print(json.dumps(sorted(m for m in sys.modules if m.startswith("starcoach."))))
"""


def test_the_app_never_imports_the_training_tools(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STARCOACH_DATA_DIR=str(tmp_path / "d"),
               STARCOACH_CONFIG_DIR=str(tmp_path / "c"))
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "starcoach.desktop.app" in loaded and "starcoach.rubric.analyze" in loaded
    assert loaded.isdisjoint(TOOLS), sorted(loaded.intersection(TOOLS))
