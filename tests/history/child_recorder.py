"""``python child_recorder.py``: the app's recording path in a process the test will SIGKILL.

Registers an attempt in the user's history store, records the default microphone into its
audio file with speech's Recorder, prints ``recording ID PATH`` and blocks until killed.
"""

from __future__ import annotations

import sys

from starcoach.desktop.attempts.store import HistoryStore
from starcoach.speech.recorder import Recorder


def main() -> None:
    store = HistoryStore()
    new = store.begin_attempt(question="ownership-failure", principle="ownership")
    recorder = Recorder(new.audio_path)
    recorder.start()
    print(f"recording {new.id} {new.audio_path}", flush=True)
    sys.stdin.readline()  # the test never answers: it kills us mid-answer
    recorder.stop()


if __name__ == "__main__":
    main()
