"""An answer that hands the fix to another team, spoken, must be flagged from the audio.

The ``escalation_handoff`` detector is owned by the rubric; this test only fixes what must
come out of ``starcoach analyze`` for a spoken answer through the real tiny.en model.
"""

from __future__ import annotations

from .conftest import analyze_audio, spoken_words, synthesize

HANDOFF = [
    ("situation", [
        "At my last job I ran the data pipeline for a grocery delivery app.",
        "One morning I saw that the search index was missing about a tenth of our products.",
    ]),
    ("task", [
        "The index belonged to the search team, and nobody had asked me to look at it.",
    ]),
    ("action", [
        "I went through the logs and found that their nightly job was timing out.",
        "So I escalated it to their on-call and they patched it the same day.",
    ]),
    ("result", [
        "After that the missing products came back and searches returned full results.",
    ]),
    ("reflection", [
        "I learned that a clear bug report gets things fixed quickly.",
    ]),
]


def test_handing_the_fix_to_another_team_is_flagged_from_audio(tmp_path, tiny_en):
    answer = synthesize(tmp_path / "handoff.wav", HANDOFF)
    report = analyze_audio(answer.path, tiny_en, "--question", "ownership-failure")
    words = spoken_words(report)
    assert "escalated" in words or "escalate" in words, " ".join(words)
    assert "escalation_handoff" in {f["rule"] for f in report["findings"]}, report["findings"]
