"""The answer under review: its report, the question as asked, the manual split marks and
the kept attempt it belongs to (if any). The review screen renders it and writes the
person's corrections here; the history controller reads the marks to keep them."""

from __future__ import annotations

from starcoach.desktop.state.signal import Signal
from starcoach.rubric.model import Report, Word


def marks_to_words(marks: list[tuple[float, str]], words: list[Word]) -> list[tuple[int, str]]:
    """Manual marks made at audio times → ``(word index, section)``: each mark lands on the
    first word still being spoken (or yet to come) at that moment; later marks win."""
    out: dict[int, str] = {}
    for t, label in sorted(marks):
        index = next((i for i, w in enumerate(words) if w.end > t and w.kind != "filler"),
                     None)
        if index is not None:
            out[index] = label
    return sorted(out.items())


class ReviewState:
    """``marks_changed`` fires when the marks change, ``corrected(report)`` when a
    correction re-judged the answer."""

    def __init__(self) -> None:
        self.report: Report | None = None
        self.question_text = ""
        self.attempt_id: int | None = None  # the history attempt shown, if any
        self._marks: list[tuple[int, str]] = []
        self.marks_changed = Signal()
        self.corrected = Signal()

    @property
    def marks(self) -> list[tuple[int, str]]:
        """``(word index, section)``: "<section> starts at this word", the person's own."""
        return self._marks

    @marks.setter
    def marks(self, marks: list[tuple[int, str]]) -> None:
        self._marks = list(marks)
        self.marks_changed.emit()

    def mark(self, word: int, label: str) -> None:
        """"<label> starts at ``word``", replacing a mark on the same word."""
        self.marks = [m for m in self._marks if m[0] != word] + [(word, label)]

    def show(self, report: Report, question_text: str | None = None,
             keep_marks: bool = False) -> None:
        """``report`` is shown now; a new answer (not ``keep_marks``) starts unmarked."""
        if not keep_marks:
            self.marks = []
        if question_text is not None:
            self.question_text = question_text
        self.report = report

    def take_marks(self, report: Report, timed: list[tuple[float, str]], final: bool) -> bool:
        """Mark ``report``, a transcript of the answer just recorded, with the marks made
        while speaking (``timed``, in audio seconds) or, for the exact words after the
        person corrected the split on the quick ones, with theirs carried over by time (so
        the final report keeps them). True in that case: the report must be re-judged."""
        shown = self.report
        corrected = final and shown is not None and bool(self._marks)
        if corrected:
            timed = [(shown.words[i].start, label) for i, label in self._marks
                     if i < len(shown.words)]
        self.marks = marks_to_words(timed, report.words)
        return corrected
