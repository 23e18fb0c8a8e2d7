"""The question chooser: pack questions grouped by Leadership Principle, a level and a lens,
and the chosen question shown large. It shows a ``QuestionChoice`` (``desktop.state``) and
writes the person's picks to it; the choice, not the widgets, holds what was chosen. Its
questions are those of the choice's library (the app's: the bundled and the person's packs;
none: the bundled packs)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop.state.choice import QuestionChoice, question_groups
from starcoach.rubric.pack_schema import LEVELS, Catalogue
from starcoach.rubric.packs import PackLibrary

ID_ROLE = Qt.ItemDataRole.UserRole


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped to the column: a tree view asks its delegate for
    a size without saying the width, so the style would measure one long line (and the
    painter then elides it)."""

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def text_width(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """The width the text of ``index`` wraps to: its column less the indentation."""
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        indent = self.view.indentation() * (depth + int(self.view.rootIsDecorated()))
        return max(1, self.view.columnWidth(index.column()) - indent)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.rect = QRect(0, 0, self.text_width(index), 1)  # a valid rect: the style wraps
        opt.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        size = self.view.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, opt,
                                                  QSize(), self.view)
        gap = self.view.fontMetrics().lineSpacing() // 4 if index.parent().isValid() else 0
        return QSize(size.width(), size.height() + gap)  # questions apart from each other


class QuestionChooser(QWidget):
    """Shows ``choice`` (one of its own unless given) and writes the person's picks to it;
    observers follow ``choice.changed``."""

    def __init__(self, parent: QWidget | None = None,
                 choice: QuestionChoice | None = None) -> None:
        super().__init__(parent)
        self.choice = choice if choice is not None else QuestionChoice()
        self._items: dict[str, QTreeWidgetItem] = {}
        self._shown: str | None = None  # the question the labels and the lens list are for
        self._syncing = False
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Questions")
        self.tree.setAccessibleDescription("Questions grouped by Leadership Principle")
        # Whole questions, wrapped: an elided "Tell me about a time you…" says nothing.
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setVerticalScrollMode(QTreeWidget.ScrollMode.ScrollPerPixel)  # tall rows
        self.tree.header().sectionResized.connect(
            lambda *_: self.tree.scheduleDelayedItemsLayout())  # rows re-wrap to the width
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
        self.level.setCurrentIndex(LEVELS.index(self.choice.level_id()))
        self.level.currentIndexChanged.connect(self._on_level)
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

        question_panel = QWidget(self)
        question_panel.setObjectName("question-panel")
        col = QVBoxLayout(question_panel)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.principle)
        col.addWidget(self.question)
        col.addSpacing(self.fontMetrics().lineSpacing())
        col.addLayout(form)
        col.addStretch(1)
        # The question scrolls rather than squeezes its wrapped lines together when a large
        # font needs more height than the window has; the footer (the speech model line and
        # the buttons, added by the window) stays in view below it.
        scroll = QScrollArea(self)
        scroll.setWidget(question_panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QWidget(self)
        rcol = QVBoxLayout(right)
        rcol.addWidget(scroll, 1)
        self.footer = QVBoxLayout()
        rcol.addLayout(self.footer)

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
        splitter.setSizes([2000, 3000])  # two fifths for the questions, at any font size
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.choice.changed.connect(self._show_choice)
        self.choice.selected.connect(self.reveal_current)
        self.choice.catalogue_changed.connect(self._on_catalogue)
        if self.choice.question_id() is not None:
            self._show_choice()

    def _populate(self) -> None:
        cat = self.catalogue
        self._items = {}
        for principle, questions in question_groups(cat):
            name = cat.principles[principle]["name"]
            group = QTreeWidgetItem([name])
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            group.setToolTip(0, cat.principles[principle]["summary"])
            self.tree.addTopLevelItem(group)
            for q in questions:
                item = QTreeWidgetItem([q.text])
                item.setData(0, ID_ROLE, q.id)
                item.setToolTip(0, f"{q.text}\n(pack: {q.pack})")
                group.addChild(item)
                self._items[q.id] = item
        self.tree.expandAll()

    # ----------------------------------------------------------------- state
    @property
    def catalogue(self) -> Catalogue:
        return self.choice.catalogue

    @property
    def library(self) -> PackLibrary:
        """The packs the questions come from (a pack imported here joins it)."""
        return self.choice.library

    def question_id(self) -> str | None:
        return self.choice.question_id()

    def level_id(self) -> str:
        return self.choice.level_id()

    def lens_id(self) -> str | None:
        return self.choice.lens_id()

    def question_text(self) -> str:
        return self.choice.question_text()

    def select(self, question: str | None, level: str | None = None,
               lens: str | None = None) -> None:
        self.choice.select(question, level, lens)

    def reveal_current(self) -> None:
        """Scroll the chosen question into view; before the tree is shown (its rows not yet
        wrapped to a width) that waits until it is."""
        item = self.tree.currentItem()
        if item is None:
            return
        if self.tree.viewport().isVisible():
            self.tree.scrollToItem(item)
        else:
            self._reveal_on_show = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_reveal_on_show", False):
            self._reveal_on_show = False
            QTimer.singleShot(0, self.reveal_current)  # once the rows have their heights

    def reload_catalogue(self, select_qid: str | None = None) -> None:
        """Take the library's refreshed catalogue (see ``QuestionChoice.reload_catalogue``);
        the tree is rebuilt from it."""
        self.choice.reload_catalogue(select_qid)

    # ----------------------------------------------------------------- the choice shown
    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """The widgets follow the choice without echoing it back."""
        self._syncing = True
        widgets = (self.tree, self.level, self.lens)
        for w in widgets:
            w.blockSignals(True)
        try:
            yield
        finally:
            for w in widgets:
                w.blockSignals(False)
            self._syncing = False

    def _show_choice(self) -> None:
        choice, cat = self.choice, self.catalogue
        qid = choice.question_id()
        with self._quiet():
            self.level.setCurrentIndex(LEVELS.index(choice.level_id()))
            item = self._items.get(qid) if qid is not None else None
            if item is not None:
                if self.tree.currentItem() is not item:
                    self.tree.setCurrentItem(item)
                if qid != self._shown:
                    self._shown = qid
                    q = cat.questions[qid]
                    self.question.setText(q.text)
                    self.principle.setText(cat.principles[q.principle]["name"])
                    self.lens.clear()
                    self.lens.addItem("None", None)
                    for lid in q.lenses:
                        self.lens.addItem(cat.lenses[lid].name, lid)
            lens = choice.lens_id()
            self.lens.setCurrentIndex(max(0, self.lens.findData(lens)) if lens else 0)
        self.lens_summary.setText(cat.lenses[lens].summary if lens else
                                  "Answer the question as asked.")

    def _on_catalogue(self) -> None:
        with self._quiet():
            self.tree.clear()
            self._populate()
        self._shown = None
        self._show_choice()

    # ----------------------------------------------------------------- the person's picks
    def _on_current(self, current: QTreeWidgetItem | None, _previous=None) -> None:
        if self._syncing:
            return
        qid = current.data(0, ID_ROLE) if current is not None else None
        self.choice.set_question(str(qid) if qid else None)

    def _on_level(self, _index: int = 0) -> None:
        if not self._syncing:
            self.choice.set_level(str(self.level.currentData()))

    def _on_lens(self, _index: int = 0) -> None:
        if not self._syncing:
            value = self.lens.currentData()
            self.choice.set_lens(str(value) if value else None)
