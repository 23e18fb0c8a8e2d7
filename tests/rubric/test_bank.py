"""Choosing questions: random, a mock loop across principles, and the weakest areas."""

from __future__ import annotations

import random
from collections import Counter

from starcoach.rubric import bank
from starcoach.rubric.pack_schema import PRINCIPLES
from starcoach.rubric.packs import builtin_catalogue


def test_random_pick_respects_the_principle():
    cat = builtin_catalogue()
    rng = random.Random(1)
    picks = {bank.pick_random(cat, rng, "frugality").principle for _ in range(20)}
    assert picks == {"frugality"}


def test_mock_loop_asks_a_different_principle_each_time():
    cat = builtin_catalogue()
    loop = bank.mock_loop(cat, 16, random.Random(7))
    assert len(loop) == 16 and len({q.id for q in loop}) == 16
    assert {q.principle for q in loop} == set(PRINCIPLES)
    longer = bank.mock_loop(cat, 20, random.Random(7))
    assert len({q.id for q in longer}) == 20 and "general" not in {q.principle for q in longer}


def test_weakest_aims_at_the_principle_that_failed_most():
    cat = builtin_catalogue()
    failures = {
        "ownership-failure": Counter({"escalation_handoff": 2, "we_language": 3}),
        "frugality-cut-waste": Counter({"hedging": 1}),
    }
    picks = bank.weakest(cat, failures, n=5)
    assert [q.principle for q in picks] == ["ownership"] * 4 + ["frugality"]
    assert picks[3].id == "ownership-failure"  # fresh stories before the one already told
    assert bank.weakest(cat, {}) == []
