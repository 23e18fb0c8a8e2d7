"""Picking questions from the bank: at random, a timed mock loop, or the weakest areas.

Qt-free and history-agnostic: ``weakest`` takes how often each rule failed per question
(the history store provides that), so the choice can be tested and used from the CLI.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping

from starcoach.rubric.pack_schema import Catalogue, PackQuestion

_SEVERITY_WEIGHT = {"major": 3, "minor": 1, "info": 0, "off": 0}


def _pool(cat: Catalogue, principle: str | None) -> list[PackQuestion]:
    pool = [q for q in cat.questions.values() if principle is None or q.principle == principle]
    if not pool:
        raise KeyError(f"no questions for principle {principle!r}")
    return sorted(pool, key=lambda q: q.id)


def pick_random(cat: Catalogue, rng: random.Random, principle: str | None = None) -> PackQuestion:
    return rng.choice(_pool(cat, principle))


def mock_loop(cat: Catalogue, n: int, rng: random.Random,
              principles: list[str] | None = None) -> list[PackQuestion]:
    """``n`` questions in a row, as a loop would ask them: a different Leadership
    Principle each time until every principle has come up, never the general pack."""
    pool = [q for q in _pool(cat, None) if q.principle != "general"
            and (principles is None or q.principle in principles)]
    by_principle: dict[str, list[PackQuestion]] = {}
    for q in pool:
        by_principle.setdefault(q.principle, []).append(q)
    order: list[PackQuestion] = []
    while len(order) < n and by_principle:
        names = list(by_principle)
        rng.shuffle(names)
        for name in names:
            if len(order) == n:
                break
            choices = by_principle[name]
            q = choices.pop(rng.randrange(len(choices)))
            order.append(q)
            if not choices:
                del by_principle[name]
    return order


def weakest(cat: Catalogue, failures: Mapping[str, Counter], n: int = 3) -> list[PackQuestion]:
    """Questions aimed at what failed most: each failed rule counts by its usual severity,
    and a question scores the failures of its own principle's past answers. Questions not
    yet attempted come first among equals, so practice moves on to fresh stories."""
    rule_sev = {rid: spec.severity for rid, spec in cat.rules.items()}
    by_principle: Counter = Counter()
    attempted: set[str] = set()
    for qid, rules in failures.items():
        q = cat.questions.get(qid)
        if q is None:
            continue
        attempted.add(qid)
        for rule, count in rules.items():
            by_principle[q.principle] += count * _SEVERITY_WEIGHT.get(rule_sev.get(rule, ""), 1)
    if not by_principle:
        return []
    ranked = sorted(_pool(cat, None), key=lambda q: (-by_principle[q.principle],
                                                      q.id in attempted, q.id))
    return [q for q in ranked if by_principle[q.principle] > 0][:n]
