"""Measure the rubric on the labelled corpus: ``python -m starcoach.rubric.evaluate``.

Reports word-level section accuracy and micro precision/recall/F1 of rule findings on
the held-out quarter of the corpus (never used for training), per rule as well. Timing
and structure rules are expected exactly where they fire on the *gold* sections, so
their errors measure the segmenter; content rules are expected where the corpus labels
them. ``--strip`` feeds every answer as an unpunctuated lower-case transcript.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field

from starcoach.rubric.analyze import analyze
from starcoach.rubric.corpus import HEADLINE, CorpusAnswer, FollowUpReply, load_corpus
from starcoach.rubric.packs import PRINCIPLES
from starcoach.rubric.text import estimate_words
from starcoach.rubric.training import asr_style

CATALOGUE_IDS = (
    "situation_over_time", "section_missing", "answer_over_time", "action_underweighted",
    "missing_scope_boundary", "we_language", "manager_directed", "escalation_handoff",
    "passive_handoff", "vague_motivation", "no_metric_delta", "no_business_impact",
    "no_second_order_effect", "vague_outcome", "generic_reflection", "no_systemic_insight",
    "filler_words", "hedging",
)
DERIVED = ("situation_over_time", "section_missing", "answer_over_time", "action_underweighted")


@dataclass
class Scores:
    words_right: int = 0
    words_total: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    span_hit: int = 0
    span_total: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.words_right / max(1, self.words_total)

    def prf(self, rule: str | None = None) -> tuple[float, float, float]:
        if rule is None:
            tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        else:
            tp, fp, fn = self.tp[rule], self.fp[rule], self.fn[rule]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _principle(ans: CorpusAnswer) -> str:
    return ans.principle if ans.principle in PRINCIPLES else "general"


def gold_marks(ans: CorpusAnswer) -> list[tuple[int, str]]:
    marks, prev = [], None
    for i, lab in enumerate(ans.labels):
        if lab != prev:
            marks.append((i, "result" if lab == HEADLINE else lab))
            prev = lab
    return marks


def expected_rules(ans: CorpusAnswer) -> set[str]:
    gold = analyze(ans.words, principle=_principle(ans), level=ans.level,
                   timing="estimated", marks=gold_marks(ans))
    derived = {f.rule for f in gold.findings if f.rule in DERIVED}
    return derived | (ans.expected_content_rules() & set(CATALOGUE_IDS))


def evaluate(answers: list[CorpusAnswer], strip: bool = False,
             gold_sections: bool = False) -> Scores:
    """Score ``analyze`` on ``answers``; ``gold_sections`` isolates the rules from the
    segmenter by giving them the labelled sections."""
    sc = Scores()
    for ans in answers:
        words = asr_style(ans.words) if strip else ans.words
        marks = gold_marks(ans) if gold_sections else ()
        rep = analyze(words, principle=_principle(ans), level=ans.level, timing="estimated",
                      marks=marks)
        for i, gold in enumerate(ans.labels):
            gold = "result" if gold == HEADLINE else gold
            sc.words_right += rep.section_of_word(i) == gold
            sc.words_total += 1
        predicted = {f.rule for f in rep.findings if f.rule in CATALOGUE_IDS}
        expected = expected_rules(ans)
        for rule in predicted & expected:
            sc.tp[rule] += 1
        for rule in predicted - expected:
            sc.fp[rule] += 1
            sc.errors.append(("fp", rule, ans.id))
        for rule in expected - predicted:
            sc.fn[rule] += 1
            sc.errors.append(("fn", rule, ans.id))
        for rule, first, last in ans.marks:
            sc.span_total += 1
            sc.span_hit += any(f.rule == rule and f.word_span[0] <= last
                               and f.word_span[1] >= first for f in rep.findings)
    return sc


def evaluate_followups(replies: list[FollowUpReply]) -> dict[str, Counter]:
    """Per check: tp (weak caught), fp (strong flagged), fn, tn — each reply analysed as its
    probe's section with the check forced on, as a follow-up drill does."""
    out: dict[str, Counter] = {}
    for r in replies:
        rep = analyze(estimate_words(r.text), principle="ownership", marks=[(0, r.section)],
                      rule_overrides={r.check: "major"})
        fired = any(f.rule == r.check for f in rep.findings)
        key = ("tp" if r.weak else "fp") if fired else ("fn" if r.weak else "tn")
        out.setdefault(r.check, Counter())[key] += 1
    return out


def _print_followups(which: str) -> None:
    from starcoach.rubric.corpus import load_followup_replies

    replies = [r for r in load_followup_replies()
               if which == "all" or r.development == (which == "development")]
    stats = evaluate_followups(replies)
    total: Counter = Counter()
    print(f"{len(replies)} follow-up replies ({which} half of the blind set)")
    for check, c in sorted(stats.items()):
        total += c
        p = c["tp"] / max(1, c["tp"] + c["fp"])
        r = c["tp"] / max(1, c["tp"] + c["fn"])
        print(f"{check:22} precision {p:.2f} recall {r:.2f} "
              f"(weak caught {c['tp']}/{c['tp'] + c['fn']}, strong passed "
              f"{c['tn']}/{c['tn'] + c['fp']})")
    p = total["tp"] / max(1, total["tp"] + total["fp"])
    r = total["tp"] / max(1, total["tp"] + total["fn"])
    acc = (total["tp"] + total["tn"]) / max(1, sum(total.values()))
    print(f"overall precision {p:.2f} recall {r:.2f} accuracy {acc:.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true", help="every answer, not only held-out")
    ap.add_argument("--strip", action="store_true", help="unpunctuated lower-case input")
    ap.add_argument("--errors", action="store_true", help="list each wrong (answer, rule)")
    ap.add_argument("--gold-sections", action="store_true",
                    help="give the rules the labelled sections (measures rules alone)")
    ap.add_argument("--followups", choices=("held-out", "development", "all"),
                    help="score follow-up replies from the blind set instead")
    args = ap.parse_args(argv)
    if args.followups:
        _print_followups(args.followups)
        return 0
    corpus = load_corpus()
    answers = corpus if args.all else [a for a in corpus if a.heldout]
    sc = evaluate(answers, args.strip, args.gold_sections)
    p, r, f = sc.prf()
    which = "all" if args.all else "held-out"
    print(f"{len(answers)} {which} answers{' (stripped)' if args.strip else ''}")
    print(f"section word accuracy: {sc.accuracy:.3f}")
    print(f"rule findings micro P/R/F1: {p:.3f} / {r:.3f} / {f:.3f}")
    print(f"marked spans covered by a finding of their rule: {sc.span_hit}/{sc.span_total}")
    print(f"{'rule':26} {'tp':>4} {'fp':>4} {'fn':>4}   P     R     F1")
    for rule in CATALOGUE_IDS:
        rp, rr, rf = sc.prf(rule)
        print(f"{rule:26} {sc.tp[rule]:4} {sc.fp[rule]:4} {sc.fn[rule]:4}  "
              f"{rp:.2f}  {rr:.2f}  {rf:.2f}")
    if args.errors:
        for kind, rule, aid in sorted(sc.errors, key=lambda e: (e[1], e[0])):
            print(f"  {kind} {rule:24} {aid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
