"""STAR segmentation on the labelled corpus and on answers written for these tests."""

from __future__ import annotations

import itertools

import pytest
from starcoach.rubric.analyze import analyze
from starcoach.rubric.corpus import HEADLINE, load_corpus
from starcoach.rubric.evaluate import evaluate
from starcoach.rubric.model import SECTION_LABELS, Word

from .conftest import timed

# Floors measured on the held-out quarter (see the closing note / `python -m
# starcoach.rubric.evaluate`); a regression below them fails the build.
HELDOUT_ACCURACY_FLOOR = 0.89  # measured 0.903
HELDOUT_STRIPPED_FLOOR = 0.86  # measured 0.870


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_is_large_and_varied(corpus):
    assert len(corpus) >= 80
    assert len({a.principle for a in corpus}) >= 15
    assert {a.level for a in corpus} == {"junior", "mid", "senior", "principal"}
    heldout = [a for a in corpus if a.heldout]
    assert 0.15 * len(corpus) <= len(heldout) <= 0.35 * len(corpus)


def test_heldout_word_accuracy(corpus):
    heldout = [a for a in corpus if a.heldout]
    assert evaluate(heldout).accuracy >= HELDOUT_ACCURACY_FLOOR


def test_heldout_word_accuracy_without_punctuation(corpus):
    heldout = [a for a in corpus if a.heldout]
    assert evaluate(heldout, strip=True).accuracy >= HELDOUT_STRIPPED_FLOOR


def test_labels_never_go_backwards(corpus):
    order = {lab: i for i, lab in enumerate(SECTION_LABELS)}
    for ans in corpus[::3]:
        rep = analyze(ans.words, principle="general", level=ans.level)
        labels = [s.label for s in rep.sections]
        if len(labels) > 1 and labels[0] == "result" and labels[1] != "result":
            labels = labels[1:]  # an opening headline may precede the situation
        assert all(order[a] < order[b] for a, b in itertools.pairwise(labels)), (
            ans.id, labels)


def test_sections_tile_the_words(corpus):
    ans = corpus[0]
    rep = analyze(ans.words, principle="general")
    assert rep.sections[0].first_word == 0
    assert rep.sections[-1].last_word == len(ans.words) - 1
    for a, b in zip(rep.sections, rep.sections[1:], strict=False):
        assert b.first_word == a.last_word + 1
        assert b.start_s == pytest.approx(a.end_s)


UNSEEN = (
    "okay so at my last job I ran the night shift at a regional distribution centre, "
    "about forty pickers, and our cold chain trucks kept leaving late which meant stores "
    "got their dairy after opening. nobody had asked me to look at dispatch, that was the "
    "transport office, but I wanted to get the trucks out on time because every late truck "
    "meant the store threw away stock. so I timed every step of the loading for two weeks "
    "with a stopwatch and a spreadsheet, I found the chillers were being loaded last "
    "because of how the pick lists were sorted, I rewrote the pick list order with the "
    "transport planner and I trained the team leads on it over three shifts. after that "
    "late departures went from eleven a week to one, which the finance team put at about "
    "four thousand dollars a month of waste avoided, and two other sites copied the pick "
    "list order. looking back I'd have gone to the transport office in week one instead "
    "of building the case alone, and I now check how a process is sorted before I blame "
    "the people running it."
)


def test_unseen_answer_gets_all_five_sections_in_order():
    rep = analyze(timed(UNSEEN), principle="ownership")
    labels = [s.label for s in rep.sections]
    assert labels == list(SECTION_LABELS)
    text = {s.label: " ".join(w.text for w in rep.words[s.first_word:s.last_word + 1])
            for s in rep.sections}
    assert "I timed every step" in text["action"]
    assert "late departures went from eleven" in text["result"]
    assert "looking back" in text["reflection"]


def test_headline_result_is_allowed_first():
    headline = ("The short version is that I cut our checkout failures from four percent "
                "to half a percent in six weeks. ")
    rep = analyze(timed(headline + UNSEEN), principle="ownership")
    assert rep.sections[0].label == "result"
    assert rep.sections[1].label in ("situation", "task")
    assert rep.sections[0].last_word < 25


def test_section_times_come_from_word_times():
    words = timed(UNSEEN)
    shifted = [Word(w.text, w.start * 2, w.end * 2) for w in words]
    a = analyze(words, principle="ownership")
    b = analyze(shifted, principle="ownership")
    assert [s.label for s in a.sections] == [s.label for s in b.sections]
    for sa, sb in zip(a.sections, b.sections, strict=True):
        assert sb.duration_s == pytest.approx(2 * sa.duration_s, rel=1e-6)


def test_manual_marks_override_the_split():
    words = timed(UNSEEN)
    rep = analyze(words, principle="ownership", marks=[(0, "situation"), (10, "task"),
                                                         (20, "action")])
    assert [s.label for s in rep.sections][:3] == ["situation", "task", "action"]
    assert rep.sections[1].first_word == 10 and rep.sections[2].first_word == 20


def test_gold_headline_is_scored_as_result(corpus):
    with_headline = [a for a in corpus if a.labels and a.labels[0] == HEADLINE]
    assert with_headline, "the corpus should hold lead-with-the-outcome answers"
    hits = 0
    for ans in with_headline:
        rep = analyze(ans.words, principle="general")
        hits += rep.section_of_word(0) == "result"
    assert hits / len(with_headline) >= 0.6


def test_no_invented_headlines_on_heldout(corpus):
    plain = [a for a in corpus if a.heldout and a.labels[0] != HEADLINE]
    invented = [a.id for a in plain
                if analyze(a.words, principle="general").section_of_word(0) == "result"]
    assert invented == []


def test_training_is_reproducible(corpus):
    from starcoach.rubric.training import train

    few = [a for a in corpus if not a.heldout][:6]
    a = train(few, 1e-4)
    b = train(few, 1e-4)
    assert a.to_json() == b.to_json()
    assert a.boundary_weights is not None and abs(a.weights).sum() > 0


EVIDENCE_FLOORS = {  # measured 0.936 / 0.868 (all) and 0.913 / 0.836 (published, terse)
    ("all", False): 0.93, ("all", True): 0.86,
    ("published", False): 0.91, ("published", True): 0.83,
}


@pytest.mark.parametrize(("group", "strip"), sorted(EVIDENCE_FLOORS))
def test_heldout_word_accuracy_on_the_clause_tagged_corpus(group, strip):
    """Short published-style four-part answers as well as long spoken ones."""
    from starcoach.rubric.evidence_corpus import load_evidence
    from starcoach.rubric.segment import default_model
    from starcoach.rubric.training import word_accuracy

    held = [a for a in load_evidence() if a.heldout]
    if group == "published":
        held = [a for a in held if a.style in ("published", "terse")]
    assert len(held) >= 20
    assert word_accuracy(default_model(), held, strip) >= EVIDENCE_FLOORS[(group, strip)]
