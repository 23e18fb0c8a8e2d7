"""``python child_writer.py DB REPORT.json TAG N``: one of several processes writing at once.

Prints ``ready`` once imported, waits for a line on stdin (the start gate), then opens the
store (racing the other writers through creation and migration) and records N attempts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from starcoach.desktop.attempts.store import HistoryStore


def main(db: str, report_path: str, tag: str, n: int) -> None:
    report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    print("ready", flush=True)
    sys.stdin.readline()
    store = HistoryStore(db)
    for i in range(n):
        new = store.begin_attempt(question=f"q-{tag}", principle="ownership")
        store.finish_attempt(new.id, report["words"], report, marks=[(0, "situation")])
        store.set_notes(new.id, f"{tag} {i}")
        store.list(question=f"q-{tag}", limit=5)
    store.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
