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
from starcoach.rubric.pack_schema import PRINCIPLES
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

    def tally(self, predicted: set[str], expected: set[str], answer_id: str) -> None:
        """Count one answer's findings against the rules it should raise."""
        for rule in predicted & expected:
            self.tp[rule] += 1
        for rule in predicted - expected:
            self.fp[rule] += 1
            self.errors.append(("fp", rule, answer_id))
        for rule in expected - predicted:
            self.fn[rule] += 1
            self.errors.append(("fn", rule, answer_id))

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
        sc.tally(predicted, expected, ans.id)
        for rule, first, last in ans.marks:
            sc.span_total += 1
            sc.span_hit += any(f.rule == rule and f.word_span[0] <= last
                               and f.word_span[1] >= first for f in rep.findings)
    return sc


def evaluate_followups(replies: list[FollowUpReply]) -> dict[str, Counter]:
    """Per check: tp (weak caught), fp (strong flagged), fn, tn — each reply analysed as its
    probe's section with the check forced on, as a follow-up drill does."""
    out: dict[str, Counter] = {}
    from starcoach.rubric.followups import judge_words

    for r in replies:
        fired = judge_words(r.check, r.section, estimate_words(r.text)).weak
        key = ("tp" if r.weak else "fp") if fired else ("fn" if r.weak else "tn")
        out.setdefault(r.check, Counter())[key] += 1
    return out


def evaluate_evidence(answers: list, strip: bool = False, gold_sections: bool = False,
                      whisper: bool = False) -> Scores:
    """Score ``analyze`` on clause-tagged answers against the rules their tags imply
    (``evidence_corpus.gold_rules``) plus the timing rules of their labelled sections."""
    from starcoach.rubric.evidence_corpus import gold_rules
    from starcoach.rubric.evidence_training import (
        active_rules,
        gold_marks,
        principle_of,
        whisper_rendering,
    )

    sc = Scores()
    for ans in answers:
        words, clause_of = ans.words, ans.clause_of
        if whisper:
            rendered = whisper_rendering(ans)
            if rendered is None or not rendered[0]:
                continue
            words, clause_of = rendered
        elif strip:
            words = asr_style(words)
        labels = [ans.clauses[c].label for c in clause_of]
        marks = gold_marks(ans, clause_of)
        rep = analyze(words, principle=principle_of(ans), level=ans.level,
                      timing="estimated", marks=marks if gold_sections else ())
        gold_rep = analyze(words, principle=principle_of(ans), level=ans.level,
                           timing="estimated", marks=marks)
        for i, gold in enumerate(labels):
            gold = "result" if gold == HEADLINE else gold
            sc.words_right += rep.section_of_word(i) == gold
            sc.words_total += 1
        active = active_rules(ans)
        expected = (gold_rules(ans) & active) | {f.rule for f in gold_rep.findings
                                                 if f.rule in DERIVED}
        judged = active | set(DERIVED)
        predicted = {f.rule for f in rep.findings if f.rule in judged}
        sc.tally(predicted, expected, ans.id)
    return sc


def evaluate_tagged_followups(replies: list) -> dict[str, Counter]:
    """Per check, as ``evaluate_followups`` but on the clause-tagged reply set."""
    from starcoach.rubric.followups import judge_words

    out: dict[str, Counter] = {}
    for r in replies:
        check, weak = r.probe["check"], r.probe["label"] == "weak"
        fired = judge_words(check, r.probe.get("section", "action"), r.words).weak
        key = ("tp" if weak else "fp") if fired else ("fn" if weak else "tn")
        out.setdefault(check, Counter()).update([key])
    return out


def _print_counts(stats: dict[str, Counter]) -> None:
    total: Counter = Counter()
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


def _print_tagged_followups() -> None:
    from starcoach.rubric.evidence_corpus import load_evidence

    replies = [r for r in load_evidence(followups=True) if r.heldout]
    print(f"{len(replies)} held-out clause-tagged follow-up replies")
    _print_counts(evaluate_tagged_followups(replies))


def _print_followups(which: str) -> None:
    from starcoach.rubric.corpus import load_followup_replies

    replies = [r for r in load_followup_replies()
               if which == "all" or r.development == (which == "development")]
    print(f"{len(replies)} follow-up replies ({which} half of the blind set)")
    _print_counts(evaluate_followups(replies))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true", help="every answer, not only held-out")
    ap.add_argument("--strip", action="store_true", help="unpunctuated lower-case input")
    ap.add_argument("--errors", action="store_true", help="list each wrong (answer, rule)")
    ap.add_argument("--gold-sections", action="store_true",
                    help="give the rules the labelled sections (measures rules alone)")
    ap.add_argument("--followups", choices=("held-out", "development", "all", "tagged"),
                    help="score follow-up replies from the blind set (or the held-out "
                         "quarter of the clause-tagged replies) instead")
    ap.add_argument("--live", nargs=2, metavar=("AUDIO_DIR", "WORDS_DIR"),
                    help="replay recognised answers through the live cue, against truth spans")
    ap.add_argument("--evidence", action="store_true",
                    help="the clause-tagged corpus (assets/corpus/evidence) instead")
    ap.add_argument("--whisper", action="store_true",
                    help="with --evidence: the answers as real tiny.en transcribed them")
    args = ap.parse_args(argv)
    if args.live:
        _print_live(*args.live)
        return 0
    if args.followups == "tagged":
        _print_tagged_followups()
        return 0
    if args.followups:
        _print_followups(args.followups)
        return 0
    if args.evidence:
        from starcoach.rubric.evidence_corpus import load_evidence

        corpus = load_evidence()
        answers = corpus if args.all else [a for a in corpus if a.heldout]
        sc = evaluate_evidence(answers, args.strip, args.gold_sections, args.whisper)
    else:
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



def live_cue_accuracy(words: list, segments: list[dict], *, step_s: float = 1.0,
                      lag_s: float = 1.5, answer_target_s: float = 120.0,
                      situation_target_s: float = 45.0, **options: float) -> Counter:
    """Replay an answer as the live cue sees it: every ``step_s``, the words recognised up
    to ``lag_s`` ago; count ticks where the cue named a section, named the right one
    (the true section being spoken, or the last one during a pause), showed the
    Situation alert while the speaker had moved on, and, of the ticks where the Situation
    really had run past its target, those where the alert showed."""
    from starcoach.rubric.live import live_state
    from starcoach.rubric.live_training import replay

    out: Counter = Counter()
    for t, heard, now in replay(words, segments, step_s, (lag_s,)):
        state = live_state(heard, t, answer_target_s=answer_target_s,
                           situation_target_s=situation_target_s, **options)
        truth, since = now["label"], now["start_s"]
        out["ticks"] += 1
        alert = state.label == "situation" and t - state.start_s > situation_target_s
        if state.label is not None:
            out["named"] += 1
            out["right"] += state.label == truth
            out["false_alert"] += alert and truth != "situation"
        if truth == "situation" and t - since > situation_target_s:
            out["alert_due"] += 1
            out["alert_shown"] += alert
    return out


def _print_live(audio_dir: str, words_dir: str, **options: float) -> None:
    """``--live AUDIO_DIR WORDS_DIR``: truth spans from ``<id>.truth.json`` (the dev set's
    layout), recognised words from ``<id>.json`` (``{"words": [...]}``)."""
    import json
    from pathlib import Path

    from starcoach.rubric.inputs import parse_words_json

    total: Counter = Counter()
    for truth_path in sorted(Path(audio_dir).glob("*.truth.json")):
        case = truth_path.name[: -len(".truth.json")]
        wpath = Path(words_dir) / f"{case}.json"
        if not wpath.exists():
            continue
        truth = json.loads(truth_path.read_text())
        words = parse_words_json(wpath.read_text(), str(wpath))
        c = live_cue_accuracy(words, truth["segments"], **options)
        total += c
        print(f"{case:40} named {c['named']:4}/{c['ticks']:4}  right "
              f"{c['right'] / max(1, c['named']):.2f}  false alerts {c['false_alert']}")
    print(f"overall: named {total['named'] / max(1, total['ticks']):.2f} of the time, right "
          f"{total['right'] / max(1, total['named']):.3f} of the time it named one, "
          f"false alerts {total['false_alert']} s, Situation alert shown "
          f"{total['alert_shown']} of {total['alert_due']} s it was due")


if __name__ == "__main__":
    sys.exit(main())
