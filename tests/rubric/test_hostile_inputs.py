"""Issue 13, ``analyze`` and question packs: each hostile input is one line naming the file
and the problem, exit 2, no traceback, no hang, bounded time and memory.

Real ``starcoach`` subprocesses on real files; a full disk is ``/dev/full`` (the kernel's
ENOSPC), reached through stdout or through a link where a temporary file is written.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starcoach.rubric.model import Finding, Report, Section, Word
from starcoach.rubric.pack_reader import safe_format, template_problem
from starcoach.rubric.pack_schema import MAX_FIELD_CHARS
from starcoach.rubric.render import render_text

from .test_rules import STRONG
from .test_user_packs import MY_PACK

TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e"
                               "\u2066-\u2069]")


def run(*args: str, stdout=subprocess.PIPE, timeout: float = 60,
        stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "starcoach.desktop", *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=timeout,
                          input=stdin, env=dict(os.environ, STARCOACH_DEBUG=""))


def refused(out: subprocess.CompletedProcess, *expected: str, code: int = 2) -> str:
    """The one stderr line of a refusal, checked to hold ``expected``."""
    assert out.returncode == code, (out.returncode, out.stderr[-2000:])
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("starcoach: error:"), out.stderr[-2000:]
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STARCOACH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def words_file(tmp_path: Path, body: str, name: str = "w.json") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# -- analyze: JSON --------------------------------------------------------------------------

@pytest.mark.parametrize("depth, problem", [(1_000, "nested too deeply"),
                                            (100_000, "too many to be one answer")])
def test_deeply_nested_json_is_refused(tmp_path, depth, problem):
    for body in ("[" * depth + "]" * depth, '{"words": ' + '{"a": ' * depth + "1" + "}" * depth
                 + "}"):
        refused(run("analyze", str(words_file(tmp_path, body))), problem)


def test_millions_of_tiny_objects_are_refused_before_parsing(tmp_path):
    body = "[" + ",".join(["{}"] * 1_300_000) + "]"  # 3.9 MB, under the size limit
    start = time.monotonic()
    refused(run("analyze", str(words_file(tmp_path, body))), "too many to be one answer")
    assert time.monotonic() - start < 15


@pytest.mark.parametrize("digits", [310, 4_301, 100_000])
def test_huge_integers_are_refused(tmp_path, digits):
    body = json.dumps([{"text": "I", "start": 0, "end": 1}]).replace("1}", "9" * digits + "}")
    refused(run("analyze", str(words_file(tmp_path, body))), "digits")


@pytest.mark.parametrize("start, problem", [
    ("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"), ("1e999", "finite"),
    ("-0.5", "negative"), ("1e15", "limited"), ('"0"', "number"), ("true", "number"),
    ("null", "number"), ("[]", "number")])
def test_bad_times_are_refused(tmp_path, start, problem):
    body = f'[{{"text": "I", "start": {start}, "end": 2}}]'
    refused(run("analyze", str(words_file(tmp_path, body))), problem)


def test_control_characters_and_surrogates_never_reach_the_terminal(tmp_path):
    text = ("I fixed it \x1b[2J\x1b]0;pwned\x07 quickly \x9b31m and \u202eevil\u202c "
            "then \ud800it stopped.")
    words = [{"text": t, "start": i * 0.4, "end": i * 0.4 + 0.3}
             for i, t in enumerate(text.split(" "))]
    path = words_file(tmp_path, json.dumps(words))  # ensure_ascii: escapes survive to JSON
    for args in ((), ("--json",)):
        out = run("analyze", str(path), *args)
        assert out.returncode == 0, out.stderr
        assert not TERMINAL_CONTROLS.search(out.stdout.replace("\n", ""))
        assert "fixed" in out.stdout
    lone = words_file(tmp_path, '[{"text": "\\ud800", "start": 0, "end": 1}]', "lone.json")
    refused(run("analyze", str(lone)), "printable")
    txt = tmp_path / "a\x1b[31m.txt"
    txt.write_text(STRONG + " \x1b[31mred\x1b[0m \x9b2J \u202e", encoding="utf-8")
    out = run("analyze", str(txt))
    assert out.returncode == 0 and not TERMINAL_CONTROLS.search(out.stdout.replace("\n", ""))
    missing = run("analyze", str(tmp_path / "gone\x1b[2J.txt"))
    assert "\x1b" not in refused(missing, "no such file")


def test_not_utf8_and_empty_and_wrong_shapes_are_one_line(tmp_path):
    (tmp_path / "latin.txt").write_bytes("caf\xe9 ".encode("latin-1") * 10)
    refused(run("analyze", str(tmp_path / "latin.txt")), "not UTF-8")
    for body, problem in (("", "empty"), ("{}", "words"), ("[1]", "word 0"), ('"x"', "list"),
                          ('[{"text": "\\u0000", "start": 0, "end": 1}]', "printable"),
                          ('[{"text": ["a"], "start": 0, "end": 1}]', "text"),
                          ('[{"text": "a", "start": 0, "end": 1, "kind": ["x"]}]', "kind")):
        refused(run("analyze", str(words_file(tmp_path, body))), problem)


# -- analyze: size, time and endless input ------------------------------------------------------

def test_a_one_megabyte_token_is_refused_at_once(tmp_path):
    path = tmp_path / "token.txt"
    path.write_text(STRONG + " " + "x" * 1_000_000, encoding="utf-8")
    start = time.monotonic()
    refused(run("analyze", str(path), timeout=30), "characters long")
    assert time.monotonic() - start < 15


def test_rendering_a_huge_message_is_fast_and_bounded():
    words = [Word("x" * 100, 0.0, 1.0)]
    finding = Finding("hedging", "minor", "action", "m " * 500_000 + "y" * 1_000_000,
                      "s" * 1_000_000, (0, 0), 0.0, 1.0, "")
    report = Report(question=None, principle="ownership", level="mid", lens=None,
                    timing="words", duration_s=1.0, words=words,
                    sections=[Section("action", 0, 0, 0.0, 1.0, 70.0)], findings=[finding],
                    metrics={}, scores={"verdict": "x", "overall": 1, "structure": 1,
                                        "ownership": 1, "impact": 1, "reflection": 1,
                                        "delivery": 1})
    start = time.monotonic()
    text = render_text(report)
    assert time.monotonic() - start < 1.0 and len(text) < 10_000


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_an_endless_input_named_txt_is_refused_without_reading(tmp_path, kind):
    path = tmp_path / "answer.txt"
    if kind == "device":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(path)  # nobody writes: opening it would block for ever
    refused(run("analyze", str(path), timeout=20), "not a regular file")
    wav = tmp_path / "answer.wav"
    wav.symlink_to("/dev/urandom")
    refused(run("analyze", str(wav), timeout=20), "not a regular file")


def test_an_input_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.json"
    with open(path, "wb") as fh:
        fh.truncate(9 * 1024 * 1024)  # sparse: nothing to read
    refused(run("analyze", str(path)), "too long")


# -- disk full --------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [(), ("--json",)])
def test_analyze_to_a_full_stdout_is_one_line(tmp_path, args):
    path = tmp_path / "a.txt"
    path.write_text(STRONG, encoding="utf-8")
    with open("/dev/full", "w") as full:
        out = run("analyze", str(path), *args, stdout=full)
    refused(out, "No space left on device", code=1)


def test_a_closed_pipe_is_quiet(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(STRONG * 40, encoding="utf-8")
    cmd = [sys.executable, "-m", "starcoach.desktop", "analyze", str(path), "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(1)
    proc.stdout.close()  # the reader goes away, like `| head -c1`
    err = proc.stderr.read().decode()
    assert proc.wait(30) in (0, 1) and "Traceback" not in err


# -- question packs ---------------------------------------------------------------------------

def pack(tmp_path: Path, text: str, name: str = "mine.toml", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def with_suggestion(template: str) -> str:
    return MY_PACK + f"\n[questions.suggestions]\nwe_language = {json.dumps(template)}\n"


@pytest.mark.parametrize("template, problem", [
    ("Say I {", "Single '{'"), ("Say I }", "Single '}'"), ("{heard!x}", "conversions"),
    ("{heard!r}", "conversions"), ("{heard:d}", "format specs"),
    ("{heard:>20000000}", "format specs"), ("{heard:{level}}", "nested fields"),
    ("{heard.__class__}", "attributes"), ("{heard[0]}", "attributes"),
    ("{0}", "unknown placeholder"), ("{}", "unknown placeholder"),
    ("{secret}", "unknown placeholder")])
def test_bad_message_templates_are_refused_on_import(tmp_path, data_dir, template, problem):
    path = pack(tmp_path, with_suggestion(template))
    refused(run("questions", "import", str(path)), str(path),
            "questions[0].suggestions.we_language", problem)
    assert not (data_dir / "packs").exists() or not list((data_dir / "packs").iterdir())


def test_escaped_braces_are_fine_and_filled_plainly():
    assert template_problem("Use {{braces}} and {heard}") is None
    assert safe_format("Use {{x}} {heard}", {"heard": "it"}) == "Use {x} it"
    assert safe_format("{heard:>20000000}", {"heard": "a"}) == "a"  # unchecked: still bounded
    assert safe_format("{heard!x}{level.__class__}", {"heard": "a", "level": "b"}) == "a"
    assert safe_format("lone {", {}) == "lone {"
    assert len(safe_format("{heard}", {"heard": "w" * 10**6})) == MAX_FIELD_CHARS


@pytest.mark.parametrize("shape", ["array", "inline-table", "dotted-table"])
def test_deeply_nested_toml_is_refused(tmp_path, shape):
    n = 1_000
    body = {"array": "x = " + "[" * n + "]" * n,
            "inline-table": "x = " + "{a = " * n + "1" + "}" * n,
            "dotted-table": "[" + ".".join(["a"] * n) + "]\nb = 1"}[shape]
    path = pack(tmp_path, MY_PACK + "\n" + body + "\n")
    refused(run("questions", "import", str(path)), str(path), "nested too deeply")


def test_a_pack_with_a_byte_order_mark_is_accepted(tmp_path):
    out = run("questions", "import", str(pack(tmp_path, MY_PACK, bom=True)))
    assert out.returncode == 0, out.stderr
    assert "my-unowned-outage" in out.stdout


@pytest.mark.parametrize("change, problem", [
    (("Tell me about an outage", "x" * 10_000_000), "too long"),
    (("Tell me about an outage", "x" * 5_000), "too long for a question"),
    (("Tell me about an outage", "Tell me \\u001b[2J about an outage"), "control character"),
    (("situation = 30", "situation = nan"), "finite"),
    (("situation = 30", "situation = 1" + "0" * 5_000), "not valid TOML"),
    (("situation = 30", "situation = 100000000000000000"), "too large"),
])
def test_oversized_or_hostile_pack_values_are_refused(tmp_path, change, problem):
    path = pack(tmp_path, MY_PACK.replace(*change))
    start = time.monotonic()
    refused(run("questions", "import", str(path)), str(path), problem)
    assert time.monotonic() - start < 15


def test_too_many_questions_are_refused(tmp_path):
    one = MY_PACK.split("[[questions]]")[1].split("[questions.targets]")[0]
    body = MY_PACK.split("[[questions]]")[0] + "".join(
        "[[questions]]" + one.replace("my-unowned-outage", f"q{i}") for i in range(1_001))
    refused(run("questions", "import", str(pack(tmp_path, body))), "too many")


def test_importing_onto_a_full_disk_leaves_nothing_behind(tmp_path, data_dir):
    folder = data_dir / "packs"
    folder.mkdir(parents=True)
    (folder / ".mine.toml.partial").symlink_to("/dev/full")  # the write meets ENOSPC
    out = run("questions", "import", str(pack(tmp_path, MY_PACK)))
    refused(out, str(folder / "mine.toml"), "No space left on device", "nothing was imported")
    assert list(folder.iterdir()) == []  # no .partial, no half pack
    again = run("questions", "import", str(pack(tmp_path, MY_PACK)))
    assert again.returncode == 0 and (folder / "mine.toml").read_text() == MY_PACK


def test_a_pack_named_toml_that_is_a_device_is_refused(tmp_path):
    path = tmp_path / "endless.toml"
    path.symlink_to("/dev/zero")
    refused(run("questions", "import", str(path), timeout=20), "not a regular file")


def test_a_huge_pack_already_in_the_packs_folder_is_skipped_quickly(data_dir):
    folder = data_dir / "packs"
    folder.mkdir(parents=True)
    (folder / "huge.toml").write_text(MY_PACK.replace("Tell me about an outage",
                                                      "x" * 10_000_000))
    start = time.monotonic()
    out = run("questions", "--json")
    assert out.returncode == 0 and time.monotonic() - start < 15
    (warning,) = out.stderr.strip().splitlines()
    assert "huge.toml" in warning and "too long" in warning
    assert "my-unowned-outage" not in out.stdout


@pytest.mark.parametrize("seconds", ["nan", "inf", "-1", "0", "1e308"])
def test_record_refuses_an_unbounded_or_meaningless_duration(tmp_path, seconds):
    out = run("record", str(tmp_path / "x.flac"), "--seconds", seconds)
    assert out.returncode == 2 and "--seconds" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.flac").exists()


def test_a_terminal_that_cannot_encode_the_report_still_gets_it(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(STRONG, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "starcoach.desktop", "analyze", str(path)],
                         capture_output=True, timeout=60,
                         env=dict(os.environ, PYTHONIOENCODING="ascii"))
    assert out.returncode == 0 and b"Traceback" not in out.stderr, out.stderr
    assert b"StarCoach report" in out.stdout and b"?" in out.stdout  # "—" shown as "?"


def test_more_packs_than_the_limit_are_reported_not_read(data_dir, monkeypatch):
    from starcoach.desktop.bank import imports

    folder = data_dir / "packs"
    folder.mkdir(parents=True)
    for n in range(3):
        (folder / f"p{n}.toml").write_text(MY_PACK.replace("my-stories", f"pack-{n}")
                                           .replace("my-unowned-outage", f"q-{n}"))
    monkeypatch.setattr(imports, "MAX_USER_PACKS", 2)
    library, problems = imports.open_user_library()
    assert len(problems) == 1 and "p2.toml" in problems[0] and "left out" in problems[0]
    assert {"q-0", "q-1"} <= set(library.catalogue().questions)
    assert "q-2" not in library.catalogue().questions


def test_weakest_with_an_unusable_history_is_one_line(data_dir):
    (data_dir / "history" / "starcoach.sqlite3").mkdir(parents=True)
    refused(run("questions", "--weakest"), "is a folder")


def test_a_pack_of_countless_tables_is_refused_before_parsing(tmp_path):
    body = MY_PACK + "\nx = [" + ",".join(["{}"] * 100_000) + "]\n"  # 300 kB
    start = time.monotonic()
    refused(run("questions", "import", str(pack(tmp_path, body))), "too many for a pack")
    assert time.monotonic() - start < 10


def test_imported_packs_past_the_byte_budget_are_reported_not_read(data_dir, monkeypatch):
    from starcoach.desktop.bank import imports

    folder = data_dir / "packs"
    folder.mkdir(parents=True)
    for n in range(3):
        (folder / f"p{n}.toml").write_text(MY_PACK.replace("my-stories", f"pack-{n}")
                                           .replace("my-unowned-outage", f"q-{n}"))
    monkeypatch.setattr(imports, "MAX_USER_PACK_BYTES", len(MY_PACK) * 2 + 10)
    library, (problem,) = imports.open_user_library()
    assert "1 from p2.toml on were left out" in problem
    assert "q-2" not in library.catalogue().questions
