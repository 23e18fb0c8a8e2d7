"""A timed mock interview: N questions in a row, each answered, reviewed, then the next.

Qt-free state the main window drives: the order, which question is current, the attempt
and speaking time recorded for each, and the total time since the loop began. After
each answer's review the window offers "Next question (2 of 5)" (``next_label``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from starcoach.rubric.clock import clock


@dataclass(slots=True)
class MockAnswer:
    """One question of the loop and what happened to it."""

    question_id: str
    attempt_ids: list[int] = field(default_factory=list)
    duration_s: float = 0.0  # speaking time over its attempts

    @property
    def answered(self) -> bool:
        return bool(self.attempt_ids)


class MockLoop:
    """The state of one mock interview; ``clock`` is injectable so tests need no waiting."""

    def __init__(self, question_ids: Sequence[str], minutes_per_answer: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not question_ids:
            raise ValueError("a mock interview needs at least one question")
        if len(set(question_ids)) != len(question_ids):
            raise ValueError("a mock interview asks each question once")
        if minutes_per_answer <= 0:
            raise ValueError("minutes per answer must be positive")
        self.answers = [MockAnswer(q) for q in question_ids]
        self.minutes_per_answer = float(minutes_per_answer)
        self.index = 0
        self._clock = clock
        self._started = clock()
        self._finished: float | None = None

    # ----------------------------------------------------------------- state
    @property
    def order(self) -> list[str]:
        return [a.question_id for a in self.answers]

    @property
    def current(self) -> str | None:
        """The question being answered now; ``None`` once the loop is over."""
        return None if self.done else self.answers[self.index].question_id

    @property
    def done(self) -> bool:
        return self.index >= len(self.answers)

    @property
    def position(self) -> tuple[int, int]:
        """``(n, of)`` for the current question, 1-based (``(of, of)`` when done)."""
        return min(self.index + 1, len(self.answers)), len(self.answers)

    @property
    def seconds_per_answer(self) -> float:
        return self.minutes_per_answer * 60.0

    def elapsed_s(self) -> float:
        """Wall time since the loop began (frozen when it ended)."""
        end = self._finished if self._finished is not None else self._clock()
        return max(0.0, end - self._started)

    def has_next(self) -> bool:
        return self.index + 1 < len(self.answers)

    def next_label(self) -> str:
        """The button text after a review: "Next question (2 of 5)" or "Finish mock interview"."""
        if self.has_next():
            return f"Next question ({self.index + 2} of {len(self.answers)})"
        return "Finish mock interview"

    # ----------------------------------------------------------------- changes
    def record(self, attempt_id: int, duration_s: float) -> None:
        """An answer to the current question was recorded (a retry adds another attempt)."""
        if self.done:
            raise RuntimeError("the mock interview is over")
        answer = self.answers[self.index]
        answer.attempt_ids.append(int(attempt_id))
        answer.duration_s += max(0.0, float(duration_s))

    def next(self) -> str | None:
        """Move on; returns the new current question, or ``None`` when the loop is done."""
        if not self.done:
            self.index += 1
        if self.done and self._finished is None:
            self._finished = self._clock()
        return self.current

    def stop(self) -> None:
        """End the loop early (the person left it); unanswered questions stay unanswered."""
        self.index = len(self.answers)
        if self._finished is None:
            self._finished = self._clock()

    def summary(self) -> MockSummary:
        answered = [a for a in self.answers if a.answered]
        over = [a.question_id for a in answered if a.duration_s > self.seconds_per_answer]
        return MockSummary(
            asked=len(self.answers), answered=len(answered),
            speaking_s=sum(a.duration_s for a in answered), elapsed_s=self.elapsed_s(),
            over_time=over, attempt_ids=[i for a in self.answers for i in a.attempt_ids],
            seconds_per_answer=self.seconds_per_answer,
        )


@dataclass(frozen=True, slots=True)
class MockSummary:
    asked: int
    answered: int
    speaking_s: float
    elapsed_s: float
    over_time: list[str]  # question ids whose answer ran past the time per answer
    attempt_ids: list[int]
    seconds_per_answer: float

    def text(self) -> str:
        """A short plain summary, e.g. for the end of the loop."""
        parts = [f"You answered {self.answered} of {self.asked} questions in "
                 f"{clock(self.elapsed_s)}, speaking for {clock(self.speaking_s)}."]
        if self.answered:
            if self.over_time:
                n = len(self.over_time)
                parts.append(f"{n} answer{'s' if n != 1 else ''} ran past "
                             f"{clock(self.seconds_per_answer)}.")
            else:
                parts.append(f"Every answer stayed within {clock(self.seconds_per_answer)}.")
        return " ".join(parts)

