"""A measured change needs both ends or the size of the move, in digits or in words."""

from __future__ import annotations

import pytest
from starcoach.rubric.quantities import measured_change, metric_units, quantity_spans
from starcoach.rubric.text import estimate_words, tokenize


def _norms(text: str) -> list[str]:
    return [t.norm for t in tokenize(estimate_words(text))]


def _measured(text: str, before: str = "") -> bool:
    norms = _norms(f"{before} {text}".strip())
    offset = len(_norms(before)) if before else 0
    said_before = metric_units(norms, 0, offset - 1) if offset else frozenset()
    return measured_change(norms, offset, len(norms) - 1, said_before)


@pytest.mark.parametrize("text", [
    "build times went from forty minutes to nine",
    "build times went from 40 minutes to 9",
    "refunds fell from about 7% of orders in the old flow to under 2%",
    "the queue went from twelve hundred tickets down to the same day",
    "we cut onboarding from three weeks to four days",
    "cold starts dropped by roughly sixty percent",
    "there were about two hundred fewer pages a quarter",
    "the import ran 4x faster",
    "the backlog halved within a month",
    "it cost us 30 thousand dollars a month less",
])
def test_a_change_with_its_numbers_is_measured(text: str) -> None:
    assert _measured(text)


@pytest.mark.parametrize("text", [
    "the wait got down to just under four minutes",
    "by the spring ninety-two percent of the class passed",
    "it brought in roughly fifty thousand dollars in renewals",
    "things got a lot better and the customers were happier",
    "we shipped it to three more regions",
])
def test_an_after_only_figure_is_not_measured(text: str) -> None:
    assert not _measured(text)


def test_an_after_value_in_the_unit_of_an_earlier_before_value_is_measured() -> None:
    before = "each release took eleven days to get through review"
    assert _measured("after the change it took three days", before)
    # a before value in another unit does not make it a change
    assert not _measured("after the change it took three days", "we had eleven engineers")


def test_one_spoken_quantity_is_one_span() -> None:
    norms = _norms("about three hundred and forty stores and 2 regions")
    assert len(quantity_spans(norms, 0, len(norms) - 1)) == 2


def test_more_is_a_change_only_as_a_rate_or_a_share() -> None:
    assert _measured("signups came in eight percent more often after the redesign")
    assert _measured("we closed two hundred more orders a week")
    assert not _measured("we opened two more offices")


def test_a_value_set_against_what_it_would_have_been_is_measured() -> None:
    assert _measured("late orders that week were four instead of about ninety")


@pytest.mark.parametrize("text", [
    "uptime had been stuck at 97 percent and by the end of the month it was 99.9",
    "returns fell to about a fifth of what they had been",
    "support costs went down by a third",
])
def test_two_values_of_one_measure_or_a_share_of_the_old_value_are_measured(text: str) -> None:
    assert _measured(text)


def test_a_label_number_is_not_the_other_end_of_a_change() -> None:
    assert not _measured("by June seventy percent of the grade 8 pupils passed")


@pytest.mark.parametrize(("text", "before"), [
    ("vegan orders went from none to about thirty a week", ""),
    ("the latency came back down about forty milliseconds", ""),
    ("the error rate went back to under two percent", "uploads were failing, about one in ten"),
])
def test_a_move_from_nothing_a_size_after_its_verb_and_a_share_are_measured(
        text: str, before: str) -> None:
    assert _measured(text, before)
