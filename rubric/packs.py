"""Question packs: questions, targets, rule wording, principles, levels, lenses, follow-ups.

Packs are TOML data files. They are validated on load, and any problem is reported as
``PackError("<file>: <field>: <problem>")`` so a person editing one knows where to look.
A pack can only *configure* detectors that exist in code (by rule id); it never runs code:
the loader only parses TOML (``tomllib``) and copies strings and numbers out of it, so text
that looks like code in a pack is just text. Nothing here evaluates, imports or formats
pack content beyond checking ``{placeholder}`` names.

Loading is bounded: a pack file is at most ``MAX_PACK_BYTES`` with at most
``MAX_PACK_BRACKETS`` opening brackets, nests at most
``MAX_PACK_DEPTH`` tables/arrays deep, holds at most ``MAX_QUESTIONS`` questions, each
string at most ``MAX_TEXT_CHARS`` characters (a question at most ``MAX_QUESTION_CHARS``),
no control characters, and finite numbers. A message template may use only the fields
in ``TEMPLATE_FIELDS``, plainly (``{heard}``): no conversion (``!r``), no format spec
(``:>20``), no attribute or index, no nested field, no lone brace. ``safe_format`` fills
a template and clips every value, so even an unchecked template cannot grow a report.

This module is the catalogue: the bundled packs are always loaded strictly
(:func:`builtin_catalogue`, loaded once and never changed), and a :class:`PackLibrary` adds
a person's extra (imported) packs to them, skipping one that cannot be used and recording
its problem, so a broken user pack never stops the app. There is no process-wide library:
the window and each command make their own and pass its catalogue on; whatever is given
none (``analyze`` and friends) uses the bundled packs alone. The schema lives in
:mod:`.pack_schema`, the validator in :mod:`.pack_reader`, resolution in :mod:`.pack_resolve`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from starcoach.rubric.pack_reader import read_core, read_question_pack
from starcoach.rubric.pack_schema import Catalogue, PackError


def packs_dir() -> Path:
    return Path(str(resources.files("starcoach.assets") / "packs"))


def load_catalogue(extra: Sequence[Path | str] | None = None, *,
                   problems: list[str] | None = None) -> Catalogue:
    """The core rubric (``core.toml``) plus every other bundled pack and ``extra`` files.

    Bundled packs are strict: any problem raises ``PackError``. ``extra`` packs too,
    unless ``problems`` is given: then an unusable extra pack is skipped (none of its
    questions join) and its one-line ``PackError`` message is appended to ``problems``.
    """
    directory = packs_dir()
    core_path = directory / "core.toml"
    cat = read_core(core_path)
    paths = sorted(p for p in directory.glob("*.toml") if p.name != "core.toml")
    for path in paths:
        read_question_pack(Path(path), cat)
    for path in extra or []:
        try:
            read_question_pack(Path(path), cat)
        except PackError as exc:
            if problems is None:
                raise
            problems.append(str(exc))
    return cat


@lru_cache(maxsize=1)
def builtin_catalogue() -> Catalogue:
    """The bundled packs alone, loaded once; shared, so read it and never change it."""
    return load_catalogue()


class PackLibrary:
    """The bundled packs plus a set of extra pack files, as one catalogue built when first
    asked for and again whenever the extra packs change (with none, the bundled catalogue
    itself). Each library holds its own state: nothing one changes reaches another."""

    def __init__(self, extra: Iterable[Path | str] = ()) -> None:
        self._lock = threading.RLock()
        self._extra = tuple(Path(p) for p in extra)
        self._problems: list[str] = []
        self._catalogue: Catalogue | None = None

    @property
    def extra(self) -> tuple[Path, ...]:
        """The extra pack files the catalogue includes (or tried to)."""
        return self._extra

    def catalogue(self) -> Catalogue:
        """The catalogue (built once per set of extra packs)."""
        with self._lock:
            if self._catalogue is None:
                problems: list[str] = []
                self._catalogue = (load_catalogue(self._extra, problems=problems)
                                   if self._extra else builtin_catalogue())
                self._problems = problems
            return self._catalogue

    def set_extra(self, paths: Iterable[Path | str]) -> list[str]:
        """Include ``paths`` (a person's imported packs) instead, rebuilding the catalogue
        now; returns the problems of the extra packs it had to skip (empty when all load)."""
        with self._lock:
            self._extra = tuple(Path(p) for p in paths)
            self._catalogue = None
            self.catalogue()
            return self.problems()

    def problems(self) -> list[str]:
        """``"<file>: <field>: <problem>"`` for each extra pack the catalogue skipped."""
        self.catalogue()
        return list(self._problems)
