"""The Task starts where the speaker draws their remit, even told as more context."""

from __future__ import annotations

import pytest
from starcoach.rubric.analyze import analyze
from starcoach.rubric.text import estimate_words

ANSWER = (
    "At the bakery chain I ran the night shift at our biggest plant. About one tray of rye "
    "in ten was coming out of the ovens underbaked, and the bad trays went straight in the "
    "bin. The ovens weren't my responsibility. They belonged to the maintenance contractor, "
    "there was no work order open for it, and no one had asked me to look into it. But we "
    "were binning about four hundred pounds of bread a week, so I took it on. I logged the "
    "core temperature of every tray for a week, I found the back left burner ran cold, and "
    "I had it recalibrated. Underbaked trays went from one in ten to one in two hundred, "
    "which saved about four hundred pounds a week. I learned to measure before I blame the "
    "recipe.")


@pytest.mark.parametrize("punctuated", [True, False])
def test_a_remit_told_as_context_starts_the_task(punctuated):
    text = ANSWER if punctuated else ANSWER.lower().replace(",", "").replace(".", "")
    rep = analyze(estimate_words(text), principle="ownership")
    said = [w.text.strip(",.").lower() for w in rep.words]
    assert rep.section_of_word(said.index("plant")) == "situation"
    for word in ("responsibility", "contractor"):
        assert rep.section_of_word(said.index(word)) == "task", word
    labels = [rep.section_of_word(i) for i in range(len(said))]
    order = ["situation", "task", "action", "result", "reflection"]
    assert [order.index(lab) for lab in labels] == sorted(order.index(lab) for lab in labels)
