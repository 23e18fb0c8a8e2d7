"""Reading and validating pack files: bounded TOML parsing, typed field access that names
the file and dotted field on error, message templates checked and filled safely, and the
core rubric and question packs read into a :class:`~.pack_schema.Catalogue`.

Nothing here evaluates, imports or formats pack content beyond checking ``{placeholder}``
names (see :mod:`.packs` for the limits and the rules a pack must keep).
"""

from __future__ import annotations

import math
import re
import string
import tomllib
from pathlib import Path
from typing import Any

from starcoach.rubric.model import SECTION_LABELS
from starcoach.rubric.pack_schema import (
    CATEGORIES,
    LEVELS,
    MAX_FIELD_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_PACK_BRACKETS,
    MAX_PACK_BYTES,
    MAX_PACK_DEPTH,
    MAX_PACK_NUMBER,
    MAX_QUESTION_CHARS,
    MAX_QUESTIONS,
    MAX_TEXT_CHARS,
    PRINCIPLES,
    SEVERITIES,
    TARGET_KEYS,
    TEMPLATE_FIELDS,
    Catalogue,
    FollowUp,
    Lens,
    PackError,
    PackQuestion,
    RuleSpec,
)
from starcoach.rubric.safety import FileProblem, first_unsafe, read_bounded


class _Reader:
    """Typed access to a TOML table that names the file and dotted field on error."""

    def __init__(self, path: str, data: dict[str, Any], prefix: str = "") -> None:
        self.path, self.data, self.prefix = path, data, prefix

    def fail(self, key: str, problem: str) -> PackError:
        return PackError(f"{self.path}: {self.prefix}{key}: {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise self.fail(key, "is required")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(key, f"must be a {name}, got {type(value).__name__}")
        return value

    def table(self, key: str, default: Any = ...) -> _Reader:
        value = self.get(key, dict, default)
        return _Reader(self.path, value, f"{self.prefix}{key}.")

    def text(self, key: str, default: Any = ...) -> str:
        value = self.get(key, str, default)
        if value is not None and not value.strip() and default is ...:
            raise self.fail(key, "must not be empty")
        return value

    def str_list(self, key: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self.get(key, list, [])
        for item in value:
            if not isinstance(item, str):
                raise self.fail(key, "must be a list of strings")
            if allowed is not None and item not in allowed:
                raise self.fail(key, f"unknown value {item!r} (expected one of "
                                     f"{', '.join(allowed)})")
        return tuple(value)

    def keys(self) -> list[str]:
        return list(self.data)

    def __iter__(self):
        return iter(list(self.data))


def template_problem(value: str) -> str | None:
    """Why ``value`` is not a usable message template (``None`` when it is): only the
    fields in ``TEMPLATE_FIELDS``, written plainly as ``{name}``; ``{{``/``}}`` are braces."""
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as exc:  # a lone "{" or "}"
        return f"{exc} (write {{{{ or }}}} for a literal brace)"
    allowed = ", ".join(sorted(TEMPLATE_FIELDS))
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS:
            if name.split(".")[0].split("[")[0] in TEMPLATE_FIELDS:
                return f"placeholder {{{name}}}: attributes and indexes are not allowed"
            return f"unknown placeholder {{{name}}} (allowed: {allowed})"
        if conversion is not None:
            return f"placeholder {{{name}!{conversion}}}: conversions are not allowed"
        if spec:
            what = "nested fields are" if "{" in spec else "format specs are"
            return f"placeholder {{{name}:{spec}}}: {what} not allowed; write {{{name}}}"
    return None


def _check_template(r: _Reader, key: str, value: str) -> str:
    problem = template_problem(value)
    if problem is not None:
        raise r.fail(key, problem)
    return value


def _clip(value: object, limit: int) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def safe_format(template: str, fields: dict[str, Any]) -> str:
    """Fill ``{name}`` fields of a message template, clipping each value to
    ``MAX_FIELD_CHARS`` and the result to ``MAX_MESSAGE_CHARS``; a missing field is empty.

    Conversions and format specs are ignored and nothing is looked up on the values, so a
    template that slipped past validation still cannot fail or grow without bound; an
    unparsable one is returned as written (clipped).
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return _clip(template, MAX_MESSAGE_CHARS)
    out: list[str] = []
    for literal, name, _spec, _conversion in parts:
        out.append(literal)
        if name is not None:
            value = fields.get(name, "") if name in TEMPLATE_FIELDS else ""
            out.append(_clip(value, MAX_FIELD_CHARS))
    return _clip("".join(out), MAX_MESSAGE_CHARS)


def _severity_map(r: _Reader, key: str, known_rules: set[str]) -> dict[str, str]:
    table = r.get(key, dict, {})
    out = {}
    for rule, sev in table.items():
        if rule not in known_rules:
            raise r.fail(f"{key}.{rule}", "unknown rule id")
        if sev not in SEVERITIES:
            raise r.fail(f"{key}.{rule}", f"severity must be one of {', '.join(SEVERITIES)}")
        out[rule] = sev
    return out


def _targets(r: _Reader, key: str, required: bool = False) -> dict[str, float]:
    t = r.table(key) if required else r.table(key, {})
    out = {}
    for name in t:
        if name not in TARGET_KEYS:
            raise t.fail(name, f"unknown target (expected one of {', '.join(TARGET_KEYS)})")
        value = t.get(name, float)
        if not 0 < value <= 1800:
            raise t.fail(name, "must be between 0 and 1800 seconds")
        out[name] = value
    return out


def _parse_toml(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """``path``'s TOML (or ``data``, reported as ``path``): only parsed, never executed.

    A UTF-8 byte-order mark is accepted; size, nesting, strings and numbers are bounded.
    """
    if data is None:
        try:
            data = read_bounded(path, MAX_PACK_BYTES)
        except FileProblem as exc:
            raise PackError(f"{path}: cannot read: {exc}") from None
    if len(data) > MAX_PACK_BYTES:
        raise PackError(f"{path}: is {len(data):,} bytes; a pack may have at most "
                        f"{MAX_PACK_BYTES:,}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    brackets = text.count("{") + text.count("[")
    if brackets > MAX_PACK_BRACKETS:  # counted before parsing: time stays bounded
        raise PackError(f"{path}: {brackets:,} tables and arrays is too many for a pack "
                        f"(limit {MAX_PACK_BRACKETS:,})")
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: {_toml_where(exc)}not valid TOML: {exc}") from None
    except RecursionError:
        raise PackError(f"{path}: nested too deeply (limit {MAX_PACK_DEPTH} levels)") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise PackError(f"{path}: not valid TOML: {str(exc).splitlines()[0]}") from None
    _check_tree(str(path), parsed)
    return parsed


def _check_tree(path: str, data: dict[str, Any]) -> None:
    """Bound every value of a parsed pack, naming the first field that breaks a limit."""
    stack: list[tuple[str, object, int]] = [("", data, 0)]
    while stack:
        where, value, depth = stack.pop()
        field = where.lstrip(".") or "(top level)"
        if isinstance(value, dict | list):
            if depth >= MAX_PACK_DEPTH:
                raise PackError(f"{path}: {field}: nested too deeply (limit "
                                f"{MAX_PACK_DEPTH} levels)")
            items = (value.items() if isinstance(value, dict)
                     else ((f"[{i}]", v) for i, v in enumerate(value)))
            for key, item in items:
                if len(key) > MAX_TEXT_CHARS or first_unsafe(key) is not None:
                    raise PackError(f"{path}: {field}: a key is too long or has a control "
                                    "character")
                name = key if key.startswith("[") else f".{key}"
                stack.append((where + name, item, depth + 1))
        elif isinstance(value, str):
            if len(value) > MAX_TEXT_CHARS:
                raise PackError(f"{path}: {field}: {len(value):,} characters is too long "
                                f"(limit {MAX_TEXT_CHARS:,})")
            bad = first_unsafe(value)
            if bad is not None:
                raise PackError(f"{path}: {field}: contains the control character {bad}")
        elif isinstance(value, float) and not math.isfinite(value):
            raise PackError(f"{path}: {field}: must be a finite number")
        elif isinstance(value, int) and abs(value) > MAX_PACK_NUMBER:
            raise PackError(f"{path}: {field}: the number is too large (limit "
                            f"{MAX_PACK_NUMBER:,})")


def _load_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(path)


def _toml_where(exc: tomllib.TOMLDecodeError) -> str:
    """``"line 3: "`` from a TOML error (its message ends "(at line 3, column 6)")."""
    match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    return f"line {match.group(1)}: " if match else ""


def read_pack_id(path: Path, data: bytes | None = None) -> str:
    """The ``[pack] id`` of a question pack file (or of ``data``, reported as ``path``)."""
    return _Reader(str(path), _parse_toml(path, data)).table("pack").text("id")


def check_pack(path: Path, against: Catalogue, data: bytes | None = None) -> list[str]:
    """Validate a question pack as if it were added to ``against``, changing nothing;
    returns its question ids. Raises ``PackError`` naming ``path``, field and problem."""
    _, questions = _stage_question_pack(path, _parse_toml(path, data), against)
    return list(questions)


def read_core(path: Path) -> Catalogue:
    r = _Reader(str(path), _load_toml(path))
    meta = r.table("pack")
    version = str(meta.get("version", int))
    rules: dict[str, RuleSpec] = {}
    rules_t = r.table("rules")
    for rid in rules_t:
        t = rules_t.table(rid)
        category = t.text("category")
        if category not in CATEGORIES:
            raise t.fail("category", f"must be one of {', '.join(CATEGORIES)}")
        severity = t.text("severity")
        if severity not in SEVERITIES:
            raise t.fail("severity", f"must be one of {', '.join(SEVERITIES)}")
        params = t.table("params", {})
        rules[rid] = RuleSpec(
            id=rid, category=category, severity=severity,
            title=t.text("title"),
            message=_check_template(t, "message", t.text("message")),
            why=t.text("why"),
            suggestion=_check_template(t, "suggestion", t.text("suggestion")),
            applies_to=t.str_list("applies_to", PRINCIPLES),
            params={k: params.get(k, float) for k in params},
        )
    known = set(rules)
    levels_t = r.table("levels")
    levels = {}
    for lv in LEVELS:
        lt = levels_t.table(lv)
        levels[lv] = _severity_map(lt, "rules", known)
    principles = {}
    pt = r.table("principles")
    for name in pt:
        if name not in PRINCIPLES and name != "general":
            raise pt.fail(name, "unknown Leadership Principle")
        t = pt.table(name)
        principles[name] = {
            "name": t.text("name"),
            "summary": t.text("summary"),
            "signals": t.str_list("signals"),
            "rules": _severity_map(t, "rules", known),
        }
    missing = [p for p in PRINCIPLES if p not in principles]
    if missing:
        raise r.fail("principles", f"missing {', '.join(missing)}")
    lenses = {}
    lt = r.table("lenses")
    for lid in lt:
        t = lt.table(lid)
        lenses[lid] = Lens(
            id=lid, name=t.text("name"), summary=t.text("summary"),
            emphasise=t.str_list("emphasise"), leave_out=t.str_list("leave_out"),
            rules=_severity_map(t, "rules", known),
        )
    return Catalogue(
        rules=rules,
        targets=_targets(r, "targets", required=True),
        expected_sections=r.str_list("expected_sections", SECTION_LABELS),
        levels=levels, principles=principles, lenses=lenses, questions={},
        rubric_version=version, packs={meta.text("id", "core"): str(path)},
    )


def read_question_pack(path: Path, cat: Catalogue) -> None:
    """Add one question pack to ``cat``: all of its questions, or (on error) none."""
    pack_id, questions = _stage_question_pack(path, _load_toml(path), cat)
    cat.questions.update(questions)
    cat.packs[pack_id] = str(path)


def _stage_question_pack(path: Path, data: dict[str, Any],
                         cat: Catalogue) -> tuple[str, dict[str, PackQuestion]]:
    """Read a question pack against ``cat`` without changing it."""
    r = _Reader(str(path), data)
    pack_id = r.table("pack").text("id")
    if pack_id in cat.packs:
        raise r.fail("pack.id", f"pack id {pack_id!r} is already used by "
                                f"{Path(cat.packs[pack_id]).name}")
    qs = r.get("questions", list)
    if len(qs) > MAX_QUESTIONS:
        raise r.fail("questions", f"{len(qs):,} questions is too many for one pack (limit "
                                  f"{MAX_QUESTIONS:,})")
    staged: dict[str, PackQuestion] = {}
    for n, raw in enumerate(qs):
        if not isinstance(raw, dict):
            raise r.fail(f"questions[{n}]", "must be a table")
        q = _Reader(str(path), raw, f"questions[{n}].")
        qid = q.text("id")
        if qid in staged:
            raise q.fail("id", f"duplicate question id {qid!r}")
        if qid in cat.questions:
            where = cat.packs.get(cat.questions[qid].pack)
            raise q.fail("id", f"duplicate question id {qid!r} (already in "
                               f"{Path(where).name if where else cat.questions[qid].pack})")
        principle = q.text("principle")
        if principle not in cat.principles:
            raise q.fail("principle", f"unknown principle {principle!r}")
        lenses = q.str_list("lenses", tuple(cat.lenses))
        suggestions = {}
        for rid, text in q.get("suggestions", dict, {}).items():
            if rid not in cat.rules:
                raise q.fail(f"suggestions.{rid}", "unknown rule id")
            if not isinstance(text, str):
                raise q.fail(f"suggestions.{rid}", "must be a string")
            suggestions[rid] = _check_template(q, f"suggestions.{rid}", text)
        followups = []
        for k, fraw in enumerate(q.get("followups", list, [])):
            if not isinstance(fraw, dict):
                raise q.fail(f"followups[{k}]", "must be a table")
            f = _Reader(str(path), fraw, f"{q.prefix}followups[{k}].")
            check = f.text("check")
            if check not in cat.rules:
                raise f.fail("check", f"unknown rule id {check!r}")
            followups.append(FollowUp(
                id=f.text("id"), probe=f.text("probe"), check=check,
                weak=f.text("weak"), why_weak=f.text("why_weak"), strong=f.text("strong"),
                section=f.get("section", str, None),
            ))
        targets = dict(cat.targets)
        targets.update(_targets(q, "targets"))
        expected = q.str_list("expected_sections", SECTION_LABELS) or cat.expected_sections
        text = q.text("text")
        if len(text) > MAX_QUESTION_CHARS:
            raise q.fail("text", f"{len(text):,} characters is too long for a question "
                                 f"(limit {MAX_QUESTION_CHARS:,})")
        staged[qid] = PackQuestion(
            id=qid, principle=principle, text=text, pack=pack_id,
            lenses=lenses, targets=targets, expected_sections=expected,
            suggestions=suggestions, rules=_severity_map(q, "rules", set(cat.rules)),
            followups=tuple(followups), notes=q.get("notes", dict, {}),
        )
    return pack_id, staged
