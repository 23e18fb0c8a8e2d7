"""What a person reads in place of the ids a report stores: question, rule, principle, lens
and level names, local dates, the speech model's name. Qt-free, so the window, the text
report (``REPORT_NAMES``) and the exports (PDF, HTML, Markdown) all say the same thing.

Names come from the pack catalogue given (none: the bundled packs; pass a library's to name
a person's own questions); an id the packs do not know (a deleted pack, an old attempt) is
shown made readable (``ownership-failure`` → "Ownership failure"), never raw.
The ``--json`` outputs keep ids: only these words for people change.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from starcoach.rubric.model import SECTION_NAMES, Report
from starcoach.rubric.render import Names

if TYPE_CHECKING:
    from starcoach.rubric.pack_schema import Catalogue

STATUS_TEXT = {"recording": "recording", "recorded": "not analysed yet",
               "recovered": "recovered, not transcribed", "analysed": "analysed"}
LEVEL_NAMES = {"junior": "Junior level", "mid": "Mid level", "senior": "Senior level",
               "principal": "Principal level"}


def _catalogue(catalogue: Catalogue | None) -> Catalogue | None:
    if catalogue is not None:
        return catalogue
    try:
        from starcoach.rubric.packs import builtin_catalogue

        return builtin_catalogue()
    except Exception:  # a report still reads without the packs
        return None


def readable_id(value: str) -> str:
    """``ownership-failure`` / ``action_underweighted`` → "Ownership failure" / "Action
    underweighted"."""
    words = " ".join(str(value).replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:]


def question_title(question_id: str | None, catalogue: Catalogue | None = None) -> str:
    """The question as the packs word it; an unknown id made readable; "" for none."""
    if not question_id:
        return ""
    cat = _catalogue(catalogue)
    q = cat.questions.get(question_id) if cat is not None else None
    return q.text if q is not None else readable_id(question_id)


def rule_title(rule_id: str, catalogue: Catalogue | None = None) -> str:
    """The rule's title from the packs ("Too little Action"), or its id made readable."""
    cat = _catalogue(catalogue)
    spec = cat.rules.get(rule_id) if cat is not None else None
    return spec.title if spec is not None else readable_id(rule_id)


def principle_name(principle: str | None, catalogue: Catalogue | None = None) -> str:
    """"Ownership", "Customer Obsession"…; "" for none."""
    if not principle:
        return ""
    cat = _catalogue(catalogue)
    entry = cat.principles.get(principle) if cat is not None else None
    name = entry.get("name") if isinstance(entry, dict) else None
    return str(name) if name else readable_id(principle)


def lens_name(lens: str | None, catalogue: Catalogue | None = None) -> str:
    """The lens's name ("Outcome first"…); "" for none."""
    if not lens:
        return ""
    cat = _catalogue(catalogue)
    spec = cat.lenses.get(lens) if cat is not None else None
    return spec.name if spec is not None and spec.name else readable_id(lens)


def level_name(level: str | None) -> str:
    """``mid`` → "Mid level"."""
    if not level:
        return ""
    return LEVEL_NAMES.get(level, f"{readable_id(level)} level")


def section_name(label: str | None) -> str:
    """``action`` → "Action"; none → "Whole answer"."""
    if not label:
        return "Whole answer"
    return SECTION_NAMES.get(label, readable_id(label))


def status_text(status: str) -> str:
    """An attempt's status as a person reads it ("not analysed yet")."""
    return STATUS_TEXT.get(status, readable_id(status).lower())


def local_datetime(when: str | datetime | None) -> str:
    """A stored ISO time in the person's time zone: "2 Dec 2026, 14:05" ("" if unreadable).

    A time without a zone is taken as local already.
    """
    if not when:
        return ""
    try:
        stamp = when if isinstance(when, datetime) else datetime.fromisoformat(str(when))
        local = stamp.astimezone() if stamp.tzinfo is not None else stamp
    except (ValueError, OverflowError, OSError):
        return ""
    return f"{local.day} {local:%b %Y}, {local:%H:%M}"


def model_name(stored: str | None) -> str:
    """The speech model an attempt was heard by, as stored: its name, or a readable one for
    an older attempt that stored a folder (``…/model`` never reads as "model")."""
    if not stored:
        return ""
    from starcoach.speech.models import model_label

    return model_label(stored)


def report_heading(report: Report, catalogue: Catalogue | None = None) -> str:
    """``Describe a time you took ownership… — Ownership, Mid level, Outcome first lens``."""
    about = [principle_name(report.principle, catalogue), level_name(report.level)]
    if report.lens:
        about.append(f"{lens_name(report.lens, catalogue)} lens")
    head = question_title(report.question, catalogue) or f"{about[0] or 'Your'} answer"
    return f"{head} — {', '.join(a for a in about if a)}"


def _finding_section(label: str | None) -> str:
    return section_name(label) if label else "whole answer"


def report_names(catalogue: Catalogue | None = None) -> Names:
    """The text report (:func:`starcoach.rubric.render.render_text`) in these words, its
    question and rules named from ``catalogue`` (none: the bundled packs)."""
    return Names(
        title=lambda report: f"StarCoach report: {report_heading(report, catalogue)}",
        rule=lambda rule: rule_title(rule, catalogue), section=_finding_section,
        score=readable_id, pace="{wpm:.0f} words a minute",
        delivery="Delivery: {fillers_per_min:.1f} fillers a minute, “I” {i_count} times, "
                 "“we” {we_count}")


REPORT_NAMES = report_names()
"""The text report in these words, named from the bundled packs."""
