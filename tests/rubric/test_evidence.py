"""The evidence layer: roles read from clauses, the clause-tagged corpus, and the tagger's
held-out figures (floors are the measured values, rounded down)."""

from __future__ import annotations

import pytest
from starcoach.rubric.evidence import TAGS, default_model, tag
from starcoach.rubric.evidence_corpus import (
    EvidenceCorpusError,
    gold_rules,
    load_evidence,
    parse_evidence,
)
from starcoach.rubric.roles import roles, stem
from starcoach.rubric.text import split_units, tokenize

from .conftest import timed


def _roles(text: str) -> list[tuple[str, str, tuple[str, ...], bool]]:
    toks = tokenize(timed(text))
    norms, raws = [t.norm for t in toks], [t.raw for t in toks]
    return [(r.subject, r.verb, r.classes, r.negated)
            for r in roles(norms, raws, 0, len(toks) - 1)]


def test_stems_join_tenses():
    assert stem("sent") == stem("send") == stem("sending")
    assert stem("escalated") == stem("escalate") == stem("escalating")
    assert stem("handled") == stem("handles")


@pytest.mark.parametrize(("text", "subject", "verb_class"), [
    ("and they handled it from there", "oth", "fix"),
    ("their database team patched the index that night", "oth", "fix"),
    ("so I go through the logs myself", "spk", None),
    ("I patched the parser", "spk", "fix"),
    ("we dug into the logs", "we", "investigate"),
    ("my manager asked me to look at it", "mgr", "direct"),
    ("and Priya sorted it out the next day", "oth", "fix"),
])
def test_roles_name_who_does_what(text, subject, verb_class):
    found = _roles(text)
    assert found, text
    s, _, classes, _ = found[0]
    assert s == subject
    assert verb_class is None or verb_class in classes


def test_negation_is_carried_on_the_role():
    assert _roles("I didn't fix it")[0][3] is True
    assert _roles("I fixed it")[0][3] is False


def test_corpus_parses_and_states_every_tag():
    answers = load_evidence()
    replies = load_evidence(followups=True)
    assert len(answers) >= 150 and len(replies) >= 300
    seen = {t for a in answers for c in a.clauses for t in c.tags}
    assert seen == set(TAGS)
    for a in answers:
        assert len(a.words) == len(a.labels) == len(a.clause_of)


def test_malformed_corpus_block_is_refused_with_its_id():
    with pytest.raises(EvidenceCorpusError, match=r"x-1.*unknown tag"):
        parse_evidence("=== x-1\nprinciple: ownership\n[action]\nowns | I did it\n")
    with pytest.raises(EvidenceCorpusError, match=r"x-2.*not 'TAGS"):
        parse_evidence("=== x-2\n[action]\nI did it without tags\n")


def test_gold_rules_follow_the_tags():
    block = ("=== t-1\nprinciple: ownership\nlevel: senior\n[situation]\n"
             "scope | The job was not ours.\n[task]\nreason | Customers were paid late.\n"
             "[action]\nown | I pulled the logs.\nhandoff | So I sent their lead a note,\n"
             "other | and they fixed it.\n[result]\ndelta business second | Late pay fell "
             "from 2% to zero and they added the check elsewhere.\n[reflection]\n"
             "lesson | Now I ask who gets paged.\n")
    assert gold_rules(parse_evidence(block)[0]) == {"escalation_handoff",
                                                   "no_systemic_insight"}


def test_tagger_hears_a_handoff_and_another_party_fixing():
    words = timed("I pulled three weeks of logs and found the bad rows. So I flagged it to "
                  "the billing team in their channel, and their engineers fixed it a day "
                  "later.")
    toks = tokenize(words)
    units = split_units(toks, words)
    ev = tag(toks, units, default_model())
    hand = max(range(len(units)), key=lambda u: ev.p(u, "handoff"))
    other = max(range(len(units)), key=lambda u: ev.p(u, "other"))
    assert ev.p(hand, "handoff") > 0.5 and ev.p(other, "other") > 0.5
    assert ev.p(0, "own") > 0.5


# Held-out quarter of the clause-tagged corpus, end to end (``evaluate --evidence``, and with
# ``--whisper`` the answers as real tiny.en wrote them from espeak-ng's speech). Floors are
# the measured values (0.733 / 0.583), rounded down.
EVIDENCE_F1_FLOOR = {"written": 0.73, "whisper": 0.58}


@pytest.mark.parametrize("rendering", sorted(EVIDENCE_F1_FLOOR))
def test_heldout_evidence_rule_f1(rendering):
    from starcoach.rubric.evaluate import evaluate_evidence

    held = [a for a in load_evidence() if a.heldout]
    f1 = evaluate_evidence(held, whisper=rendering == "whisper").prf()[2]
    assert f1 >= EVIDENCE_F1_FLOOR[rendering]
