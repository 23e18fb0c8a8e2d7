"""The report and its timed words as JSON, both directions: the one place that knows the layout.

``report_to_json`` is the ``starcoach analyze --json`` contract (DESIGN.md) and what the
history stores; ``report_from_json`` reads it back for the text report, the review and the
exports. Times are rounded as they are written (words to the millisecond, sections and
findings to the centisecond), so a report that went through JSON once comes back equal.

Decoding is *strict* by default: anything that does not fit raises :class:`SerialError`
(a ``ValueError``) naming the first bad field, so a damaged stored report is reported, never
half drawn. ``lenient=True`` is for statistics over many stored reports (progress charts,
rule counts): an item that does not fit is left out and a missing number is taken as zero,
so an old or damaged report counts as less, never as an exception.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from starcoach.rubric.model import Finding, Report, Section, Word

SCHEMA = 1
WORD_KINDS = ("word", "filler", "unrecognised")


class SerialError(ValueError):
    """JSON that is not a report or timed words; ``str()`` names the first bad field."""


# -- writing --------------------------------------------------------------------------------

def word_to_json(word: Word) -> dict[str, Any]:
    """``{"text", "start", "end"}`` (to the millisecond), plus ``"kind"`` when not a word."""
    data: dict[str, Any] = {"text": word.text, "start": round(word.start, 3),
                            "end": round(word.end, 3)}
    if word.kind != "word":
        data["kind"] = word.kind
    return data


def words_to_json(words: Iterable[Word | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Timed words as a JSON list; a mapping is taken as already written (copied)."""
    return [word_to_json(w) if isinstance(w, Word) else dict(w) for w in words]


def section_to_json(section: Section) -> dict[str, Any]:
    return {
        "label": section.label,
        "start_s": round(section.start_s, 2),
        "end_s": round(section.end_s, 2),
        "duration_s": round(section.duration_s, 2),
        "target_s": section.target_s,
        "over_target": section.over_target,
        "first_word": section.first_word,
        "last_word": section.last_word,
    }


def finding_to_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "section": finding.section,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "heard": finding.heard,
        "start_s": round(finding.start_s, 2),
        "end_s": round(finding.end_s, 2),
        "word_span": list(finding.word_span),
    }


def report_to_json(report: Report) -> dict[str, Any]:
    """The ``starcoach analyze --json`` document (schema 1)."""
    return {
        "schema": SCHEMA,
        "question": report.question,
        "principle": report.principle,
        "level": report.level,
        "lens": report.lens,
        "timing": report.timing,
        "duration_s": round(report.duration_s, 2),
        "rubric_version": report.rubric_version,
        "words": words_to_json(report.words),
        "sections": [section_to_json(s) for s in report.sections],
        "findings": [finding_to_json(f) for f in report.findings],
        "metrics": report.metrics,
        "scores": report.scores,
    }


# -- reading --------------------------------------------------------------------------------

def _is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53


class _Fields:
    """Typed reads from one JSON object; each failure names ``where`` and the key."""

    def __init__(self, data: object, where: str, lenient: bool) -> None:
        if not isinstance(data, Mapping):
            raise SerialError(f"{where}: is not a JSON object")
        self.data, self.where, self.lenient = data, where, lenient

    def fail(self, key: str, problem: str) -> SerialError:
        return SerialError(f"{self.where}: '{key}' {problem}")

    def number(self, key: str, default: float | None = None) -> float:
        value = self.data.get(key)
        if value is None and default is not None:
            return default
        if not _is_number(value):
            if self.lenient and default is not None:
                return default
            if isinstance(value, int | float) and not isinstance(value, bool):
                raise self.fail(key, "must be a finite number")
            raise self.fail(key, "must be a number of seconds")
        return float(value)

    def whole(self, key: str, default: int | None = None) -> int:
        value = self.data.get(key)
        if not _whole(value):
            if default is not None and (value is None or self.lenient):
                return default
            raise self.fail(key, "must be a whole number")
        return int(value)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key)
        if not isinstance(value, str):
            if default is not None and (value is None or self.lenient):
                return default
            raise self.fail(key, "must be a string")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or isinstance(value, str):
            return value
        if self.lenient:
            return None
        raise self.fail(key, "must be a string or null")

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            if self.lenient:
                return {}
            raise self.fail(key, "must be a JSON object")
        return dict(value)

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            if self.lenient:
                return []
            raise self.fail(key, "must be a list")
        return value


def word_from_json(data: object, where: str = "word") -> Word:
    """One ``{"text", "start", "end"[, "kind"]}`` object as a :class:`Word`."""
    f = _Fields(data, where, lenient=False)
    text = f.text("text")
    start, end = f.number("start"), f.number("end")
    kind = f.data.get("kind", "word")
    if kind not in WORD_KINDS:
        raise f.fail("kind", 'must be "word", "filler" or "unrecognised"')
    return Word(text, start, end, kind)


def words_from_json(data: object, where: str = "words") -> list[Word]:
    """A JSON list of timed words (``None``: no words); raises naming the first bad one."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise SerialError(f"{where}: is not a list")
    return [word_from_json(w, f"{where}: word {i}") for i, w in enumerate(data)]


def _section(data: object, where: str, lenient: bool) -> Section:
    f = _Fields(data, where, lenient)
    start = f.number("start_s", 0.0 if lenient else None)
    if lenient and not _is_number(f.data.get("end_s")):
        end = start + max(0.0, f.number("duration_s", 0.0))
    else:
        end = f.number("end_s")
    target = f.data.get("target_s")
    if target is not None and not _is_number(target):
        if not lenient:
            raise f.fail("target_s", "must be a number of seconds or null")
        target = None
    return Section(f.text("label"), f.whole("first_word", 0 if lenient else None),
                   f.whole("last_word", -1 if lenient else None), start, end,
                   float(target) if target is not None else None)


def _finding(data: object, where: str, lenient: bool) -> Finding:
    f = _Fields(data, where, lenient)
    rule = f.text("rule")
    span = f.data.get("word_span")
    if not (isinstance(span, list) and len(span) == 2 and all(_whole(i) for i in span)):
        if not lenient:
            raise f.fail("word_span", "must be [first word, last word]")
        span = [0, -1]
    return Finding(rule, f.text("severity", "info" if lenient else None),  # type: ignore[arg-type]
                   f.optional_text("section"), f.text("message", ""),
                   f.text("suggestion", ""), (int(span[0]), int(span[1])),
                   f.number("start_s", 0.0), f.number("end_s", 0.0), f.text("heard", ""))


def _decode_all(items: list[Any], decode: Any, where: str, lenient: bool) -> list[Any]:
    out = []
    for i, item in enumerate(items):
        try:
            out.append(decode(item, f"{where}[{i}]", lenient))
        except SerialError:
            if not lenient:
                raise
    return out


def sections_from_json(data: Mapping[str, Any], *, lenient: bool = False) -> list[Section]:
    """The ``"sections"`` of a report document."""
    items = _Fields(data, "report", lenient).items("sections")
    return _decode_all(items, _section, "sections", lenient)


def findings_from_json(data: Mapping[str, Any], *, lenient: bool = False) -> list[Finding]:
    """The ``"findings"`` of a report document (cheap: words are not read)."""
    items = _Fields(data, "report", lenient).items("findings")
    return _decode_all(items, _finding, "findings", lenient)


def report_from_json(data: object, *, lenient: bool = False) -> Report:
    """The :class:`Report` that ``report_to_json`` wrote (derived fields recomputed).

    Strict: raises :class:`SerialError` naming the first field that does not fit. Lenient:
    leaves out what does not fit; a missing length is the sections' total.
    """
    f = _Fields(data, "report", lenient)
    if lenient:
        try:
            words = words_from_json(f.items("words"))
        except SerialError:
            words = []
    else:
        words = words_from_json(f.items("words"))
    sections = sections_from_json(f.data, lenient=lenient)
    findings = findings_from_json(f.data, lenient=lenient)
    if lenient and not _is_number(f.data.get("duration_s")):
        duration = sum(s.duration_s for s in sections)
    else:
        duration = f.number("duration_s", 0.0)
    timing = f.text("timing", "words") or "words"
    return Report(
        question=f.optional_text("question"), principle=f.text("principle", "") or "",
        level=f.text("level", "mid") or "mid", lens=f.optional_text("lens"),
        timing=timing,  # type: ignore[arg-type]
        duration_s=duration, words=words, sections=sections, findings=findings,
        metrics=f.mapping("metrics"), scores=f.mapping("scores"),
        rubric_version=f.text("rubric_version", "") or "")
