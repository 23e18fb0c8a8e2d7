"""Progress on one question across attempts, as plain data (no Qt).

Turns a question's stored attempts into one :class:`ProgressPoint` per analysed attempt
(seconds spent in each STAR section against its target, finding count, overall score,
verdict) and compares the last two reports in :func:`since_last_time` (findings gone, new,
still there; sections that moved over or back within their target). Attempts without a
report yet (recovered, not transcribed) are left out and counted, never a crash. Everything
here reads the stored reports leniently (``serial.report_from_json(..., lenient=True)``), so
an old or damaged report degrades to zeros rather than an exception. The chart and the
panel only draw what this module computes, and the wording for screen readers lives here
too so it is testable without a display.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starcoach.desktop import wording
from starcoach.desktop.attempts.records import Attempt
from starcoach.rubric.model import SECTION_LABELS, Report
from starcoach.rubric.serial import report_from_json

if TYPE_CHECKING:
    from starcoach.desktop.attempts.store import HistoryStore
    from starcoach.rubric.pack_schema import Catalogue

ANSWER = "answer"  # the whole-answer key in a question's targets


def section_name(label: str) -> str:
    """A section label (or ``"answer"``, the whole answer) as a person reads it."""
    return wording.section_name(None if label == ANSWER else label)


def _catalogue(catalogue: Catalogue | None) -> Catalogue:
    if catalogue is not None:
        return catalogue
    from starcoach.rubric.packs import builtin_catalogue

    return builtin_catalogue()


def question_targets(question_id: str | None,
                     catalogue: Catalogue | None = None) -> dict[str, float]:
    """Section (and whole-answer) targets in seconds for a question; the packs' defaults
    when the question is unknown or none is named."""
    cat = _catalogue(catalogue)
    question = cat.questions.get(question_id) if question_id else None
    return dict(question.targets if question is not None else cat.targets)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


StoredReport = Report | Mapping[str, Any]  # a Report, or the JSON the history stores


def as_report(report: StoredReport) -> Report:
    """A stored report read leniently (:func:`~starcoach.rubric.serial.report_from_json`):
    what does not fit is left out, so a damaged report counts as less, never an error."""
    return report if isinstance(report, Report) else report_from_json(report, lenient=True)


def section_seconds(report: StoredReport) -> dict[str, float]:
    """Seconds spoken per section label: the sum of that label's spans (an answer that opens
    with a result headline has two result spans)."""
    out: dict[str, float] = {}
    for s in as_report(report).sections:
        out[s.label] = out.get(s.label, 0.0) + s.duration_s
    return out


def report_targets(report: StoredReport, base: Mapping[str, float]) -> dict[str, float]:
    """``base`` targets, overridden by the targets the report was judged against."""
    out = dict(base)
    for s in as_report(report).sections:
        if s.target_s is not None:
            out[s.label] = s.target_s
    return out


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One analysed attempt as the chart plots it."""

    attempt_id: int
    number: int  # 1 for the oldest analysed attempt of the question
    started_at: str  # ISO 8601, as stored
    seconds: dict[str, float]  # per section label; a missing section is 0
    targets: dict[str, float]  # per section label, plus ``"answer"``
    duration_s: float
    finding_count: int
    overall: float | None
    verdict: str | None

    def over(self, label: str) -> bool:
        target = self.targets.get(label)
        spent = self.duration_s if label == ANSWER else self.seconds.get(label, 0.0)
        return target is not None and spent > target

    @property
    def when(self) -> datetime | None:
        """The start time in local time (``None`` when the stored stamp is unreadable)."""
        try:
            stamp = datetime.fromisoformat(self.started_at)
        except (TypeError, ValueError):
            return None
        return stamp.astimezone() if stamp.tzinfo is not None else stamp

    def short_date(self) -> str:
        when = self.when
        return f"{when.day} {when:%b}" if when is not None else ""

    def long_date(self) -> str:
        when = self.when
        return f"{when.day} {when:%B %Y}, {when:%H:%M}" if when is not None else "unknown date"

    def title(self) -> str:
        date = self.short_date()
        return f"Attempt {self.number}" + (f", {date}" if date else "")

    def section_caption(self, label: str) -> str:
        """``"Situation: 52 s, target 45 s, over by 7 s"`` (the per-bar tooltip line)."""
        spent = self.seconds.get(label, 0.0)
        text = f"{section_name(label)}: {round(spent)} s"
        if label not in self.seconds:
            text += " (not heard)"
        target = self.targets.get(label)
        if target is not None:
            text += f", target {round(target)} s"
            if spent > target:
                text += f", over by {round(spent - target)} s"
        return text

    def score_caption(self) -> str:
        count = "1 finding" if self.finding_count == 1 else f"{self.finding_count} findings"
        if self.overall is None:
            return f"{count}, no score"
        verdict = f" ({self.verdict})" if self.verdict else ""
        return f"{count}, score {round(self.overall)}{verdict}"

    def describe(self, sections: Iterable[str]) -> str:
        """The attempt's figures in words, for screen readers."""
        parts = []
        for label in sections:
            spent = round(self.seconds.get(label, 0.0))
            part = f"{section_name(label)} {spent} seconds"
            target = self.targets.get(label)
            if target is not None:
                part += f" of {round(target)}" + (", over target" if self.over(label) else "")
            parts.append(part)
        when = self.short_date()
        head = f"Attempt {self.number}" + (f" on {when}" if when else "")
        return f"{head}: {'; '.join(parts)}; {self.score_caption()}."


@dataclass(frozen=True, slots=True)
class ProgressSeries:
    """A question's analysed attempts, oldest first, and what was left out."""

    question_id: str | None
    sections: tuple[str, ...]  # the section rows to draw, in spoken order
    points: tuple[ProgressPoint, ...]
    skipped: int = 0  # attempts with no report yet (recovered, not transcribed)

    def describe(self, last: int | None = None) -> str:
        """The whole series in words (the latest ``last`` attempts when given)."""
        if not self.points:
            return "No analysed attempts yet."
        shown = self.points if last is None else self.points[-last:]
        n = len(self.points)
        head = f"{n} analysed attempt" + ("" if n == 1 else "s")
        if len(shown) < n:
            head += f", the latest {len(shown)} described"
        return f"{head}. " + " ".join(p.describe(self.sections) for p in shown)


def _ordered(attempts: Iterable[Attempt]) -> list[Attempt]:
    return sorted(attempts, key=lambda a: (a.summary.started_at or "", a.summary.id))


def _analysed(attempts: Iterable[Attempt]) -> tuple[list[Attempt], int]:
    kept, skipped = [], 0
    for attempt in _ordered(attempts):
        if isinstance(attempt.report, dict):
            kept.append(attempt)
        else:
            skipped += 1
    return kept, skipped


def progress_series(question_id: str | None, attempts: Iterable[Attempt],
                    catalogue: Catalogue | None = None) -> ProgressSeries:
    """The chart's data for ``attempts`` of one question (any order; sorted oldest first)."""
    cat = _catalogue(catalogue)
    base = question_targets(question_id, cat)
    question = cat.questions.get(question_id) if question_id else None
    expected = question.expected_sections if question is not None else cat.expected_sections
    kept, skipped = _analysed(attempts)
    points, seen = [], set(expected)
    for number, attempt in enumerate(kept, start=1):
        report = as_report(attempt.report or {})
        seconds = section_seconds(report)
        seen.update(seconds)
        overall, verdict = report.scores.get("overall"), report.scores.get("verdict")
        points.append(ProgressPoint(
            attempt_id=attempt.summary.id, number=number, started_at=attempt.summary.started_at,
            seconds=seconds, targets=report_targets(report, base),
            duration_s=report.duration_s, finding_count=len(report.findings),
            overall=float(overall) if _is_number(overall) else None,
            verdict=verdict if isinstance(verdict, str) else None))
    order = [s for s in SECTION_LABELS if s in seen]
    order += sorted(seen.difference(SECTION_LABELS))
    return ProgressSeries(question_id, tuple(order), tuple(points), skipped)


def load_attempts(store: HistoryStore, question_id: str,
                  limit: int | None = None) -> list[Attempt]:
    """The question's analysed attempts, oldest first (the latest ``limit`` when given).

    Only attempts that have a report are read in full; the rest are skipped by their
    summary row, so a long history of unfinished recordings costs nothing.
    """
    summaries = [s for s in store.list(question=question_id) if s.finding_count is not None]
    if limit is not None:
        summaries = summaries[:limit]
    return _ordered(store.get(s.id) for s in summaries)


# -- since last time --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FindingChange:
    """One rule's findings in the last two reports."""

    rule: str
    title: str
    before: int  # how many times it fired last time
    now: int


@dataclass(frozen=True, slots=True)
class TimingChange:
    """A section (or the whole answer) that crossed its target between the two attempts."""

    label: str
    before_s: float
    now_s: float
    target_s: float

    @property
    def now_within(self) -> bool:
        return self.now_s <= self.target_s

    def sentence(self) -> str:
        head = "Now within target" if self.now_within else "Now over target"
        return (f"{head}: {section_name(self.label)}, {round(self.now_s)} s against "
                f"{round(self.target_s)} s (was {round(self.before_s)} s)")


@dataclass(frozen=True, slots=True)
class SinceLastTime:
    gone: tuple[FindingChange, ...]
    new: tuple[FindingChange, ...]
    still: tuple[FindingChange, ...]
    timing: tuple[TimingChange, ...]

    @property
    def now_within(self) -> tuple[TimingChange, ...]:
        return tuple(t for t in self.timing if t.now_within)

    @property
    def now_over(self) -> tuple[TimingChange, ...]:
        return tuple(t for t in self.timing if not t.now_within)

    def sentences(self) -> list[str]:
        """Plain lines for the panel: gone, new, still there, then timing moves."""
        out = [f"Gone: {c.title}" for c in self.gone]
        out += [f"New: {c.title}" for c in self.new]
        for c in self.still:
            extra = ""
            if c.now != c.before:
                trend = "down" if c.now < c.before else "up"
                extra = f" ({c.now} times, {trend} from {c.before})"
            out.append(f"Still there: {c.title}{extra}")
        out += [t.sentence() for t in self.timing]
        if not out:
            out.append("No findings, last time or this time.")
        return out


def _finding_counts(report: Report) -> Counter[str]:
    return Counter(f.rule for f in report.findings)


def since_last_time(previous_report: StoredReport, latest_report: StoredReport,
                    targets: Mapping[str, float] | None = None,
                    catalogue: Catalogue | None = None) -> SinceLastTime:
    """What changed from ``previous_report`` to ``latest_report`` (stored reports).

    Findings are matched by rule id (in the packs' rule order). A section
    "moved" when it was over its target and is now within, or the reverse; targets are the
    ones each report was judged against, else ``targets``, else the question's in the packs.
    """
    cat = _catalogue(catalogue)
    previous, latest = as_report(previous_report), as_report(latest_report)
    if targets is None:
        targets = question_targets(latest.question, cat)
    before, now = _finding_counts(previous), _finding_counts(latest)

    rank = {rid: k for k, rid in enumerate(cat.rules)}

    def changes(rules: Iterable[str]) -> tuple[FindingChange, ...]:
        ordered = sorted(rules, key=lambda r: (rank.get(r, len(rank)), r))
        return tuple(FindingChange(r, wording.rule_title(r, cat), before[r], now[r])
                     for r in ordered)

    gone = changes(before.keys() - now.keys())
    new = changes(now.keys() - before.keys())
    still = changes(before.keys() & now.keys())

    was, is_ = section_seconds(previous), section_seconds(latest)
    was_targets = report_targets(previous, targets)
    now_targets = report_targets(latest, targets)
    labels = [s for s in SECTION_LABELS if s in was or s in is_]
    labels += sorted((set(was) | set(is_)).difference(SECTION_LABELS))
    spans = [(label, was.get(label, 0.0), is_.get(label, 0.0)) for label in labels]
    spans.append((ANSWER, previous.duration_s, latest.duration_s))
    timing = []
    for label, a, b in spans:
        t_before, t_now = was_targets.get(label), now_targets.get(label)
        if t_before is None or t_now is None:
            continue
        if (a > t_before) != (b > t_now):
            timing.append(TimingChange(label, a, b, t_now))
    return SinceLastTime(gone, new, still, tuple(timing))


def latest_change(attempts: Iterable[Attempt], question_id: str | None = None,
                  catalogue: Catalogue | None = None) -> SinceLastTime | None:
    """:func:`since_last_time` for the last two analysed attempts; ``None`` with fewer."""
    kept, _ = _analysed(attempts)
    if len(kept) < 2:
        return None
    targets = question_targets(question_id, catalogue) if question_id else None
    return since_last_time(kept[-2].report or {}, kept[-1].report or {}, targets, catalogue)
