"""A stored report (``Report.to_json()``) back into a :class:`Report` for the text renderer."""

from __future__ import annotations

from typing import Any

from starcoach.rubric.model import Finding, Report, Section, Word


def report_from_json(data: dict[str, Any]) -> Report:
    """Rebuild the ``Report`` that ``to_json`` produced (derived fields are recomputed)."""
    words = [Word(str(w["text"]), float(w["start"]), float(w["end"]), str(w.get("kind", "word")))
             for w in data.get("words") or []]
    sections = [Section(s["label"], int(s["first_word"]), int(s["last_word"]),
                        float(s["start_s"]), float(s["end_s"]), s.get("target_s"))
                for s in data.get("sections") or []]
    findings = [Finding(f["rule"], f["severity"], f.get("section"), f.get("message", ""),
                        f.get("suggestion", ""),
                        (int(f["word_span"][0]), int(f["word_span"][1])),
                        float(f.get("start_s", 0.0)), float(f.get("end_s", 0.0)),
                        f.get("heard", ""))
                for f in data.get("findings") or []]
    return Report(
        question=data.get("question"), principle=data.get("principle") or "",
        level=data.get("level") or "mid", lens=data.get("lens"),
        timing=data.get("timing") or "words", duration_s=float(data.get("duration_s") or 0.0),
        words=words, sections=sections, findings=findings,
        metrics=dict(data.get("metrics") or {}), scores=dict(data.get("scores") or {}),
        rubric_version=str(data.get("rubric_version") or ""))
