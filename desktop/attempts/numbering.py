"""An attempt's number as a person counts it: its place among the attempts of the same
question that still exist, oldest first ("Attempt 2"), not its database id. Deleted attempts
leave no gap: after deleting the first of three, the others are 1 and 2. Qt-free."""

from __future__ import annotations

from typing import Any

from starcoach.desktop.attempts.records import AttemptSummary


def attempt_number(store: Any, summary: AttemptSummary) -> int:
    """1 for the oldest existing attempt at ``summary``'s question (or, for an answer to no
    particular question, its principle's such answers)."""
    if summary.question:
        rows = store.list(question=summary.question)
    else:
        rows = [r for r in store.list(principle=summary.principle) if not r.question
                and r.principle == summary.principle]
    ordered = sorted(rows, key=lambda r: (r.started_at or "", r.id))
    ids = [r.id for r in ordered]
    return ids.index(summary.id) + 1 if summary.id in ids else len(ids) + 1
