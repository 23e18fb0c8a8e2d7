"""Layering the rubric for one analysis: rule defaults, then the principle, the level, the
lens, the question and a caller's overrides, into the :class:`Resolved` rubric that
``analyze`` and the live cue read targets and severities from."""

from __future__ import annotations

from dataclasses import dataclass

from starcoach.rubric.pack_schema import (
    LEVELS,
    PRINCIPLES,
    Catalogue,
    Lens,
    PackQuestion,
    RuleSpec,
)


@dataclass(frozen=True, slots=True)
class Resolved:
    """The rubric for one analysis: which rules at which severity, targets, wording."""

    question: PackQuestion | None
    principle: str
    level: str
    lens: Lens | None
    targets: dict[str, float]
    expected_sections: tuple[str, ...]
    severities: dict[str, str]
    rules: dict[str, RuleSpec]
    suggestions: dict[str, str]


def resolve(cat: Catalogue, question_id: str | None, principle: str | None,
            level: str, lens_id: str | None,
            overrides: dict[str, str] | None = None) -> Resolved:
    """Layer the rubric: rule defaults → principle → level → lens → question → overrides
    (``overrides`` lets a caller, e.g. a follow-up drill, insist on one rule).

    Raises ``KeyError`` with a readable message for an unknown question, principle,
    level or lens.
    """
    question = None
    if question_id is not None:
        if question_id not in cat.questions:
            raise KeyError(f"unknown question {question_id!r} (known: "
                           f"{', '.join(sorted(cat.questions))})")
        question = cat.questions[question_id]
        principle = question.principle
    principle = principle or "general"
    if principle not in cat.principles:
        raise KeyError(f"unknown principle {principle!r} (expected one of "
                       f"{', '.join(PRINCIPLES)})")
    if level not in cat.levels:
        raise KeyError(f"unknown level {level!r} (expected one of {', '.join(LEVELS)})")
    lens = None
    if lens_id is not None:
        if lens_id not in cat.lenses:
            raise KeyError(f"unknown lens {lens_id!r} (known: {', '.join(sorted(cat.lenses))})")
        if question is not None and question.lenses and lens_id not in question.lenses:
            raise KeyError(f"lens {lens_id!r} does not apply to question {question.id!r}")
        lens = cat.lenses[lens_id]
    sev: dict[str, str] = {}
    for rid, spec in cat.rules.items():
        applies = not spec.applies_to or principle in spec.applies_to
        sev[rid] = spec.severity if applies else "off"
    layers = [cat.principles[principle]["rules"], cat.levels[level]]
    if lens is not None:
        layers.append(lens.rules)
    if question is not None:
        layers.append(question.rules)
    if overrides:
        layers.append(overrides)
    for layer in layers:
        for rid, s in layer.items():
            spec = cat.rules[rid]
            if spec.applies_to and principle not in spec.applies_to:
                continue  # a story-kind rule never leaks into other principles
            sev[rid] = s
    return Resolved(
        question=question, principle=principle, level=level, lens=lens,
        targets=question.targets if question else dict(cat.targets),
        expected_sections=question.expected_sections if question else cat.expected_sections,
        severities=sev, rules=cat.rules,
        suggestions=question.suggestions if question else {},
    )
