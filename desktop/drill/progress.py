"""Where a follow-up drill stands: the probes, each one's outcome, the rescored rating, and
what is saved to history (Qt-free, so it is simple to test and to reason about).

Each probe ends as one ``Outcome``: strong, weak, not heard (nothing judged), skipped, or
left unanswered. After every recorded reply the whole list is written with
``store.set_followups`` so a crash loses nothing; an answer opened from a file (no attempt
id) records into a temporary folder that is removed when the drill ends, and nothing is
stored. Stored entries, one per recorded probe, in probe order::

    {"id", "probe", "check", "section", "heard" (False: silence; None: recorded but not
     transcribed), "weak" (bool, or None when not judged),
     "words" (``serial.words_to_json``), "audio" (file name in the history audio folder),
     "duration_s", "findings" (``serial.finding_to_json``), "verdict" (the main rating after this
     and the earlier replies), "followup_effect" (the sentence saying why, or None),
     "answered_at" (ISO time)}
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from starcoach.desktop.errors import log
from starcoach.rubric.followups import FollowUpResult, judge_followup, rescore
from starcoach.rubric.model import Report, Word
from starcoach.rubric.pack_schema import Catalogue, FollowUp
from starcoach.rubric.serial import finding_to_json, words_to_json


@dataclass
class Outcome:
    followup: FollowUp
    audio: Path | None = None
    words: list[Word] = field(default_factory=list)
    duration_s: float = 0.0
    recorded: bool = False  # a reply's recording is finished on disk
    heard: bool | None = None  # None: not transcribed (yet)
    result: FollowUpResult | None = None
    skipped: bool = False
    answered_at: str = ""

    @property
    def judged(self) -> bool:
        return self.result is not None

    @property
    def label(self) -> str:
        """The outcome in a few words, for the summary."""
        if self.result is not None:
            return "Weak reply" if self.result.weak else "Strong reply"
        if self.heard is False:
            return "No speech heard"
        return "Not judged" if self.recorded else "Skipped"


class DrillProgress:
    """The probes of one question, answered in order, against one main report."""

    def __init__(self, main_report: Report, question_id: str, followups: Sequence[FollowUp],
                 *, level: str = "mid", lens: str | None = None,
                 attempt_id: int | None = None, store: Any = None,
                 catalogue: Catalogue | None = None) -> None:
        self.main_report = main_report
        self.question_id = question_id
        self.level, self.lens = level, lens
        self.attempt_id = attempt_id if store is not None else None
        self.store = store
        self.catalogue = catalogue
        self.outcomes = [Outcome(fu) for fu in followups]
        self.index = 0
        self._temp: Path | None = None

    # -- where we are ------------------------------------------------------------------------
    @property
    def count(self) -> int:
        return len(self.outcomes)

    @property
    def current(self) -> Outcome | None:
        return self.outcomes[self.index] if 0 <= self.index < self.count else None

    @property
    def done(self) -> bool:
        return self.index >= self.count

    @property
    def stores(self) -> bool:
        return self.attempt_id is not None

    def advance(self) -> bool:
        """Move on (an unanswered probe counts as skipped); ``False`` when none is left."""
        outcome = self.current
        if outcome is not None and not outcome.judged:
            outcome.skipped = True
        self.index = min(self.count, self.index + 1)
        return not self.done

    def finish(self) -> None:
        """End early: every probe left counts as skipped."""
        for outcome in self.outcomes[self.index:]:
            if not outcome.judged:
                outcome.skipped = True
        self.index = self.count

    # -- replies -----------------------------------------------------------------------------
    def audio_path(self, outcome: Outcome) -> Path:
        """Where the probe's reply is recorded: a retry after "no speech heard" reuses it."""
        if outcome.audio is not None and (not outcome.recorded or outcome.heard is False):
            return outcome.audio
        if self.stores:
            outcome.audio = self.store.new_audio_file(self.attempt_id)
        else:
            if self._temp is None:
                self._temp = Path(tempfile.mkdtemp(prefix="starcoach-followups-"))
            outcome.audio = self._temp / f"{outcome.followup.id}.flac"
        return outcome.audio

    def judge(self, followup: FollowUp, words: list[Word]) -> FollowUpResult:
        """The probe's check on a reply (safe on any thread: no Qt, no shared state)."""
        return judge_followup(self.question_id, followup.id, words, level=self.level,
                              lens=self.lens, catalogue=self.catalogue)

    def record(self, outcome: Outcome, words: list[Word], duration_s: float,
               heard: bool | None,
               result: FollowUpResult | None) -> None:
        """Keep a finished reply and save the drill so far (``heard=None``: recorded but not
        transcribed, e.g. the window closed mid-reply or transcription failed)."""
        outcome.words, outcome.duration_s = list(words), duration_s
        outcome.recorded, outcome.heard, outcome.result = True, heard, result
        outcome.skipped = False
        outcome.answered_at = datetime.now().astimezone().isoformat(timespec="seconds")
        self.save()

    # -- the rating --------------------------------------------------------------------------
    def results(self, upto: int | None = None) -> list[FollowUpResult]:
        chosen = self.outcomes if upto is None else self.outcomes[:upto]
        return [o.result for o in chosen if o.result is not None]

    def scores(self) -> dict:
        """The main report's scores after the replies judged so far (``rescore``)."""
        return rescore(self.main_report, self.results())

    def rating_change(self) -> str:
        """One plain line: how the main rating moved, and why."""
        scores = self.scores()
        before = self.main_report.scores.get("verdict")
        after = scores.get("verdict")
        if scores.get("followup_effect"):
            return f"{before} → {after}: {scores['followup_effect']}"
        answered = len(self.results())
        if not answered:
            return f"No follow-up was answered, so the rating stays {before}."
        left = len(self.outcomes) - answered
        if left:
            skipped = sum(1 for o in self.outcomes if o.skipped)
            unjudged = left - skipped
            parts = [f"{skipped} skipped"] if skipped else []
            if unjudged:
                parts.append(f"{unjudged} not judged")
            return (f"Your rating stays {before}: the {answered} "
                    f"{'reply' if answered == 1 else 'replies'} you gave held up "
                    f"({', '.join(parts)} of {len(self.outcomes)} follow-ups).")
        return f"Your rating stays {before}: every reply held up under the follow-ups."

    # -- saving ------------------------------------------------------------------------------
    def entries(self) -> list[dict[str, Any]]:
        out = []
        for k, o in enumerate(self.outcomes):
            if o.audio is None or not o.recorded:
                continue
            scores = rescore(self.main_report, self.results(k + 1))
            out.append({
                "id": o.followup.id, "probe": o.followup.probe, "check": o.followup.check,
                "section": o.followup.section, "heard": o.heard,
                "weak": o.result.weak if o.result is not None else None,
                "words": words_to_json(o.words), "audio": o.audio.name,
                "duration_s": round(o.duration_s, 2),
                "findings": [finding_to_json(f)
                             for f in (o.result.findings if o.result else [])],
                "verdict": scores.get("verdict"),
                "followup_effect": scores.get("followup_effect"),
                "answered_at": o.answered_at,
            })
        return out

    def save(self) -> None:
        if not self.stores:
            return
        try:
            self.store.set_followups(self.attempt_id, self.entries())
        except Exception:  # the audio is on disk either way; say so in the log
            log.exception("could not save the follow-ups of attempt %s", self.attempt_id)

    def cleanup(self) -> None:
        """Remove the temporary recordings of an answer that is not in history."""
        if self._temp is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(self._temp)
            self._temp = None
