"""``starcoach analyze`` end to end, as a subprocess: the JSON contract and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_rules import STRONG

CONTRACT_KEYS = {"schema", "question", "principle", "level", "lens", "timing", "duration_s",
                 "words", "sections", "findings", "metrics", "scores"}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "starcoach.desktop", *args],
                          capture_output=True, text=True, input=stdin, timeout=60)


@pytest.fixture
def answer_txt(tmp_path: Path) -> Path:
    p = tmp_path / "answer.txt"
    p.write_text(STRONG.replace("I pulled a week", "we pulled a week"), encoding="utf-8")
    return p


def test_txt_json_report_follows_the_contract(answer_txt):
    out = run("analyze", str(answer_txt), "--principle", "ownership", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert set(doc) >= CONTRACT_KEYS
    assert doc["schema"] == 1 and doc["timing"] == "estimated"
    assert doc["principle"] == "ownership" and doc["question"] is None
    labels = [s["label"] for s in doc["sections"]]
    assert labels == ["situation", "task", "action", "result", "reflection"]
    for s in doc["sections"]:
        assert {"label", "start_s", "end_s", "duration_s", "target_s", "over_target",
                "first_word", "last_word"} <= set(s)
    sit = doc["sections"][0]
    assert sit["target_s"] == 45
    f = next(f for f in doc["findings"] if f["rule"] == "we_language")
    a, b = f["word_span"]
    assert " ".join(w["text"] for w in doc["words"][a:b + 1]).startswith("we pulled")
    assert f["severity"] in ("major", "minor", "info") and f["section"] == "action"
    assert {"wpm", "fillers_per_min", "i_count", "we_count"} <= set(doc["metrics"])
    assert doc["scores"]["verdict"]


def test_json_words_input_keeps_given_times(tmp_path):
    words = [{"text": w, "start": i * 0.5, "end": i * 0.5 + 0.4}
             for i, w in enumerate(STRONG.split())]
    p = tmp_path / "words.json"
    p.write_text(json.dumps({"words": words}))
    out = run("analyze", str(p), "--question", "ownership-failure", "--level", "senior",
              "--lens", "senior", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["timing"] == "words" and doc["lens"] == "senior" and doc["level"] == "senior"
    assert doc["question"] == "ownership-failure"
    assert doc["words"][3]["start"] == 1.5
    assert doc["duration_s"] == pytest.approx(words[-1]["end"], abs=0.01)


def test_text_report_is_readable(answer_txt):
    out = run("analyze", str(answer_txt), "--principle", "ownership")
    assert out.returncode == 0
    assert "Verdict:" in out.stdout and "Situation" in out.stdout
    # Words for a person: the rule's title and the level's name, not their ids.
    assert "Your actions told as “we”" in out.stdout and "we_language" not in out.stdout
    assert "Ownership, Mid level" in out.stdout and "mid level" not in out.stdout


def bad_words(tmp_path: Path, words) -> Path:
    p = tmp_path / "w.json"
    p.write_text(json.dumps(words))
    return p


@pytest.mark.parametrize(("name", "make", "needle"), [
    ("empty", lambda t: _write(t / "e.txt", b""), "empty"),
    ("whitespace", lambda t: _write(t / "w.txt", b"  \n\t \n"), "empty"),
    ("non-utf8", lambda t: _write(t / "b.txt", b"I fixed it \xff\xfe there"), "UTF-8"),
    ("malformed json", lambda t: _write(t / "m.json", b'[{"text": "a", "start": 0,'),
     "malformed JSON"),
    ("negative", lambda t: bad_words(t, [{"text": "a", "start": -1, "end": 0.2}]), "negative"),
    ("reversed", lambda t: bad_words(t, [{"text": "a", "start": 2, "end": 1}]),
     "ends before"),
    ("overlapping", lambda t: bad_words(t, [{"text": "a", "start": 0, "end": 1},
                                             {"text": "b", "start": 0.5, "end": 1.2}]),
     "overlapping"),
    ("no words", lambda t: bad_words(t, []), "no words"),
    ("missing", lambda t: t / "nope.txt", "no such file"),
    ("unsupported", lambda t: _write(t / "a.docx", b"x"), "unsupported"),
])
def test_bad_input_is_one_clear_line(tmp_path, name, make, needle):
    out = run("analyze", str(make(tmp_path)), "--json")
    assert out.returncode == 2, (name, out.stdout, out.stderr)
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_huge_input_is_refused(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_text("word " * 200_000)
    out = run("analyze", str(p))
    assert out.returncode == 2 and "too long" in out.stderr
    words = [{"text": "w", "start": i * 0.3, "end": i * 0.3 + 0.2} for i in range(200_000)]
    out = run("analyze", str(bad_words(tmp_path, words)))
    assert out.returncode == 2 and "too long" in out.stderr


@pytest.mark.parametrize(("args", "needle"), [
    (("--question", "no-such-question"), "unknown question"),
    (("--principle", "kindness"), "unknown principle"),
    (("--lens", "no-such-lens"), "unknown lens"),
    (("--level", "intern"), "invalid choice"),
    (("--question", "ownership-failure", "--principle", "ownership"), "not allowed"),
])
def test_bad_usage_exits_2(answer_txt, args, needle):
    out = run("analyze", str(answer_txt), *args)
    assert out.returncode == 2
    assert needle in out.stderr and len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("principle", [
    "ownership", "customer-obsession", "dive-deep", "deliver-results", "earn-trust",
    "have-backbone", "bias-for-action", "invent-and-simplify",
    "insist-on-the-highest-standards", "frugality", "learn-and-be-curious",
    "hire-and-develop-the-best", "think-big", "are-right-a-lot",
    "strive-to-be-earths-best-employer", "success-and-scale-bring-broad-responsibility",
])
def test_every_principle_has_a_rubric(principle):
    from starcoach.rubric.analyze import analyze

    from .conftest import timed

    text = STRONG.replace("The mailer belonged to another team and nobody had asked me to "
                          "look, but guests", "Guests")
    rep = analyze(timed(text), principle=principle)
    assert rep.principle == principle
    found = {f.rule for f in rep.findings}
    assert ("missing_scope_boundary" in found) == (principle == "ownership")


def test_questions_lists_the_bank():
    out = run("questions", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {"id", "principle", "text", "pack", "lenses"} <= set(rows[0])
    by_principle: dict[str, int] = {}
    for r in rows:
        by_principle[r["principle"]] = by_principle.get(r["principle"], 0) + 1
    assert all(by_principle.get(p, 0) >= 3 for p in (
        "ownership", "frugality", "think-big", "success-and-scale-bring-broad-responsibility"))
    one = run("questions", "--principle", "dive-deep", "--json")
    assert {r["principle"] for r in json.loads(one.stdout)} == {"dive-deep"}
    bad = run("questions", "--principle", "kindness")
    assert bad.returncode == 2 and "unknown principle" in bad.stderr


def test_a_window_that_cannot_import_is_a_one_line_error_not_not_built_yet(monkeypatch, capsys):
    import sys

    from starcoach.desktop import cli

    monkeypatch.setitem(sys.modules, "starcoach.desktop.app", None)  # import raises
    assert cli.launch_app() != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot start" in err and "not built" not in err
