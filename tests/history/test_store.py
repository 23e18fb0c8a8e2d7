"""The attempt store on real SQLite: round trip, list/filter, notes, delete, recover, reanalyse."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from starcoach.desktop.attempts.store import AttemptNotFound, HistoryStore
from starcoach.rubric.analyze import analyze
from starcoach.rubric.model import Word


def _add(store, words, report, **meta):
    new = store.begin_attempt(**meta)
    store.finish_attempt(new.id, words, report, model="base.en")
    return new


def test_an_attempt_goes_from_recording_to_analysed_and_round_trips(store, words, report):
    new = store.begin_attempt(question="ownership-failure", pack="amazon-lp",
                              principle="ownership", level="senior", lens="dive-deep")
    assert new.audio_path.parent == store.audio_dir and new.audio_path.is_file()
    assert store.get(new.id).status == "recording"
    store.mark_recorded(new.id, 12.5)
    assert store.get(new.id).summary.duration_s == 12.5
    store.finish_attempt(new.id, words, report, marks=[(3, "task")], model="base.en")

    got = store.get(new.id)
    assert got.status == "analysed"
    assert got.words == [Word(w.text, round(w.start, 3), round(w.end, 3)) for w in words]
    assert got.marks == [(3, "task")]
    assert got.report == json.loads(json.dumps(report.to_json()))
    s = got.summary
    assert (s.question, s.pack, s.principle, s.level, s.lens, s.model) == (
        "ownership-failure", "amazon-lp", "ownership", "senior", "dive-deep", "base.en")
    assert s.rubric_version == report.rubric_version
    assert s.verdict == report.scores["verdict"] and s.finding_count == len(report.findings)
    assert store.audio_file(new.id) is None  # reserved, still empty
    new.audio_path.write_bytes(b"fLaC")
    assert store.audio_file(new.id) == new.audio_path
    assert HistoryStore(store.path).get(new.id) == got  # another connection sees it


def test_list_filters_and_orders_newest_first_without_parsing_reports(store, words, report):
    now = datetime.now(UTC)
    a = _add(store, words, report, question="ownership-failure", principle="ownership",
             started_at=now - timedelta(days=10))
    b = _add(store, words, report, question="customer-story", principle="customer-obsession",
             started_at=now - timedelta(days=1))
    c = _add(store, words, report, question="ownership-failure", principle="ownership",
             started_at=now)
    store.set_notes(b.id, "tried 100% of the _new_ opening")
    assert [r.id for r in store.list()] == [c.id, b.id, a.id]
    assert [r.id for r in store.list(question="ownership-failure")] == [c.id, a.id]
    assert [r.id for r in store.list(principle="customer-obsession")] == [b.id]
    assert [r.id for r in store.list(since=now - timedelta(days=2))] == [c.id, b.id]
    assert [r.id for r in store.list(since=(now - timedelta(days=2)).date().isoformat())] == [
        c.id, b.id]
    assert [r.id for r in store.list(text="CHECKOUT")] == [c.id, b.id, a.id]
    assert [r.id for r in store.list(text="100% of the _new")] == [b.id]  # literal % and _
    assert store.list(text="10_%") == []
    assert store.list(text="no such words") == []
    row = store.list(limit=1)[0]
    assert (row.verdict, row.finding_count) == (report.scores["verdict"], len(report.findings))
    # Listing reads columns only: a report the list would choke on changes nothing.
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE attempts SET report_json = 'not json'")
    assert len(store.list()) == 3


def test_notes_and_delete_remove_only_that_attempt_and_its_audio(store, words, report):
    a, b = _add(store, words, report), _add(store, words, report)
    store.set_notes(a.id, "slow start")
    assert store.get(a.id).summary.notes == "slow start"
    store.delete(a.id)
    assert not a.audio_path.exists() and b.audio_path.exists()
    assert [r.id for r in store.list()] == [b.id]
    for call in (store.get, store.delete, lambda i: store.set_notes(i, "x")):
        with pytest.raises(AttemptNotFound, match=f"no attempt with id {a.id}"):
            call(a.id)


def test_reanalyse_uses_stored_words_and_marks_and_updates_the_rubric_version(
        store, words, report):
    old = analyze(words, question="ownership-failure", timing="estimated")
    old.rubric_version = "0.stale"
    new = store.begin_attempt(question="ownership-failure", principle="ownership")
    store.finish_attempt(new.id, words, old, marks=[(0, "situation"), (20, "action")])
    recovered = store.begin_attempt(principle="ownership")  # no words: nothing to re-judge
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE attempts SET status = 'recovered', owner = NULL WHERE id = ?",
                   (recovered.id,))
    before = store.get(new.id)

    results = store.reanalyse()
    assert [(r.id, r.old_version, r.new_version, r.error) for r in results] == [
        (new.id, "0.stale", report.rubric_version, None)]
    after = store.get(new.id)
    assert after.words == before.words and after.marks == before.marks
    assert after.summary.rubric_version == report.rubric_version
    labels = [s["label"] for s in after.report["sections"]]
    assert after.report["sections"][labels.index("action")]["first_word"] == 20  # the mark
    assert after.report["timing"] == "estimated"

    (only,) = store.reanalyse(recovered.id)
    assert only.error and "no transcript" in only.error
    with pytest.raises(AttemptNotFound):
        store.reanalyse(9999)


def _partial_flac(path, seconds: float) -> None:
    """A FLAC file as a killed recorder leaves it: frames written, never closed."""
    from starcoach.speech.flacfile import FlacWriter

    writer = FlacWriter(path, 16_000)
    t = np.arange(int(seconds * 16_000)) / 16_000
    writer.write((0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))
    writer._file.close()  # no close(): the length field stays unknown


def test_recover_marks_dead_recordings_and_leaves_live_ones(store):
    live = store.begin_attempt(question="ownership-failure")
    dead = store.begin_attempt(question="ownership-failure")
    gone = store.begin_attempt(question="ownership-failure")
    _partial_flac(dead.audio_path, 2.0)
    gone.audio_path.unlink()
    with sqlite3.connect(store.path) as db:  # as if a process that has exited started them
        db.execute("UPDATE attempts SET owner = 'nohost:1' WHERE id IN (?, ?)",
                   (dead.id, gone.id))
    assert sorted(store.recover()) == [dead.id, gone.id]
    assert store.get(live.id).status == "recording"  # this process is still recording it
    got = store.get(dead.id)
    assert got.status == "recovered" and got.audio_path.is_file()
    assert 2.0 - 0.1 <= got.summary.duration_s <= 2.0
    assert store.get(gone.id).summary.duration_s == 0.0
    assert store.recover() == []


def test_rule_failures_count_findings_per_question(tmp_path):
    from starcoach.desktop.attempts.store import HistoryStore
    from starcoach.rubric.analyze import analyze
    from starcoach.rubric.text import estimate_words

    words = estimate_words("We looked at the logs and we fixed it and the team was happy.")
    report = analyze(words, question="ownership-failure")
    with HistoryStore(tmp_path / "h.sqlite3") as store:
        new = store.begin_attempt(question="ownership-failure", principle="ownership",
                                  level="mid")
        store.finish_attempt(new.id, words, report, [], "test")
        failures = store.rule_failures()
    assert failures["ownership-failure"]["we_language"] >= 1
    assert sum(failures["ownership-failure"].values()) == len(report.findings)


def test_followup_replies_are_kept_with_their_attempt_and_deleted_with_it(store, words, report):
    keep = store.begin_attempt(question="ownership-failure")
    store.finish_attempt(keep.id, words, report)
    other = store.begin_attempt(question="ownership-failure")
    reply = store.new_audio_file(keep.id)
    reply.write_bytes(b"fLaC reply")
    other_reply = store.new_audio_file(other.id)
    assert reply.parent == store.audio_dir and reply != other_reply
    drill = [{"followup": "did-you-escalate", "weak": True, "audio": reply.name,
              "words": [{"text": "I", "start": 0.0, "end": 0.2}]}]
    store.set_followups(keep.id, drill)

    assert store.get(keep.id).followups == drill
    assert store.get(other.id).followups == []
    with pytest.raises(AttemptNotFound):
        store.set_followups(9999, drill)

    store.delete(keep.id)
    assert not reply.exists() and not keep.audio_path.exists()
    assert other_reply.exists() and other.audio_path.exists()
