"""Fuzzing the pack loader (rubric/packs.py) with hypothesis: any file is a loaded pack or
one ``PackError`` naming the file, never another exception; a template the loader accepts
always formats, and ``safe_format`` never fails or grows past its bound.

Bounded and deterministic (``derandomize``).
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starcoach.rubric.pack_reader import check_pack, safe_format, template_problem
from starcoach.rubric.pack_schema import MAX_MESSAGE_CHARS, TEMPLATE_FIELDS, PackError
from starcoach.rubric.packs import load_catalogue

from .test_user_packs import MY_PACK

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
BUNDLED = load_catalogue()
TEMPLATE_PIECES = st.sampled_from(["{", "}", "{{", "}}", "heard", "level", "!", "r", "x",
                                  ":", ">", "d", "20000000", ".", "[", "]", "0", " ", "a",
                                  "{heard}", "{level}", "__class__", "\\u001b"])
TOML_PIECES = st.sampled_from(["\n", "[", "]", "[[", "]]", "{", "}", "=", '"', "'", "'''",
                               '"""', ",", ".", "#", "\\", "\\u0000", "\ufeff", "1e999",
                               "nan", "inf", "9" * 30, "x", "questions", "pack", "id",
                               "text", "principle = \"ownership\"", "\t", "\x00", "\x1b",
                               "\ud800", "é"])


def loads_or_refuses(tmp_path, data: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    try:
        check_pack(path, BUNDLED, data)
    except PackError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: ") and "\n" not in message, message


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_are_a_pack_or_one_line(tmp_path, data):
    loads_or_refuses(tmp_path, data)


@FUZZ
@given(st.integers(0, len(MY_PACK)), st.integers(0, 40),
       st.lists(TOML_PIECES, max_size=6).map("".join))
def test_a_mutated_pack_is_a_pack_or_one_line(tmp_path, at, cut, insert):
    text = MY_PACK[:at] + insert + MY_PACK[at + cut:]
    loads_or_refuses(tmp_path, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(TEMPLATE_PIECES, max_size=10).map("".join))
def test_an_accepted_template_always_formats(template):
    fields = dict.fromkeys(TEMPLATE_FIELDS, "v")
    problem = template_problem(template)
    filled = safe_format(template, fields)
    assert len(filled) <= MAX_MESSAGE_CHARS
    if problem is None:
        assert string.Formatter().vformat(template, (), fields) == filled


@FUZZ
@given(st.lists(TEMPLATE_PIECES, max_size=10).map("".join))
def test_templates_in_a_pack_are_checked_on_load(tmp_path, template):
    body = MY_PACK + "\n[questions.suggestions]\nwe_language = '''" + template + "'''\n"
    path = tmp_path / "fuzz.toml"
    try:
        check_pack(path, BUNDLED, body.encode("utf-8", "surrogatepass"))
    except PackError as exc:
        assert str(exc).startswith(f"{path}: ")
        return
    assert template_problem(template) is None
