"""The human-readable text report that ``starcoach analyze`` prints without ``--json``.

Every line is safe for a terminal (control characters replaced) and bounded: a message is
clipped before it is wrapped, so no word or message, however long, makes wrapping slow.
"""

from __future__ import annotations

import textwrap

from starcoach.rubric.clock import clock
from starcoach.rubric.model import Report
from starcoach.rubric.safety import clean_text

MAX_WRAPPED_CHARS = 2_000  # one message or suggestion as printed

_MARK = {"major": "!!", "minor": "! ", "info": "i "}




def render_text(report: Report, width: int = 88) -> str:
    lines: list[str] = []
    head = report.question or report.principle
    lens = f", lens {report.lens}" if report.lens else ""
    est = " (timings estimated from text)" if report.timing == "estimated" else ""
    lines.append(f"StarCoach report — {head}, {report.level} level{lens}")
    lines.append(f"Length {clock(report.duration_s)}{est}, {report.metrics.get('words', 0)} "
                 f"words, {report.metrics.get('wpm', 0):.0f} wpm")
    sc = report.scores
    lines.append(f"Verdict: {sc.get('verdict')} (overall {sc.get('overall')}/100)"
                 + (f" — capped by {', '.join(sc['capped_by'])}" if sc.get("capped_by") else ""))
    lines.append("  " + "  ".join(f"{k} {sc[k]}" for k in
                                  ("structure", "ownership", "impact", "reflection", "delivery")))
    lines.append("")
    lines.append("Sections")
    for s in report.sections:
        target = f"/ {clock(s.target_s)}" if s.target_s else ""
        flag = "  OVER" if s.over_target else ""
        first = " ".join(w.text for w in report.words[s.first_word:s.first_word + 8])
        lines.append(f"  {s.label:<11}{clock(s.start_s):>6}–{clock(s.end_s):<6}"
                     f"{clock(s.duration_s):>6} {target:<7}{flag}  “{first}…”")
    lines.append("")
    m = report.metrics
    lines.append(f"Delivery: {m.get('fillers_per_min', 0):.1f} fillers/min, "
                 f"I {m.get('i_count', 0)} vs we {m.get('we_count', 0)}")
    lines.append("")
    if not report.findings:
        lines.append("No findings: a clean answer.")
    else:
        lines.append(f"Findings ({len(report.findings)})")
        for f in report.findings:
            at = clock(f.start_s)
            lines.append(f"{_MARK[f.severity]} [{at} {f.section or '-'}] {f.rule}")
            for label, text in (("", f.message), ("→ ", f.suggestion)):
                text = str(text)
                if len(text) > MAX_WRAPPED_CHARS:
                    text = text[: MAX_WRAPPED_CHARS - 1] + "…"
                lines.extend(textwrap.wrap(label + text, width, initial_indent="     ",
                                           subsequent_indent="       "))
    return "".join(clean_text(line, inline=True) + "\n" for line in lines)
