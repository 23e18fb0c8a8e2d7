"""Re-judging stored attempts: how often each rule fired per question, and ``reanalyse``,
which runs the current rubric over stored words and marks (nothing is transcribed again).
A mixin of :class:`~starcoach.desktop.attempts.store.HistoryStore`; no Qt here."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from starcoach.desktop.attempts.records import Attempt, AttemptDamaged, Reanalysed
from starcoach.desktop.attempts.rows import json_column
from starcoach.rubric.model import Report
from starcoach.rubric.pack_schema import Catalogue
from starcoach.rubric.serial import findings_from_json


class Rejudging:
    """``rule_failures`` and ``reanalyse`` over the store's attempts; the store provides the
    methods annotated here."""

    _read: Callable[..., list[sqlite3.Row]]
    get: Callable[[int], Attempt]
    finish_attempt: Callable[..., Any]

    def rule_failures(self) -> dict[str, Counter]:
        """How often each rule fired, per question, over the analysed attempts."""
        out: dict[str, Counter] = {}
        for row in self._read("SELECT question, report_json FROM attempts "
                              "WHERE question IS NOT NULL AND report_json IS NOT NULL"):
            try:
                report = json_column(row, "report_json", None)
            except ValueError:
                continue
            if (not isinstance(report, dict) or not isinstance(report.get("findings"), list)
                    or not isinstance(row["question"], str)):
                continue
            counts = out.setdefault(row["question"], Counter())
            counts.update(f.rule for f in findings_from_json(report, lenient=True))
        return out

    def reanalyse(self, attempt_ids: int | Iterable[int] | None = None,
                  analyzer: Callable[..., Report] | None = None,
                  catalogue: Catalogue | None = None) -> list[Reanalysed]:
        """Re-judge attempts from their stored words and marks (``None``: every attempt that
        has words) with the current rubric of ``catalogue`` (none: the bundled packs; a
        question from a pack it lacks is not re-judged); nothing is transcribed again."""
        if analyzer is None:
            from starcoach.rubric.analyze import analyze as analyzer
        if attempt_ids is None:
            ids = [int(r["id"]) for r in self._read(
                "SELECT id FROM attempts WHERE words_json IS NOT NULL ORDER BY id")]
        elif isinstance(attempt_ids, int):
            ids = [attempt_ids]
        else:
            ids = [int(i) for i in attempt_ids]
        out = []
        for attempt_id in ids:
            try:
                attempt = self.get(attempt_id)
            except AttemptDamaged as exc:
                out.append(Reanalysed(attempt_id, None, None, f"damaged: {exc}"))
                continue
            s = attempt.summary
            if not attempt.words:
                out.append(Reanalysed(attempt_id, s.rubric_version, None,
                                      "no transcript stored (transcribe it first)"))
                continue
            timing = (attempt.report or {}).get("timing") or "words"
            try:
                report = analyzer(attempt.words, question=s.question, principle=s.principle,
                                  level=s.level, lens=s.lens, timing=timing,
                                  duration_s=s.duration_s or None, marks=attempt.marks,
                                  catalogue=catalogue)
            except (KeyError, ValueError, IndexError, TypeError) as exc:
                reason = exc.args[0] if exc.args else exc
                out.append(Reanalysed(attempt_id, s.rubric_version, None, str(reason)))
                continue
            self.finish_attempt(attempt_id, attempt.words, report, attempt.marks,
                                duration_s=s.duration_s)
            out.append(Reanalysed(attempt_id, s.rubric_version, report.rubric_version))
        return out
