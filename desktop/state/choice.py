"""The question being practised and how: its id, level and lens, checked against the
question catalogue. The question chooser shows it and writes the person's picks to it;
everything else (practice, history, the Questions menu) reads and changes it here."""

from __future__ import annotations

from dataclasses import dataclass

from starcoach.desktop import wording
from starcoach.desktop.state.signal import Signal
from starcoach.rubric.pack_schema import LEVELS, Catalogue, PackQuestion
from starcoach.rubric.packs import PackLibrary


@dataclass(frozen=True)
class Question:
    """What is being answered (passed to ``analyze`` and stored with the attempt)."""

    id: str | None
    principle: str | None
    level: str = "mid"
    lens: str | None = None
    pack: str | None = None


def question_groups(cat: Catalogue) -> list[tuple[str, list[PackQuestion]]]:
    """The catalogue's questions grouped by Leadership Principle, in the catalogue's order:
    the order the chooser lists them in."""
    by_principle: dict[str, list[PackQuestion]] = {}
    for q in cat.questions.values():
        by_principle.setdefault(q.principle, []).append(q)
    return [(p, by_principle[p]) for p in cat.principles if p in by_principle]


class QuestionChoice:
    """The chosen question id (``None`` before any, or while a principle's heading is the
    current row), level and lens (only one the question offers), among the questions of
    ``library`` (the app's: the bundled and the person's packs; none: a library of the
    bundled packs alone). ``catalogue`` is the library's catalogue.

    ``changed`` fires when any of the three changes; ``selected`` when :meth:`select` chose
    a question for the person (the chooser scrolls to it); ``catalogue_changed`` after
    :meth:`reload_catalogue`, before the choice it kept is announced.
    """

    def __init__(self, library: PackLibrary | None = None) -> None:
        self.library = library if library is not None else PackLibrary()
        self._question: str | None = None
        self._level = "mid"
        self._lens: str | None = None
        self.changed = Signal()
        self.selected = Signal()
        self.catalogue_changed = Signal()

    # ----------------------------------------------------------------- reading
    @property
    def catalogue(self) -> Catalogue:
        """The library's catalogue, never a copy of it (the library caches it)."""
        return self.library.catalogue()

    def question_id(self) -> str | None:
        return self._question

    def level_id(self) -> str:
        return self._level

    def lens_id(self) -> str | None:
        return self._lens

    def pack_question(self) -> PackQuestion | None:
        return self.catalogue.questions.get(self._question) if self._question else None

    def question_text(self) -> str:
        qid = self._question
        return self.catalogue.questions[qid].text if qid else ""

    def question(self) -> Question:
        """What an attempt started now answers."""
        q = self.pack_question()
        return Question(self._question, q.principle if q else None, self._level, self._lens,
                        q.pack if q else None)

    def details(self) -> str:
        """The principle, level and lens as a person reads them ("Ownership · Mid level")."""
        q = self.pack_question()
        parts = [self.catalogue.principles[q.principle]["name"]] if q else []
        parts.append(wording.level_name(self._level))
        if self._lens:
            parts.append(self.catalogue.lenses[self._lens].name + " lens")
        return " · ".join(parts)

    def question_ids(self) -> list[str]:
        return [q.id for _p, questions in question_groups(self.catalogue) for q in questions]

    # ----------------------------------------------------------------- changing
    def select(self, question: str | None, level: str | None = None,
               lens: str | None = None) -> None:
        """Choose ``question`` (the first one listed if it is not in the catalogue) at
        ``level`` (unchanged unless a known level) with ``lens`` (none unless the question
        offers it)."""
        target, level_now, lens_now = self._resolve(question, level, lens)
        self._set(target, level_now, lens_now)
        if target is not None:
            self.selected.emit()

    def set_question(self, question_id: str | None) -> None:
        """The person picked ``question_id`` (``None``: a principle's heading); the lens
        stays if the new question offers it."""
        lens = self._lens
        if question_id is not None and lens not in self.catalogue.questions[question_id].lenses:
            lens = None
        self._set(question_id, self._level, lens)

    def set_level(self, level: str) -> None:
        if level in LEVELS:
            self._set(self._question, level, self._lens)

    def set_lens(self, lens: str | None) -> None:
        self._set(self._question, self._level, lens or None)

    def reload_catalogue(self, select_qid: str | None = None) -> None:
        """Take the library's (refreshed) catalogue, e.g. after a pack was imported into
        it; chooses ``select_qid``, else keeps the question, level and lens (the first
        question when the current one is gone)."""
        keep = select_qid or self._question
        before = (self._question, self._level, self._lens)
        after = self._resolve(keep, self._level, self._lens)
        self._question, self._level, self._lens = after
        self.catalogue_changed.emit()
        if after != before:
            self.changed.emit()
        if after[0] is not None:
            self.selected.emit()

    # ----------------------------------------------------------------- internals
    def _resolve(self, question: str | None, level: str | None,
                 lens: str | None) -> tuple[str | None, str, str | None]:
        ids = self.question_ids()
        target = question if question in ids else (ids[0] if ids else None)
        offered = self.catalogue.questions[target].lenses if target is not None else ()
        return (target if target is not None else self._question,
                level if level in LEVELS else self._level,
                lens if lens and lens in offered else None)

    def _set(self, question: str | None, level: str, lens: str | None) -> None:
        if (question, level, lens) == (self._question, self._level, self._lens):
            return
        self._question, self._level, self._lens = question, level, lens
        self.changed.emit()
