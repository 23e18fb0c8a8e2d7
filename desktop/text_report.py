"""The text report a person reads in a terminal (``starcoach analyze`` without ``--json``,
``starcoach history show``): the rubric's report worded by :mod:`.wording` — the question as
asked, rule titles, "Mid level" — not the ids the JSON carries.

Every line is safe for a terminal (control characters replaced) and bounded: a message is
clipped before it is wrapped, as in :func:`starcoach.rubric.render.render_text`.
"""

from __future__ import annotations

import textwrap

from starcoach.desktop import wording
from starcoach.rubric.clock import clock
from starcoach.rubric.model import Report
from starcoach.rubric.render import MAX_WRAPPED_CHARS
from starcoach.rubric.safety import clean_text

_MARK = {"major": "!!", "minor": "! ", "info": "i "}
_SCORES = ("structure", "ownership", "impact", "reflection", "delivery")




def heading(report: Report) -> str:
    """``Describe a time you took ownership… — Ownership, Mid level, Outcome first lens``."""
    about = [wording.principle_name(report.principle), wording.level_name(report.level)]
    if report.lens:
        about.append(f"{wording.lens_name(report.lens)} lens")
    head = wording.question_title(report.question) or f"{about[0] or 'Your'} answer"
    return f"{head} — {', '.join(a for a in about if a)}"


def _clip(text: object) -> str:
    text = str(text)
    return text if len(text) <= MAX_WRAPPED_CHARS else text[: MAX_WRAPPED_CHARS - 1] + "…"


def render_report(report: Report, width: int = 88) -> str:
    """The whole report as lines of text, each ending in a newline."""
    lines = [f"StarCoach report: {heading(report)}"]
    est = " (timings estimated from text)" if report.timing == "estimated" else ""
    m, sc = report.metrics, report.scores
    lines.append(f"Length {clock(report.duration_s)}{est}, {m.get('words', 0)} words, "
                 f"{m.get('wpm', 0):.0f} words a minute")
    capped = ", ".join(wording.rule_title(r) for r in sc.get("capped_by") or [])
    lines.append(f"Verdict: {sc.get('verdict')} (overall {sc.get('overall')}/100)"
                 + (f" — capped by {capped}" if capped else ""))
    lines.append("  " + "  ".join(f"{wording.readable_id(k)} {sc[k]}" for k in _SCORES
                                  if k in sc))
    lines += ["", "Sections"]
    for s in report.sections:
        target = f"/ {clock(s.target_s)}" if s.target_s else ""
        flag = "  OVER" if s.over_target else ""
        first = " ".join(w.text for w in report.words[s.first_word:s.first_word + 8])
        lines.append(f"  {wording.section_name(s.label):<11}{clock(s.start_s):>6}–"
                     f"{clock(s.end_s):<6}{clock(s.duration_s):>6} {target:<7}{flag}  "
                     f"“{first}…”")
    lines += ["", f"Delivery: {m.get('fillers_per_min', 0):.1f} fillers a minute, "
                  f"“I” {m.get('i_count', 0)} times, “we” {m.get('we_count', 0)}", ""]
    if not report.findings:
        lines.append("No findings: a clean answer.")
    else:
        lines.append(f"Findings ({len(report.findings)})")
    for f in report.findings:
        where = wording.section_name(f.section) if f.section else "whole answer"
        lines.append(f"{_MARK.get(f.severity, '  ')} [{clock(f.start_s)} {where}] "
                     f"{wording.rule_title(f.rule)}")
        for label, text in (("", f.message), ("→ ", f.suggestion)):
            lines.extend(textwrap.wrap(label + _clip(text), width, initial_indent="     ",
                                       subsequent_indent="       "))
    return "".join(clean_text(line, inline=True) + "\n" for line in lines)
