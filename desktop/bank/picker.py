"""Ways to pick a question in the app: at random, the weakest area, a mock interview.

The choosing itself lives in ``starcoach.rubric.bank`` (Qt-free, shared with the CLI);
these are the small dialogs around it. ``WeakestDialog`` and ``MockDialog`` are opened
with ``open()`` (never blocking) and report through their signals.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import wording
from starcoach.desktop.sizing import resize_in_ems
from starcoach.rubric import bank
from starcoach.rubric.pack_schema import Catalogue, PackQuestion

ID_ROLE = Qt.ItemDataRole.UserRole
MOCK_MIN, MOCK_MAX, MOCK_DEFAULT = 2, 8, 5
MINUTES_MIN, MINUTES_MAX, MINUTES_DEFAULT = 1, 10, 3
NO_HISTORY = ("Nothing to go on yet. Answer a few questions first; then this list shows "
              "the questions aimed at the feedback that came up most in your answers.")


def pick_random(chooser, any_principle: bool = False,
                rng: random.Random | None = None) -> str | None:
    """Select a random question in ``chooser`` (a ``QuestionChooser``) and return its id.

    Within the principle of the current question unless ``any_principle`` (or nothing is
    selected); never the current question itself when there is another to choose.
    """
    rng = rng or random.Random()
    cat: Catalogue = chooser.catalogue
    current = chooser.question_id()
    principle = None
    if not any_principle and current in cat.questions:
        principle = cat.questions[current].principle
    pool = [q.id for q in cat.questions.values()
            if (principle is None or q.principle == principle) and q.id != current]
    if not pool:
        return current
    qid = rng.choice(sorted(pool))
    chooser.select(qid, chooser.level_id(), chooser.lens_id())
    return qid


def top_rules(cat: Catalogue, failures: Mapping[str, Counter], principle: str,
              n: int = 3) -> list[tuple[str, int]]:
    """The rules that failed most in past answers to ``principle``'s questions:
    ``[(rule id, times)]``, most first."""
    total: Counter = Counter()
    for qid, rules in failures.items():
        q = cat.questions.get(qid)
        if q is not None and q.principle == principle:
            total.update(rules)
    return sorted(((r, c) for r, c in total.items() if c > 0),
                  key=lambda rc: (-rc[1], rc[0]))[:n]


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


class WeakestDialog(QDialog):
    """The questions aimed at what failed most, each with those rules and their counts.

    ``failures`` is ``HistoryStore.rule_failures()``. ``chosen(question_id)`` fires when
    the person picks one (double-click, Enter or "Practise this").
    """

    chosen = Signal(str)

    def __init__(self, catalogue: Catalogue, failures: Mapping[str, Counter],
                 parent: QWidget | None = None, n: int = 5) -> None:
        super().__init__(parent)
        self.setWindowTitle("Weakest area")
        self.setAccessibleName("Weakest area")
        self.catalogue = catalogue
        self.questions: list[PackQuestion] = bank.weakest(catalogue, failures, n)
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setObjectName("weakest-intro")
        self.intro = intro
        self.list = QListWidget(self)
        self.list.setAccessibleName("Questions for your weakest area")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for q in self.questions:
            rules = top_rules(catalogue, failures, q.principle)
            lines = [f"{catalogue.principles[q.principle]['name']}: {q.text}"]
            lines += [f"    {wording.rule_title(r, catalogue)} — {_times(c)}" for r, c in rules]
            item = QListWidgetItem("\n".join(lines))
            item.setData(ID_ROLE, q.id)
            item.setToolTip(f"{q.text}\n(question {q.id})")
            self.list.addItem(item)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.choose_button = self.buttons.addButton("&Practise this",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.choose_button.setAccessibleName("Practise this question")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        if self.questions:
            intro.setText("These questions aim at the feedback that came up most in your "
                          "answers so far (how often each came up):")
            self.list.setCurrentRow(0)
        else:
            intro.setText(NO_HISTORY)
            self.list.hide()
            self.choose_button.setEnabled(False)
        resize_in_ems(self, 46, 22)

    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else None

    def accept(self) -> None:
        qid = self.selected_id()
        if qid is None:
            return
        super().accept()
        self.chosen.emit(qid)


class MockDialog(QDialog):
    """Set up a mock interview: how many questions (2–8) and minutes per answer.

    On OK, ``questions`` holds the ids in the order to ask them (a different Leadership
    Principle each time) and ``chosen(ids, minutes)`` fires.
    """

    chosen = Signal(list, int)

    def __init__(self, parent: QWidget | None = None, catalogue: Catalogue | None = None,
                 rng: random.Random | None = None) -> None:
        super().__init__(parent)
        from starcoach.rubric.packs import builtin_catalogue

        self.setWindowTitle("Mock interview")
        self.setAccessibleName("Mock interview")
        self.catalogue = catalogue or builtin_catalogue()
        self.rng = rng or random.Random()
        self.questions: list[str] = []
        intro = QLabel("Answer several questions in a row, as in an interview loop. Each "
                       "comes from a different Leadership Principle; after each answer you "
                       "see its review, then go on to the next.", self)
        intro.setWordWrap(True)
        self.count = QSpinBox(self)
        self.count.setRange(MOCK_MIN, MOCK_MAX)
        self.count.setValue(MOCK_DEFAULT)
        self.count.setAccessibleName("Number of questions")
        self.minutes = QSpinBox(self)
        self.minutes.setRange(MINUTES_MIN, MINUTES_MAX)
        self.minutes.setValue(MINUTES_DEFAULT)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Minutes per answer")
        form = QFormLayout()
        count_label = QLabel("&Questions:", self)
        count_label.setBuddy(self.count)
        minutes_label = QLabel("&Time per answer:", self)
        minutes_label.setBuddy(self.minutes)
        form.addRow(count_label, self.count)
        form.addRow(minutes_label, self.minutes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.start_button = buttons.addButton("&Start", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def result_value(self) -> tuple[list[str], int]:
        """``(question ids in order, minutes per answer)``; empty ids until accepted."""
        return list(self.questions), self.minutes.value()

    def accept(self) -> None:
        picked = bank.mock_loop(self.catalogue, self.count.value(), self.rng)
        self.questions = [q.id for q in picked]
        super().accept()
        self.chosen.emit(list(self.questions), self.minutes.value())
