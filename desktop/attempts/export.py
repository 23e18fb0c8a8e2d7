"""An attempt's report as Markdown or HTML: transcript with the feedback on it, the timeline,
the findings and the scores. Qt-free (the PDF is this HTML through :mod:`.pdf`).

Every piece of text that came from the person or the rubric is escaped where it becomes
markup: ``html.escape`` for HTML, backslash escapes (and ``<``/``>``/``&``) for Markdown.
What a person reads is worded by :mod:`starcoach.desktop.wording`: the question as asked,
rule titles, local dates, the model's name and the attempt's number among that question's
attempts (``number``); ids stay only in HTML attributes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from starcoach.desktop import wording
from starcoach.desktop.attempts.store import Attempt
from starcoach.rubric.clock import clock
from starcoach.rubric.model import Finding, Report, Section
from starcoach.rubric.pack_schema import Catalogue
from starcoach.rubric.serial import SerialError, report_from_json

FORMATS = ("md", "html", "pdf")
_RANK = {"major": 3, "minor": 2, "info": 1}
_SCORE_KEYS = ("structure", "ownership", "impact", "reflection", "delivery", "overall")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~^&$])")
_COLOURS = {"major": "#f6b7b0", "minor": "#fbe3a1", "info": "#cfe3f7"}
SEVERITY_NAMES = {"major": "Major", "minor": "Minor", "info": "Info"}


class ExportError(Exception):
    """The attempt cannot be exported (one line)."""


def md_escape(text: object) -> str:
    """Text that Markdown (CommonMark/GFM, tables included) shows literally, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def h(text: object) -> str:
    """HTML-escaped text (quotes too: safe in attributes)."""
    return html.escape(str(text), quote=True)




@dataclass(frozen=True)
class _Run:
    """Consecutive words of one section sharing the same findings."""

    words: list[str]
    findings: tuple[int, ...]  # indexes into the report's findings

    def severity(self, findings: list[Finding]) -> str:
        return max((findings[i].severity for i in self.findings),
                   key=lambda s: _RANK.get(s, 0))


def _report(attempt: Attempt) -> Report:
    if not attempt.report:
        raise ExportError(f"attempt {attempt.id} has no report yet ({attempt.status}); "
                          "transcribe and analyse it first")
    try:
        return report_from_json(attempt.report)
    except SerialError as exc:
        raise ExportError(f"attempt {attempt.id}: the stored report is damaged ({exc}); "
                          f"`starcoach history reanalyse {attempt.id}` rebuilds it") from None


def _sections(report: Report) -> list[tuple[Section | None, list[_Run]]]:
    """The transcript cut into sections, each a list of runs of equally-marked words."""
    words = report.words
    findings = report.findings
    covering: list[list[int]] = [[] for _ in words]
    for k, f in enumerate(findings):
        first, last = f.word_span
        for i in range(max(0, first), min(len(words), last + 1)):
            covering[i].append(k)
    spans: list[tuple[Section | None, int, int]] = []
    at = 0
    for s in sorted(report.sections, key=lambda s: s.first_word):
        if s.first_word > at:
            spans.append((None, at, s.first_word - 1))
        spans.append((s, s.first_word, s.last_word))
        at = s.last_word + 1
    if at < len(words):
        spans.append((None, at, len(words) - 1))
    out = []
    for section, first, last in spans:
        runs: list[_Run] = []
        for i in range(first, min(last, len(words) - 1) + 1):
            key = tuple(covering[i])
            if runs and runs[-1].findings == key:
                runs[-1].words.append(words[i].text)
            else:
                runs.append(_Run([words[i].text], key))
        out.append((section, runs))
    return out


def title(attempt: Attempt, report: Report | None = None,
          catalogue: Catalogue | None = None) -> str:
    """What the report is about: the question as asked (in ``catalogue``; none: the bundled
    packs), else the principle's answer."""
    if report is None and attempt.report:
        report = _report(attempt)
    question = (report.question if report else None) or attempt.summary.question
    if question:
        return wording.question_title(str(question), catalogue)
    principle = (report.principle if report else None) or attempt.summary.principle
    return f"{wording.principle_name(str(principle))} answer" if principle else "Your answer"


def _facts(attempt: Attempt, report: Report, number: int | None) -> list[tuple[str, str]]:
    s = attempt.summary
    scores = report.scores
    facts = [("Attempt", str(number))] if number else []
    facts += [
        ("Recorded", wording.local_datetime(s.started_at) or "—"),
        ("Principle", wording.principle_name(str(report.principle or s.principle or ""))
         or "—"),
        ("Level", wording.level_name(str(report.level or s.level))),
        ("Lens", wording.lens_name(str(report.lens or s.lens or "")) or "—"),
        ("Length", clock(report.duration_s or s.duration_s)
         + (" (timings estimated from text)" if report.timing == "estimated" else "")),
        ("Verdict", f"{scores.get('verdict', '—')} (overall {scores.get('overall', '—')}/100)"),
        ("Model", wording.model_name(s.model) or "—"),
        ("Rubric version", str(report.rubric_version or s.rubric_version or "—")),
    ]
    if s.status == "recovered":
        facts.append(("Status", "recovered after the recording was cut off"))
    return facts


def _finding_line(f: Finding) -> tuple[str, str, str]:
    """Severity name, rule title, and where ("0:52 Action")."""
    where = f"{clock(f.start_s)} {wording.section_name(f.section) if f.section else ''}"
    return (SEVERITY_NAMES.get(f.severity, wording.readable_id(f.severity)),
            wording.rule_title(f.rule), where.strip())


def _section_label(section: Section | None) -> str:
    return wording.section_name(section.label) if section else "Unlabelled"


def _score_name(key: str) -> str:
    return "Overall" if key == "overall" else wording.readable_id(key)


# -- Markdown -----------------------------------------------------------------------------------

def to_markdown(attempt: Attempt, number: int | None = None,
                catalogue: Catalogue | None = None) -> str:
    """The attempt's report as GitHub-flavoured Markdown (findings as bold words + footnotes);
    ``number`` is the attempt's place among its question's attempts."""
    report = _report(attempt)
    findings = report.findings
    lines = [f"# StarCoach report — {md_escape(title(attempt, report, catalogue))}", ""]
    lines += ["| | |", "|---|---|"]
    lines += [f"| {md_escape(k)} | {md_escape(v)} |" for k, v in _facts(attempt, report, number)]
    if attempt.summary.notes:
        lines += ["", f"**Notes:** {md_escape(attempt.summary.notes)}"]

    lines += ["", "## Transcript", ""]
    for section, runs in _sections(report):
        label = _section_label(section)
        span = (f" ({clock(section.start_s)}–{clock(section.end_s)})" if section else "")
        parts = []
        for run in runs:
            words = md_escape(" ".join(run.words))
            if run.findings:
                refs = "".join(f"[^{i + 1}]" for i in run.findings)
                words = f"**{words}**{refs}"
            parts.append(words)
        lines += [f"**{label}**{span}: " + " ".join(parts), ""]

    lines += ["## Timeline", "", "| Section | Start | End | Duration | Target | Over target |",
              "|---|---|---|---|---|---|"]
    for s in report.sections:
        lines.append(f"| {md_escape(wording.section_name(s.label))} "
                     f"| {clock(s.start_s)} | {clock(s.end_s)} "
                     f"| {clock(s.duration_s)} | {clock(s.target_s, '—')} "
                     f"| {'**over**' if s.over_target else 'ok'} |")

    lines += ["", f"## Findings ({len(findings)})", ""]
    if not findings:
        lines.append("No findings: a clean answer.")
    for i, f in enumerate(findings, 1):
        severity, rule, where = _finding_line(f)
        heard = f" — heard “{md_escape(f.heard)}”" if f.heard else ""
        lines += [f"{i}. **{md_escape(severity)}** {md_escape(rule)} "
                  f"({md_escape(where)}){heard}  ",
                  f"   {md_escape(f.message)}  ",
                  f"   *Instead:* {md_escape(f.suggestion)}"]

    lines += ["", "## Scores", "", "| Category | Score |", "|---|---|"]
    scores = report.scores
    lines += [f"| {_score_name(k)} | {md_escape(scores[k])} |" for k in _SCORE_KEYS
              if k in scores]
    lines.append(f"| Verdict | {md_escape(scores.get('verdict', '—'))} |")
    if scores.get("capped_by"):
        lines += ["", "Verdict capped by: " + ", ".join(
            md_escape(wording.rule_title(str(r))) for r in scores["capped_by"])]
    metrics = report.metrics
    if metrics:
        lines += ["", f"Delivery: {md_escape(metrics.get('wpm', 0))} words/min, "
                      f"{md_escape(metrics.get('fillers_per_min', 0))} fillers/min, "
                      f"“I” {md_escape(metrics.get('i_count', 0))} vs “we” "
                      f"{md_escape(metrics.get('we_count', 0))}"]
    if findings:
        lines.append("")
        for i, f in enumerate(findings, 1):
            lines.append(f"[^{i}]: {md_escape(wording.rule_title(f.rule))}: "
                         f"{md_escape(f.message)}")
    return "\n".join(lines) + "\n"


# -- HTML ---------------------------------------------------------------------------------------

_CSS = """
body { font-family: sans-serif; color: #1e1e1e; max-width: 52em; margin: 2em auto; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #bbb; padding: 3px 8px; text-align: left; }
p.section { line-height: 1.6; }
span.label { font-weight: bold; }
span.when { color: #666; }
mark.major { background-color: MAJOR; } mark.minor { background-color: MINOR; }
mark.info { background-color: INFO; }
td.over { color: #b00020; font-weight: bold; }
blockquote { color: #444; font-style: italic; }
"""
for _severity, _colour in _COLOURS.items():
    _CSS = _CSS.replace(_severity.upper(), _colour)


def to_html(attempt: Attempt, number: int | None = None,
            catalogue: Catalogue | None = None) -> str:
    """The attempt's report as one self-contained HTML page (findings as ``<mark>``);
    ``number`` is the attempt's place among its question's attempts."""
    report = _report(attempt)
    findings = report.findings
    heading = h(title(attempt, report, catalogue))
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>StarCoach report — {heading}</title>",
           f"<style>{_CSS}</style></head><body>", f"<h1>StarCoach report — {heading}</h1>"]
    out.append('<table class="facts">')
    out += [f"<tr><th>{h(k)}</th><td>{h(v)}</td></tr>"
            for k, v in _facts(attempt, report, number)]
    out.append("</table>")
    if attempt.summary.notes:
        out.append(f'<p class="notes"><b>Notes:</b> {h(attempt.summary.notes)}</p>')

    out.append("<h2>Transcript</h2>")
    for section, runs in _sections(report):
        label = section.label if section else "unlabelled"
        when = (f' <span class="when">{clock(section.start_s)}–{clock(section.end_s)}'
                "</span>" if section else "")
        parts = []
        for run in runs:
            words = h(" ".join(run.words))
            if run.findings:
                severity = run.severity(findings)
                tip = h(" · ".join(f"{wording.rule_title(findings[i].rule)}: "
                                   f"{findings[i].message}" for i in run.findings))
                refs = ",".join(f'<a href="#f{i + 1}">{i + 1}</a>' for i in run.findings)
                words = (f'<mark class="{h(severity)}" style="background-color: '
                         f'{_COLOURS.get(severity, "#eee")}" title="{tip}">{words}</mark>'
                         f"<sup>{refs}</sup>")
            parts.append(words)
        out.append(f'<p class="section" data-section="{h(label)}">'
                   f'<span class="label">{h(_section_label(section))}</span>{when}: '
                   + " ".join(parts) + "</p>")

    out += ["<h2>Timeline</h2>", '<table class="timeline"><tr><th>Section</th><th>Start</th>'
            "<th>End</th><th>Duration</th><th>Target</th><th>Over target</th></tr>"]
    for s in report.sections:
        over = ' class="over">over' if s.over_target else ">ok"
        out.append(f"<tr><td>{h(wording.section_name(s.label))}</td>"
                   f"<td>{clock(s.start_s)}</td>"
                   f"<td>{clock(s.end_s)}</td><td>{clock(s.duration_s)}</td>"
                   f"<td>{clock(s.target_s, '—')}</td>"
                   f"<td{over}</td></tr>")
    out.append("</table>")

    out.append(f"<h2>Findings ({len(findings)})</h2>")
    if not findings:
        out.append("<p>No findings: a clean answer.</p>")
    else:
        out.append('<ol class="findings">')
        for i, f in enumerate(findings, 1):
            severity, rule, where = _finding_line(f)
            heard = f" — heard “{h(f.heard)}”" if f.heard else ""
            out.append(f'<li id="f{i}" data-rule="{h(f.rule)}">'
                       f'<b class="{h(f.severity)}">{h(severity)}</b> '
                       f"<b>{h(rule)}</b> ({h(where)}){heard}<br>"
                       f"{h(f.message)}<br><i>Instead:</i> "
                       f"{h(f.suggestion)}</li>")
        out.append("</ol>")

    scores = report.scores
    out += ["<h2>Scores</h2>", '<table class="scores"><tr><th>Category</th><th>Score</th></tr>']
    out += [f"<tr><td>{_score_name(k)}</td><td>{h(scores[k])}</td></tr>" for k in _SCORE_KEYS
            if k in scores]
    out.append(f"<tr><td>Verdict</td><td>{h(scores.get('verdict', '—'))}</td></tr></table>")
    if scores.get("capped_by"):
        out.append("<p>Verdict capped by: " + ", ".join(
            h(wording.rule_title(str(r))) for r in scores["capped_by"]) + "</p>")
    metrics = report.metrics
    if metrics:
        out.append(f"<p>Delivery: {h(metrics.get('wpm', 0))} words/min, "
                   f"{h(metrics.get('fillers_per_min', 0))} fillers/min, "
                   f"“I” {h(metrics.get('i_count', 0))} vs “we” "
                   f"{h(metrics.get('we_count', 0))}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
