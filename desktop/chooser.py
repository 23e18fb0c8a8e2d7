"""The question chooser: pack questions grouped by Leadership Principle, a level and a lens,
and the chosen question shown large."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

LEVELS = ("junior", "mid", "senior", "principal")
ID_ROLE = Qt.ItemDataRole.UserRole


class QuestionChooser(QWidget):
    """``selectionChanged`` fires when the question, level or lens changes."""

    selectionChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from starcoach.rubric.packs import default_catalogue

        self.catalogue = default_catalogue()
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Questions")
        self.tree.setAccessibleDescription("Questions grouped by Leadership Principle")
        self._populate()
        self.tree.currentItemChanged.connect(self._on_current)

        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setAccessibleName("Question")
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                              | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = self.question.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.8)
        self.question.setFont(font)
        self.principle = QLabel(self)
        self.principle.setAccessibleName("Principle")
        self.principle.setWordWrap(True)

        self.level = QComboBox(self)
        self.level.setAccessibleName("Level")
        for lv in LEVELS:
            self.level.addItem(lv.capitalize(), lv)
        self.level.setCurrentIndex(LEVELS.index("mid"))
        self.level.currentIndexChanged.connect(lambda _=0: self.selectionChanged.emit())
        self.lens = QComboBox(self)
        self.lens.setAccessibleName("Lens")
        self.lens.currentIndexChanged.connect(self._on_lens)
        self.lens_summary = QLabel(self)
        self.lens_summary.setWordWrap(True)
        self.lens_summary.setAccessibleName("Lens summary")

        form = QFormLayout()
        level_label = QLabel("&Level:", self)
        level_label.setBuddy(self.level)
        lens_label = QLabel("L&ens:", self)
        lens_label.setBuddy(self.lens)
        form.addRow(level_label, self.level)
        form.addRow(lens_label, self.lens)
        form.addRow("", self.lens_summary)

        right = QWidget(self)
        col = QVBoxLayout(right)
        col.addWidget(self.principle)
        col.addWidget(self.question)
        col.addSpacing(self.fontMetrics().lineSpacing())
        col.addLayout(form)
        col.addStretch(1)
        self.footer = QVBoxLayout()
        col.addLayout(self.footer)

        left = QWidget(self)
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("&Questions", self)
        caption.setBuddy(self.tree)
        lcol.addWidget(caption)
        lcol.addWidget(self.tree)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _populate(self) -> None:
        cat = self.catalogue
        by_principle: dict[str, list] = {}
        for q in cat.questions.values():
            by_principle.setdefault(q.principle, []).append(q)
        order = [p for p in cat.principles if p in by_principle]
        for principle in order:
            name = cat.principles[principle]["name"]
            group = QTreeWidgetItem([name])
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            group.setToolTip(0, cat.principles[principle]["summary"])
            self.tree.addTopLevelItem(group)
            for q in by_principle[principle]:
                item = QTreeWidgetItem([q.text])
                item.setData(0, ID_ROLE, q.id)
                item.setToolTip(0, f"{q.text}\n(pack: {q.pack})")
                group.addChild(item)
        self.tree.expandAll()

    # ----------------------------------------------------------------- state
    def question_id(self) -> str | None:
        item = self.tree.currentItem()
        value = item.data(0, ID_ROLE) if item is not None else None
        return str(value) if value else None

    def level_id(self) -> str:
        return str(self.level.currentData())

    def lens_id(self) -> str | None:
        value = self.lens.currentData()
        return str(value) if value else None

    def question_text(self) -> str:
        qid = self.question_id()
        return self.catalogue.questions[qid].text if qid else ""

    def select(self, question: str | None, level: str | None = None,
               lens: str | None = None) -> None:
        if level in LEVELS:
            self.level.setCurrentIndex(LEVELS.index(level))
        items = [self.tree.topLevelItem(g).child(c)
                 for g in range(self.tree.topLevelItemCount())
                 for c in range(self.tree.topLevelItem(g).childCount())]
        matching = [it for it in items if it.data(0, ID_ROLE) == question]
        target = matching[0] if matching else (items[0] if items else None)
        if target is not None:
            self.tree.setCurrentItem(target)
            self.tree.scrollToItem(target)
        index = self.lens.findData(lens) if lens else 0
        self.lens.setCurrentIndex(max(0, index))

    def reload_catalogue(self, select_qid: str | None = None) -> None:
        """Rebuild the tree from the (refreshed) default catalogue, e.g. after a pack was
        imported; selects ``select_qid``, else keeps the current question, level and lens
        (the first question when the current one is gone)."""
        from starcoach.rubric.packs import default_catalogue

        keep = select_qid or self.question_id()
        lens = self.lens_id()
        self.tree.blockSignals(True)
        self.tree.clear()
        self.catalogue = default_catalogue()
        self._populate()
        self.tree.blockSignals(False)
        self.select(keep, self.level_id(), lens)

    # ----------------------------------------------------------------- slots
    def _on_current(self, current: QTreeWidgetItem | None, _previous=None) -> None:
        qid = current.data(0, ID_ROLE) if current is not None else None
        if not qid:
            return
        q = self.catalogue.questions[str(qid)]
        self.question.setText(q.text)
        self.principle.setText(self.catalogue.principles[q.principle]["name"])
        previous_lens = self.lens_id()
        self.lens.blockSignals(True)
        self.lens.clear()
        self.lens.addItem("None", None)
        for lid in q.lenses:
            self.lens.addItem(self.catalogue.lenses[lid].name, lid)
        self.lens.setCurrentIndex(max(0, self.lens.findData(previous_lens))
                                  if previous_lens else 0)
        self.lens.blockSignals(False)
        self._on_lens()

    def _on_lens(self, _index: int = 0) -> None:
        lid = self.lens_id()
        self.lens_summary.setText(self.catalogue.lenses[lid].summary if lid else
                                  "Answer the question as asked.")
        self.selectionChanged.emit()
