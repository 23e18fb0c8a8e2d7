"""Scores from findings: five categories, an overall figure and a hiring-style verdict.

Each category starts at 100. Every rule that fired takes off a penalty for its worst
severity (major 40, minor 15, info 0), plus 4 for each further finding of the same rule,
at most two. The overall score weights the categories (ownership and impact 25 % each,
structure 20 %, reflection and delivery 15 % each). The verdict bands it: 85+ Strong
Hire, 70+ Hire, 55+ Lean Hire, 40+ Lean No Hire, below No Hire. Major findings also cap
the verdict the way an interviewer's bar does: one caps it at Hire, two distinct major
rules at Lean Hire, three or more at Lean No Hire. For ownership stories a major
`manager_directed` or `escalation_handoff` is disqualifying: No Hire.
"""

from __future__ import annotations

from collections import defaultdict

from starcoach.rubric.model import Finding
from starcoach.rubric.pack_schema import CATEGORIES, RuleSpec

PENALTY = {"major": 40, "minor": 15, "info": 0}
REPEAT_PENALTY = 4
WEIGHTS = {"structure": 0.20, "ownership": 0.25, "impact": 0.25, "reflection": 0.15,
           "delivery": 0.15}
BANDS = ((85, "Strong Hire"), (70, "Hire"), (55, "Lean Hire"), (40, "Lean No Hire"),
         (0, "No Hire"))
DISQUALIFIERS = {"ownership": ("manager_directed", "escalation_handoff")}
_RANK = {"major": 2, "minor": 1, "info": 0}


def score(findings: list[Finding], rules: dict[str, RuleSpec], principle: str) -> dict:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[f.rule].append(f)
    penalties: dict[str, float] = dict.fromkeys(CATEGORIES, 0.0)
    reasons: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for rule, fs in by_rule.items():
        worst = max(fs, key=lambda f: _RANK[f.severity]).severity
        p = PENALTY[worst] + REPEAT_PENALTY * min(2, len(fs) - 1) * (worst != "info")
        category = rules[rule].category
        penalties[category] += p
        if p:
            reasons[category].append(f"{rule} (-{p})")
    cats = {c: max(0, round(100 - penalties[c])) for c in CATEGORIES}
    overall = round(sum(cats[c] * WEIGHTS[c] for c in CATEGORIES))
    verdict = next(label for floor, label in BANDS if overall >= floor)
    majors = sum(1 for fs in by_rule.values() if any(f.severity == "major" for f in fs))
    cap = {0: 0, 1: 1, 2: 2}.get(majors, 3)  # index into BANDS
    if cap > [label for _, label in BANDS].index(verdict):
        verdict = BANDS[cap][1]
    capped_by = [r for r in DISQUALIFIERS.get(principle, ())
                 if any(f.severity == "major" for f in by_rule.get(r, []))]
    if capped_by:
        verdict = "No Hire"
    return {
        **cats,
        "overall": overall,
        "verdict": verdict,
        "capped_by": capped_by,
        "explanation": {c: reasons[c] for c in CATEGORIES if reasons[c]},
    }
