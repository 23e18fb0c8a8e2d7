"""The question chooser: pack questions grouped by Leadership Principle, a level and a lens,
and the chosen question shown large. Its questions are those of the library it is given
(the window's: the bundled and the person's packs; none: the bundled packs)."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
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
from starcoach.rubric.packs import PackLibrary

LEVELS = ("junior", "mid", "senior", "principal")
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
    """``selectionChanged`` fires when the question, level or lens changes."""

    selectionChanged = Signal()

    def __init__(self, parent: QWidget | None = None,
                 library: PackLibrary | None = None) -> None:
        super().__init__(parent)
        self.library = library if library is not None else PackLibrary()
        self.catalogue = self.library.catalogue()
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
            self.reveal_current()
        index = self.lens.findData(lens) if lens else 0
        self.lens.setCurrentIndex(max(0, index))

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
        """Rebuild the tree from the library's (refreshed) catalogue, e.g. after a pack was
        imported; selects ``select_qid``, else keeps the current question, level and lens
        (the first question when the current one is gone)."""
        keep = select_qid or self.question_id()
        lens = self.lens_id()
        self.tree.blockSignals(True)
        self.tree.clear()
        self.catalogue = self.library.catalogue()
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
