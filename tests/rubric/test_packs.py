"""Packs are data, validated on load: a malformed one names its file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starcoach.rubric.pack_resolve import resolve
from starcoach.rubric.pack_schema import PRINCIPLES, PackError
from starcoach.rubric.packs import load_catalogue, packs_dir

GOOD_QUESTION = """
[pack]
id = "mine"

[[questions]]
id = "my-question"
principle = "ownership"
text = "Tell me about a time you fixed something nobody owned."
lenses = ["junior"]
[questions.targets]
situation = 30
"""


def load_with(tmp_path: Path, text: str):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return load_catalogue(extra=[path]), path


def test_bundled_packs_cover_every_principle():
    cat = load_catalogue()
    assert set(PRINCIPLES) <= set(cat.principles)
    q = cat.questions["ownership-failure"]
    assert q.targets["situation"] == 45
    assert {f.check for f in q.followups} == {
        "escalation_handoff", "vague_motivation", "passive_handoff", "no_metric_delta"}
    assert set(q.lenses) == {"outcome-first", "customer-obsession", "dive-deep", "junior",
                             "senior"}
    for principle in PRINCIPLES:
        assert sum(x.principle == principle for x in cat.questions.values()) >= 3


def test_a_users_pack_loads_and_sets_targets(tmp_path):
    cat, _ = load_with(tmp_path, GOOD_QUESTION)
    rub = resolve(cat, "my-question", None, "mid", "junior")
    assert rub.targets["situation"] == 30 and rub.targets["action"] == 70


@pytest.mark.parametrize(("edit", "field", "problem"), [
    (lambda t: t.replace('principle = "ownership"', 'principle = "kindness"'),
     "questions[0].principle", "unknown principle"),
    (lambda t: t.replace('lenses = ["junior"]', 'lenses = ["sideways"]'),
     "questions[0].lenses", "unknown value"),
    (lambda t: t.replace("situation = 30", 'situation = "thirty"'),
     "questions[0].targets.situation", "must be a float"),
    (lambda t: t.replace("situation = 30", "situation = -4"),
     "questions[0].targets.situation", "between 0 and 1800"),
    (lambda t: t.replace("situation = 30", "warmup = 10"),
     "questions[0].targets.warmup", "unknown target"),
    (lambda t: t.replace('text = "Tell me about a time you fixed something nobody owned."',
                         ""), "questions[0].text", "is required"),
    (lambda t: t + '\n[questions.suggestions]\nno_such_rule = "x"\n',
     "questions[0].suggestions.no_such_rule", "unknown rule id"),
    (lambda t: t.replace("[questions.targets]", 'rules = { we_language = "loud" }\n'
                                               "[questions.targets]"),
     "questions[0].rules.we_language", "severity must be one of"),
    (lambda t: t.replace("[pack]", "[pack\n"), "", "not valid TOML"),
])
def test_malformed_pack_names_file_and_field(tmp_path, edit, field, problem):
    with pytest.raises(PackError) as err:
        load_with(tmp_path, edit(GOOD_QUESTION))
    message = str(err.value)
    assert message.startswith(str(tmp_path / "mine.toml"))
    assert field in message and problem in message


def test_suggestion_placeholders_are_checked(tmp_path):
    text = GOOD_QUESTION + '\n[questions.suggestions]\nwe_language = "Say {pronoun}"\n'
    with pytest.raises(PackError, match=r"suggestions\.we_language: unknown placeholder"):
        load_with(tmp_path, text)


def test_a_broken_core_pack_is_reported_not_crashed(tmp_path, monkeypatch):
    broken = tmp_path / "packs"
    shutil.copytree(packs_dir(), broken)
    core = broken / "core.toml"
    core.write_text(core.read_text().replace('severity = "major"', 'severity = "huge"', 1))
    monkeypatch.setattr("starcoach.rubric.packs.packs_dir", lambda: broken)
    with pytest.raises(PackError, match=r"core\.toml: rules\.situation_over_time\.severity"):
        load_catalogue()


def test_a_pack_cannot_run_code(tmp_path):
    cat, _ = load_with(tmp_path, GOOD_QUESTION.replace(
        "Tell me about a time you fixed something nobody owned.",
        "__import__('os').system('echo pwned')"))
    assert cat.questions["my-question"].text.startswith("__import__")
