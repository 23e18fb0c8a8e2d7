"""A person's own packs: imported, validated, copied, loaded by the CLI; never run as code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starcoach.desktop.bank.imports import (
    activate_user_packs,
    import_pack,
    open_user_library,
    user_pack_paths,
    user_packs_dir,
)
from starcoach.desktop.cli import main
from starcoach.rubric.followups import judge_followup
from starcoach.rubric.pack_schema import PackError
from starcoach.rubric.packs import PackLibrary, builtin_catalogue, load_catalogue
from starcoach.rubric.text import estimate_words

MY_PACK = """
[pack]
id = "my-stories"
name = "My own questions"

[[questions]]
id = "my-unowned-outage"
principle = "ownership"
text = "Tell me about an outage nobody owned and what you did about it."
lenses = ["junior"]

[questions.targets]
situation = 30

[[questions.followups]]
id = "how-measured"
probe = "How did you measure the result?"
check = "no_metric_delta"
section = "result"
weak = "It got better."
why_weak = "No before and after."
strong = "Errors fell from forty a day to two, on the service dashboard."
"""

ANSWER = (
    "Last spring our nightly export kept failing and no team owned it. Nobody asked me to "
    "look, but customers were missing their reports, so I decided to fix it. I read the "
    "logs, found a lock held by the import job, rewrote the job to commit in small batches "
    "and added an alarm. Failures went from five a week to zero. I learned to look for the "
    "missing owner first."
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Imported packs go to the test's own data folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(data))
    monkeypatch.setenv("STARCOACH_CONFIG_DIR", str(tmp_path / "config"))
    return data


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_imported_pack_reaches_the_catalogue_the_cli_and_analyze(tmp_path, capsys):
    source = write(tmp_path, MY_PACK)
    assert main(["questions", "import", str(source)]) == 0
    out = capsys.readouterr().out
    copy = user_packs_dir() / "mine.toml"
    assert str(copy) in out and "my-unowned-outage" in out
    assert copy.read_bytes() == source.read_bytes()
    cat = open_user_library()[0].catalogue()  # as the next process (the window) loads it
    q = cat.questions["my-unowned-outage"]
    assert q.pack == "my-stories" and q.targets["situation"] == 30
    assert [f.id for f in q.followups] == ["how-measured"]
    assert judge_followup("my-unowned-outage", "how-measured",
                          estimate_words(q.followups[0].weak), catalogue=cat).weak
    assert not judge_followup("my-unowned-outage", "how-measured",
                              estimate_words(q.followups[0].strong), catalogue=cat).weak

    assert "my-unowned-outage" not in builtin_catalogue().questions  # nothing process-wide
    assert main(["questions", "--principle", "ownership", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id": "my-unowned-outage", "principle": "ownership",
            "text": q.text, "pack": "my-stories", "lenses": ["junior"]} in rows

    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    assert main(["analyze", str(answer), "--question", "my-unowned-outage", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["question"] == "my-unowned-outage" and doc["principle"] == "ownership"
    situation = next(s for s in doc["sections"] if s["label"] == "situation")
    assert situation["target_s"] == 30


@pytest.mark.parametrize(("edit", "field", "problem"), [
    (lambda t: t.replace('text = "Tell me about an outage nobody owned and what you did '
                         'about it."', ""), "questions[0].text", "is required"),
    (lambda t: t.replace("situation = 30", 'situation = "half a minute"'),
     "questions[0].targets.situation", "must be a float"),
    (lambda t: t.replace('principle = "ownership"', 'principle = "kindness"'),
     "questions[0].principle", "unknown principle 'kindness'"),
    (lambda t: t.replace('id = "my-unowned-outage"', 'id = "ownership-failure"'),
     "questions[0].id", "duplicate question id 'ownership-failure' (already in ownership.toml)"),
    (lambda t: t.replace('check = "no_metric_delta"', 'check = "sounds_great"'),
     "questions[0].followups[0].check", "unknown rule id 'sounds_great'"),
    (lambda t: t.replace('id = "my-stories"', 'id = "ownership-walkthrough"'),
     "pack.id", "already used by ownership.toml"),
    (lambda t: t.replace("[questions.targets]", "[questions.targets"), "line 12",
     "not valid TOML"),
])
def test_a_malformed_pack_is_refused_naming_file_field_and_problem(tmp_path, capsys, edit,
                                                                  field, problem):
    source = write(tmp_path, edit(MY_PACK))
    with pytest.raises(PackError) as err:
        import_pack(source)
    message = str(err.value)
    assert message.startswith(f"{source}: {field}: ") and problem in message
    assert user_pack_paths() == []
    assert main(["questions", "import", str(source)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"starcoach: error: {message}\n" and captured.out == ""
    assert user_pack_paths() == []
    assert "my-unowned-outage" not in open_user_library()[0].catalogue().questions


def test_a_pack_is_all_or_nothing(tmp_path):
    broken_second = MY_PACK + '\n[[questions]]\nid = "second"\nprinciple = "frugality"\n'
    with pytest.raises(PackError, match=r"questions\[1\]\.text: is required"):
        load_catalogue([write(tmp_path, broken_second)])
    problems: list[str] = []
    cat = load_catalogue([write(tmp_path, broken_second)], problems=problems)
    assert "my-unowned-outage" not in cat.questions and len(problems) == 1


def test_a_question_id_already_imported_is_a_duplicate(tmp_path):
    import_pack(write(tmp_path, MY_PACK))
    other = MY_PACK.replace('id = "my-stories"', 'id = "other-stories"')
    with pytest.raises(PackError) as err:
        import_pack(write(tmp_path, other, "other.toml"))
    assert str(err.value) == (f"{tmp_path / 'incoming' / 'other.toml'}: questions[0].id: "
                              "duplicate question id 'my-unowned-outage' (already in mine.toml)")
    assert [p.name for p in user_pack_paths()] == ["mine.toml"]


def test_imports_never_overwrite_another_pack(tmp_path):
    library = PackLibrary()
    first = import_pack(write(tmp_path, MY_PACK), library)
    other = (MY_PACK.replace('id = "my-stories"', 'id = "other-stories"')
             .replace("my-unowned-outage", "other-outage"))
    (tmp_path / "elsewhere").mkdir()
    second_source = tmp_path / "elsewhere" / "mine.toml"  # same file name, another pack
    second_source.write_text(other, encoding="utf-8")
    second = import_pack(second_source, library)
    assert (first.name, second.name) == ("mine.toml", "mine-2.toml")
    assert first.read_text(encoding="utf-8") == MY_PACK
    assert {"my-unowned-outage", "other-outage"} <= set(library.catalogue().questions)

    edited = MY_PACK.replace("an outage nobody owned", "a failure nobody owned")
    again = import_pack(write(tmp_path, edited, "renamed.toml"), library)  # the same, edited
    assert again == first and len(user_pack_paths()) == 2
    assert "a failure nobody owned" in library.catalogue().questions["my-unowned-outage"].text


def test_a_pack_corrupted_after_import_is_skipped_and_reported(tmp_path, capsys):
    copy = import_pack(write(tmp_path, MY_PACK))
    copy.write_text(MY_PACK.replace('principle = "ownership"', "principle = 7"),
                    encoding="utf-8")
    library, problems = open_user_library()
    assert problems == [f"{copy}: questions[0].principle: must be a str, got int"]
    assert library.problems() == problems
    cat = library.catalogue()
    assert "my-unowned-outage" not in cat.questions and "ownership-failure" in cat.questions
    with pytest.raises(PackError, match=r"questions\[0\]\.principle"):
        load_catalogue([copy])  # strict unless the caller collects problems

    assert main(["questions", "--json"]) == 0  # the CLI still runs, with one warning
    captured = capsys.readouterr()
    assert captured.err == f"starcoach: warning: skipped your pack {problems[0]}\n"
    assert "ownership-failure" in {r["id"] for r in json.loads(captured.out)}

    import_pack(write(tmp_path, MY_PACK), library)  # the fixed pack replaces the broken one
    assert library.problems() == [] and "my-unowned-outage" in library.catalogue().questions
    assert activate_user_packs(library) == []


def test_a_pack_is_only_ever_text(tmp_path):
    marker = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    pack = (MY_PACK.replace("Tell me about an outage nobody owned and what you did about it.",
                            code.replace('"', '\\"'))
            + f'\n[questions.notes]\nmodel_answer_summary = "{{{{ {code} }}}}"\n')
    library = PackLibrary()
    import_pack(write(tmp_path, pack), library)
    q = library.catalogue().questions["my-unowned-outage"]
    assert q.text == code and q.notes["model_answer_summary"] == "{{ " + code + " }}"
    assert not marker.exists()

    python = write(tmp_path, f"import pathlib\n{code}\n", "evil.py")
    with pytest.raises(PackError, match=r"evil\.py: line 1: not valid TOML"):
        import_pack(python)
    assert not marker.exists() and [p.name for p in user_pack_paths()] == ["mine.toml"]
