"""The Help menu's windows: a short STAR guide and the keyboard shortcuts.

The guide's section names, order and targets come from the rubric packs (what the
analysis times answers against), so the guide cannot disagree with the review; only the
advice is written here. The shortcuts window lists the shortcuts of the window's own
actions, so it cannot drift from what the keys do.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import style, wording
from starcoach.desktop.sizing import resize_in_ems
from starcoach.rubric.pack_schema import Catalogue
from starcoach.rubric.packs import builtin_catalogue

# What each section holds, after the ownership walkthrough's advice (in our own words).
SECTION_ADVICE = {
    "situation": "The problem and why it mattered: what was failing, how often, and who it "
                 "hurt. Skip the tour of the system; get to the problem.",
    "task": "What you took on, and why it was yours to take: whose problem it was, that "
            "nobody asked you, and the reason you acted (money, customers, risk).",
    "action": "What you did, step by step, each step told with “I”: what you looked at, what "
              "you found, what you built, and how you brought others along. This is most of "
              "the answer.",
    "result": "The measured change: a number before and after, what it was worth (money, "
              "customers, time or risk), and what outlived the fix.",
    "reflection": "A lesson that belongs to this story, not to any story. At senior levels, "
                  "name the cause in how teams work and what you changed about it.",
}
OUTCOME_FIRST = ("You may open with a one-sentence result (“I cut failed payments from 3 % "
                 "to 0.2 %”) before the Situation; the analysis expects it.")


def _seconds(value: float) -> str:
    return style.seconds(value)


class StarGuideDialog(QDialog):
    """What each STAR section holds and its target, in the order an answer takes them."""

    def __init__(self, parent: QWidget | None = None,
                 catalogue: Catalogue | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue or builtin_catalogue()
        self.setWindowTitle("STAR guide")
        self.setAccessibleName("STAR guide")
        intro = QLabel("A behavioural answer tells one story in five parts. The times are the "
                       "targets your answers are timed against.", self)
        intro.setWordWrap(True)
        self.view = QTextBrowser(self)
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("STAR sections")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self._render()
        resize_in_ems(self, 44, 34)

    def sections(self) -> list[tuple[str, str, float | None, str]]:
        """``(label, name, target seconds, advice)`` in spoken order, from the packs."""
        targets = self.catalogue.targets
        return [(label, wording.section_name(label), targets.get(label),
                 SECTION_ADVICE.get(label, "")) for label in self.catalogue.expected_sections]

    def text(self) -> str:
        """The guide as plain text (tests, screen readers)."""
        return self.view.toPlainText()

    def _render(self) -> None:
        pal = self.palette()
        targets = self.catalogue.targets
        parts = []
        for label, name, target, advice in self.sections():
            when = f" — under {_seconds(target)}" if target is not None else ""
            ink = style.section_ink(label, pal).name()
            parts.append(f'<p><b style="color:{ink}">{html.escape(name)}</b>'
                         f'{html.escape(when)}<br>{html.escape(advice)}</p>')
        whole = []
        if "answer" in targets:
            whole.append(f"about {_seconds(targets['answer'])}")
        if "answer_limit" in targets:
            whole.append(f"at most {_seconds(targets['answer_limit'])}")
        if whole:
            parts.append(f"<p><b>Whole answer</b> — {html.escape(', '.join(whole))}.</p>")
        parts.append(f"<p>{html.escape(OUTCOME_FIRST)}</p>")
        self.view.setHtml("".join(parts))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "view", None):
            self._render()


@dataclass(frozen=True)
class Shortcut:
    """One row of the shortcuts window."""

    area: str  # where it works: "Everywhere", "Practice", "Review", …
    action: str  # what it does, as the menu or screen names it
    keys: str  # the key sequences, in the platform's own notation


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _area(obj, window: QWidget) -> str:
    """The screen an action belongs to (its page in the window's stack), else everywhere."""
    stack = getattr(window, "stack", None)
    pages = [stack.widget(i) for i in range(stack.count())] if stack is not None else []
    node = obj
    while node is not None and node is not window:
        if node in pages:
            return node.accessibleName() or type(node).__name__
        node = node.parent()
    return "Everywhere"


def shortcuts(window: QWidget) -> list[Shortcut]:
    """Every key shortcut of ``window``'s actions and shortcut objects, everywhere first."""
    rows: list[Shortcut] = []
    seen: set[tuple[str, str]] = set()
    objects = [*window.findChildren(QAction), *window.findChildren(QShortcut)]
    for obj in objects:
        keys = obj.shortcuts() if isinstance(obj, QAction) else obj.keys()
        names = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys]
        names = list(dict.fromkeys(n for n in names if n))
        text = _plain(obj.text() if isinstance(obj, QAction) else obj.whatsThis())
        if not names or not text:
            continue
        row = Shortcut(_area(obj, window), text, ", ".join(names))
        if (row.area, row.action) not in seen:
            seen.add((row.area, row.action))
            rows.append(row)
    order = {"Everywhere": 0}
    return sorted(rows, key=lambda r: (order.get(r.area, 1), r.area))


class ShortcutsDialog(QDialog):
    """The keyboard shortcuts, grouped by the screen where they work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.rows = shortcuts(parent) if parent is not None else []
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        groups: dict[str, QTreeWidgetItem] = {}
        for row in self.rows:
            group = groups.get(row.area)
            if group is None:
                group = groups[row.area] = QTreeWidgetItem([row.area, ""])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(group)
            group.addChild(QTreeWidgetItem([row.action, row.keys]))
        self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        resize_in_ems(self, 40, 30)

    def listed(self) -> list[tuple[str, str, str]]:
        """``(area, action, keys)`` as shown."""
        out = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            out += [(group.text(0), group.child(c).text(0), group.child(c).text(1))
                    for c in range(group.childCount())]
        return out
