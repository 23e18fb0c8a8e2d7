"""The one live cue while speaking: the section the person is in now and its clock against
its target. Pure functions over the rubric's live report, so they test without a window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starcoach.desktop import wording
from starcoach.rubric.clock import clock
from starcoach.rubric.live import LiveState
from starcoach.rubric.model import Report

if TYPE_CHECKING:
    from starcoach.rubric.pack_schema import Catalogue



@dataclass(frozen=True)
class Cue:
    label: str | None  # None: the section is not yet clear, so only the clock shows
    clock_s: float  # time spent in this section so far (or in the answer, when unsure)
    target_s: float | None

    @property
    def over(self) -> bool:
        return self.target_s is not None and self.clock_s > self.target_s

    @property
    def alert(self) -> bool:
        """The calm alert: the Situation has run past its target."""
        return self.label == "situation" and self.over

    def text(self) -> str:
        if self.label is None:
            return clock(self.clock_s)
        name = wording.section_name(self.label)
        text = f"{name} {clock(self.clock_s)}"
        if self.target_s is not None:
            text += f" / {clock(self.target_s)}"
        if self.alert:
            text += " — move on"
        return text




def targets_for(question: str | None, principle: str | None, level: str,
                lens: str | None, catalogue: Catalogue | None = None) -> dict[str, float]:
    """Section targets (seconds) of the rubric that will judge the answer, from the packs;
    the packs' default targets when the question, principle, level or lens is unknown."""
    from starcoach.rubric.pack_resolve import resolve
    from starcoach.rubric.packs import builtin_catalogue

    cat = catalogue if catalogue is not None else builtin_catalogue()
    try:
        return dict(resolve(cat, question, principle if not question else None, level,
                            lens).targets)
    except KeyError:
        return dict(cat.targets)


def current_cue(report: Report | LiveState | None, elapsed_s: float,
                marks: list[tuple[float, str]], targets: dict[str, float]) -> Cue:
    """Where the speaker is now: the section the live segmenter is confident of (a
    ``LiveState``; or the last section of a report), unless a manual mark made after its
    start says otherwise; its clock runs from its start to ``elapsed_s``. When the live
    segmenter is unsure, the cue names no section and shows the answer's clock."""
    label: str | None = "situation"
    start = 0.0
    if isinstance(report, LiveState):
        label, start = report.label, report.start_s
        if label is None:
            start = 0.0
        report = None
    if report is not None and report.sections:
        last = report.sections[-1]
        label, start = last.label, last.start_s
        if last.label == "result" and len(report.sections) == 1:
            label = "situation"  # a lone opening headline is not yet a Result section
    for t, mark_label in sorted(marks):
        if t >= start:
            label, start = mark_label, t
    if label is None:
        return Cue(None, max(0.0, elapsed_s), None)
    target = targets.get(label)
    if report is not None:
        for section in report.sections:
            if section.label == label and section.target_s is not None:
                target = section.target_s
    return Cue(label, max(0.0, elapsed_s - start), target)
