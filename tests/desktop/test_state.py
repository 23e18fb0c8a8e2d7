"""The application state (``desktop.state``) without any widget: the choice, the answer
under review and its marks, the attempt in progress, the store handle, and that neither it
nor the shared job runner loads more than it needs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from starcoach.desktop.state.app import AppState, StoreHandle
from starcoach.desktop.state.choice import QuestionChoice
from starcoach.desktop.state.practice import PracticeState
from starcoach.desktop.state.review import ReviewState
from starcoach.desktop.state.signal import Signal
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import Word
from starcoach.rubric.packs import PackLibrary, builtin_catalogue
from starcoach.rubric.text import estimate_words


def test_a_signal_calls_its_slots_in_order_until_disconnected():
    sig, calls = Signal(), []
    first = sig.connect(lambda *a: calls.append(("first", a)))
    sig.connect(lambda *a: calls.append(("second", a)))
    sig.emit(1, "x")
    sig.disconnect(first)
    sig.emit(2)
    assert calls == [("first", (1, "x")), ("second", (1, "x")), ("second", (2,))]
    assert len(sig) == 1


def test_the_choice_keeps_only_what_the_catalogue_offers():
    choice = QuestionChoice()
    changes, selections = [], []
    choice.changed.connect(lambda: changes.append(choice.question_id()))
    choice.selected.connect(lambda: selections.append(choice.question_id()))
    assert choice.question_id() is None and choice.level_id() == "mid"
    choice.select("ownership-failure", "senior", "dive-deep")
    assert (choice.question_id(), choice.level_id(), choice.lens_id()) == \
        ("ownership-failure", "senior", "dive-deep")
    assert changes == selections == ["ownership-failure"]
    choice.select("ownership-failure", "senior", "dive-deep")  # nothing new: no change
    assert changes == ["ownership-failure"] and len(selections) == 2
    choice.select("no-such-question", "no-such-level", "no-such-lens")
    assert choice.question_id() == choice.question_ids()[0]
    assert choice.level_id() == "senior" and choice.lens_id() is None
    q = choice.catalogue.questions["ownership-failure"]
    choice.select(q.id, "mid", q.lenses[0])
    other = next(x for x in choice.catalogue.questions.values() if q.lenses[0] not in x.lenses)
    choice.set_question(other.id)  # the person picks a question without that lens
    assert choice.lens_id() is None
    question = choice.question()
    assert (question.id, question.principle, question.pack) == \
        (other.id, other.principle, other.pack)
    assert choice.details().endswith("Mid level")
    choice.set_question(None)  # a principle's heading is the current row
    assert choice.question_id() is None and choice.question_text() == ""


def test_reloading_the_catalogue_keeps_the_choice_and_says_so():
    choice = QuestionChoice()
    choice.select("ownership-failure", "junior", None)
    events = []
    choice.catalogue_changed.connect(lambda: events.append("catalogue"))
    choice.changed.connect(lambda: events.append("changed"))
    choice.selected.connect(lambda: events.append("selected"))
    choice.reload_catalogue()
    assert events == ["catalogue", "selected"]
    assert (choice.question_id(), choice.level_id()) == ("ownership-failure", "junior")


def test_the_choice_follows_its_own_library_and_no_other(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text('[pack]\nid = "mine"\nname = "Mine"\n\n[[questions]]\nid = "my-outage"\n'
                    'principle = "ownership"\ntext = "Tell me about an outage you led."\n',
                    encoding="utf-8")
    state, other = AppState(library=PackLibrary()), AppState()
    assert state.choice.library is state.library
    assert state.library.set_extra([pack]) == []
    state.choice.reload_catalogue("my-outage")
    assert state.choice.question_id() == "my-outage"
    assert "my-outage" in state.catalogue.questions
    assert "my-outage" not in other.catalogue.questions  # each state its own packs
    assert "my-outage" not in builtin_catalogue().questions


def test_marks_made_while_speaking_land_on_words_and_corrections_carry_over():
    review = ReviewState()
    seen = []
    review.marks_changed.connect(lambda: seen.append(list(review.marks)))
    quick = analyze(estimate_words("We had an outage. I fixed the retry logic myself."),
                    principle="ownership")
    # a mark made while word 3 is spoken lands on it
    assert not review.take_marks(quick, [(quick.words[3].start + 0.01, "action")], False)
    review.show(quick, "Tell me", keep_marks=True)
    assert review.marks == [(3, "action")] and seen[-1] == [(3, "action")]
    review.mark(6, "result")
    review.mark(6, "task")  # the same word again: replaced
    assert review.marks == [(3, "action"), (6, "task")]
    exact = analyze([Word(w.text, w.start + 0.001, w.end) for w in quick.words],
                    principle="ownership")
    assert review.take_marks(exact, [], True)  # the person's corrections carry to the words
    assert review.marks == [(3, "action"), (6, "task")]
    review.show(exact)
    assert review.marks == [] and review.question_text == "Tell me"


def test_the_attempt_in_progress_says_when_recording_starts_and_stops():
    practice, events = PracticeState(), []
    practice.recording_changed.connect(events.append)
    from starcoach.desktop.state.choice import Question

    practice.started(Question("ownership-failure", "ownership"), 7)
    assert practice.recording and practice.attempt.attempt_id == 7
    practice.stopped()
    assert not practice.recording and events == [True, False]


def test_the_store_opens_on_first_use_and_retries_after_a_failure(tmp_path, monkeypatch):
    from starcoach.desktop.attempts.records import HistoryError

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(blocked / "data"))
    handle = StoreHandle()
    for _ in range(2):  # asked again, it tries again
        with pytest.raises(HistoryError):
            handle()
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(tmp_path / "data"))
    state = AppState()
    assert state.store is state.open_store() is state.store
    state.store.close()


def test_the_state_the_live_cue_and_the_job_runner_load_no_screen():
    probe = ("import json, sys\n"
             "import starcoach.desktop.state.app, starcoach.desktop.state.choice\n"
             "import starcoach.desktop.practice.cue, starcoach.desktop.practice.faults\n"
             "state = sorted(m for m in sys.modules if m.startswith(('PySide6', "
             "'starcoach.desktop.')))\n"
             "import starcoach.desktop.jobs\n"
             "jobs = sorted(m for m in sys.modules if m.startswith('starcoach.desktop.'))\n"
             "print(json.dumps([state, jobs]))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, check=True)
    state, jobs = json.loads(out.stdout.strip().splitlines()[-1])
    assert not [m for m in state if m.startswith("PySide6")], state
    screens = ("practice.screen", "review", "history", "drill", "bank", "app", "chooser")
    for loaded in (state, jobs):
        assert not [m for m in loaded if m.startswith(tuple(f"starcoach.desktop.{s}"
                                                            for s in screens))], loaded
