"""The human-readable text report (``starcoach analyze`` without ``--json``, ``starcoach
history show``): one layout, worded by a :class:`Names`.

The default names print the ids the JSON carries (``we_language``, ``mid level``); the desktop
passes its wording (the question as asked, rule titles, "Mid level"), so the layout is written
once. Every line is safe for a terminal (control characters replaced) and bounded: a message
is clipped before it is wrapped, so no word or message, however long, makes wrapping slow.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from starcoach.rubric.clock import clock
from starcoach.rubric.model import Report
from starcoach.rubric.safety import clean_text

MAX_WRAPPED_CHARS = 2_000  # one message or suggestion as printed
SCORE_KEYS = ("structure", "ownership", "impact", "reflection", "delivery")

_MARK = {"major": "!!", "minor": "! ", "info": "i "}


def _id_title(report: Report) -> str:
    head = report.question or report.principle
    lens = f", lens {report.lens}" if report.lens else ""
    return f"StarCoach report — {head}, {report.level} level{lens}"


def _same(value: str) -> str:
    return value


def _section_id(label: str | None) -> str:
    return label or "-"


@dataclass(frozen=True)
class Names:
    """What the report prints where it holds ids; every default passes the id through.

    ``title`` is the first line; ``section`` gets ``None`` for a finding about the whole
    answer; ``pace`` and ``delivery`` are ``str.format`` templates over the report's metrics.
    """

    title: Callable[[Report], str] = _id_title
    rule: Callable[[str], str] = _same
    section: Callable[[str | None], str] = _section_id
    score: Callable[[str], str] = _same
    pace: str = "{wpm:.0f} wpm"
    delivery: str = "Delivery: {fillers_per_min:.1f} fillers/min, I {i_count} vs we {we_count}"


IDS = Names()


def _clip(text: object) -> str:
    text = str(text)
    return text if len(text) <= MAX_WRAPPED_CHARS else text[: MAX_WRAPPED_CHARS - 1] + "…"


def render_text(report: Report, width: int = 88, names: Names = IDS) -> str:
    """The whole report as lines of text, each ending in a newline."""
    m, sc = report.metrics, report.scores
    metrics = {"wpm": 0, "fillers_per_min": 0, "i_count": 0, "we_count": 0, **m}
    est = " (timings estimated from text)" if report.timing == "estimated" else ""
    lines = [names.title(report),
             f"Length {clock(report.duration_s)}{est}, {m.get('words', 0)} words, "
             + names.pace.format(**metrics)]
    capped = ", ".join(names.rule(r) for r in sc.get("capped_by") or [])
    lines.append(f"Verdict: {sc.get('verdict')} (overall {sc.get('overall')}/100)"
                 + (f" — capped by {capped}" if capped else ""))
    lines.append("  " + "  ".join(f"{names.score(k)} {sc[k]}" for k in SCORE_KEYS if k in sc))
    lines += ["", "Sections"]
    for s in report.sections:
        target = f"/ {clock(s.target_s)}" if s.target_s else ""
        flag = "  OVER" if s.over_target else ""
        first = " ".join(w.text for w in report.words[s.first_word:s.first_word + 8])
        lines.append(f"  {names.section(s.label):<11}{clock(s.start_s):>6}–"
                     f"{clock(s.end_s):<6}{clock(s.duration_s):>6} {target:<7}{flag}  "
                     f"“{first}…”")
    lines += ["", names.delivery.format(**metrics), ""]
    if not report.findings:
        lines.append("No findings: a clean answer.")
    else:
        lines.append(f"Findings ({len(report.findings)})")
    for f in report.findings:
        lines.append(f"{_MARK.get(f.severity, '  ')} [{clock(f.start_s)} "
                     f"{names.section(f.section)}] {names.rule(f.rule)}")
        for label, text in (("", f.message), ("→ ", f.suggestion)):
            lines.extend(textwrap.wrap(label + _clip(text), width, initial_indent="     ",
                                       subsequent_indent="       "))
    return "".join(clean_text(line, inline=True) + "\n" for line in lines)
