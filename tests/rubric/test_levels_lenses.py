"""Levels, lenses and principles change which rules apply and how strictly."""

from __future__ import annotations

from starcoach.rubric.analyze import analyze

from .conftest import timed
from .test_rules import ACTION, REFL, RESULT, SIT, STRONG, TASK

PLAIN_REFL = "If I did it again I would write the test for accented names first. "


def rules(text: str, **kw) -> dict[str, str]:
    return {f.rule: f.severity for f in analyze(timed(text), **kw).findings}


def test_systemic_insight_only_at_senior_and_above():
    text = SIT + TASK + ACTION + RESULT + PLAIN_REFL
    assert "no_systemic_insight" not in rules(text, principle="ownership", level="junior")
    assert "no_systemic_insight" not in rules(text, principle="ownership", level="mid")
    assert rules(text, principle="ownership", level="senior")["no_systemic_insight"] == "major"
    assert "no_systemic_insight" in rules(text, principle="ownership", level="principal")


def test_scope_boundary_belongs_to_ownership_only():
    text = STRONG.replace("The mailer belonged to another team and nobody had asked me to "
                          "look, but guests", "Guests")
    assert "missing_scope_boundary" in rules(text, principle="ownership")
    for p in ("deliver-results", "dive-deep", "earn-trust"):
        assert "missing_scope_boundary" not in rules(text, principle=p)


def test_junior_level_softens_scope_boundary():
    text = STRONG.replace("The mailer belonged to another team and nobody had asked me to "
                          "look, but guests", "Guests")
    assert rules(text, principle="ownership", level="mid")["missing_scope_boundary"] == "major"
    assert rules(text, principle="ownership", level="junior")["missing_scope_boundary"] == "minor"


def test_customer_lens_flags_technical_detail_without_customers():
    tech = ("I profiled the mailer service, found the template parser threw on a regex, "
            "patched the parser, added a retry queue and redeployed the cluster. ")
    result = "After the deploy template errors went from two percent to zero. "
    text = SIT + "I decided to fix it. " + tech + result + REFL
    assert "technical_without_customer" not in rules(text, principle="ownership")
    found = rules(text, question="ownership-failure", lens="customer-obsession")
    assert "technical_without_customer" in found


def test_outcome_first_lens_wants_the_result_first():
    found = rules(STRONG, question="ownership-failure", lens="outcome-first")
    assert "result_not_first" in found
    headline = "I took hotel confirmation failures from two percent to zero. "
    assert "result_not_first" not in rules(headline + STRONG, question="ownership-failure",
                                           lens="outcome-first")


def test_dive_deep_lens_drops_business_translation_and_checks_investigation():
    no_money = STRONG.replace("which saved about twelve thousand dollars, ", "")
    no_money = no_money.replace("support calls about confirmations fell by three hundred a "
                                "month, ", "")
    assert "no_business_impact" not in rules(no_money, question="ownership-failure",
                                             lens="dive-deep")
    shallow = STRONG.replace(ACTION, "I fixed the template and shipped it. ")
    assert "shallow_investigation" in rules(shallow, question="ownership-failure",
                                            lens="dive-deep")


def test_senior_lens_requires_influence_across_teams():
    alone = SIT + TASK + ACTION + RESULT + ("Looking back, the bug lived for a year because "
                                            "no team owned the template library. ")
    found = rules(alone, question="ownership-failure", lens="senior")
    assert "no_cross_team_influence" in found
    influenced = alone.replace("agreed a release window", "convinced their lead to adopt it "
                                                        "and agreed a release window")
    assert "no_cross_team_influence" not in rules(influenced, question="ownership-failure",
                                                 lens="senior")


def test_general_star_pack_softens_we():
    text = STRONG.replace("I pulled a week of mailer logs, I traced",
                          "We pulled a week of mailer logs, we traced")
    assert rules(text, principle="ownership")["we_language"] == "major"
    assert rules(text, principle="general")["we_language"] == "info"
