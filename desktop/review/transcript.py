"""The transcript with each STAR section tinted and labelled, and findings drawn on their words.

Each section is a paragraph that opens with its name (so sections never rely on colour
alone); every finding underlines its words in its severity's style. Hover a finding's words
for what was heard, why it costs and what to say instead; click them to select it. The
context menu (mouse, Menu key, or Ctrl+1…5 at the caret) says "<Section> starts here".
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QKeySequence,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QMenu, QTextEdit, QToolTip, QWidget
from starcoach.desktop import style, wording
from starcoach.rubric.model import SECTION_LABELS, Finding, Report

# Custom character-format properties: which section a character is in, which findings
# cover it (comma-separated indices into ``report.findings``), and its word index.
SECTION_PROPERTY = QTextFormat.Property.UserProperty + 1
FINDINGS_PROPERTY = QTextFormat.Property.UserProperty + 2
WORD_PROPERTY = QTextFormat.Property.UserProperty + 3


class TranscriptView(QTextEdit):
    """Read-only, keyboard-navigable transcript of one report."""

    wordActivated = Signal(int)  # a word was clicked (or Enter pressed at the caret)
    markRequested = Signal(int, str)  # (word index, section label): "… starts here"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setAccessibleName("Transcript")
        self.setAccessibleDescription(
            "Your answer, one paragraph per STAR section. Underlined words carry feedback. "
            "Press Enter on a word to select its feedback, or Ctrl+1 to Ctrl+5 to say a "
            "section starts at that word.")
        self.setMouseTracking(True)
        self.report: Report | None = None
        self._word_ranges: list[tuple[int, int]] = []
        self._selected = -1
        self._playing = -1
        self._finding_selection: list[QTextEdit.ExtraSelection] = []
        self._press_pos: QPoint | None = None
        for n, label in enumerate(SECTION_LABELS, start=1):
            action = QAction(f"{wording.section_name(label)} starts here", self)
            action.setShortcut(QKeySequence(f"Ctrl+{n}"))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, lab=label: self._mark_at_caret(lab))
            self.addAction(action)

    # ----------------------------------------------------------------- building
    def set_report(self, report: Report) -> None:
        self.report = report
        self._selected = -1
        self._playing = -1
        self._finding_selection = []
        self._rebuild()

    def _rebuild(self) -> None:
        report = self.report
        doc = self.document()
        doc.clear()
        self._word_ranges = []
        self._finding_selection = []
        self.setExtraSelections([])
        if report is None:
            return
        palette = self.palette()
        covering = _covering(report.findings, len(report.words))
        cursor = QTextCursor(doc)
        # one edit block: the shown document is laid out once, not after every word
        # (a 750-word answer took 0.2 s of the GUI thread when the exact words replaced it)
        cursor.beginEditBlock()
        spacing = self.fontMetrics().lineSpacing()
        first_block = True
        for section in _sections_or_whole(report):
            block = QTextBlockFormat()
            block.setTopMargin(0 if first_block else spacing * 0.6)
            block.setLineHeight(130, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
            if first_block:
                cursor.setBlockFormat(block)
            else:
                cursor.insertBlock(block)
            first_block = False
            label, first, last = section
            cursor.insertText(f"{wording.section_name(label).upper()}\u2002",
                              self._label_format(label, palette))
            for i in range(first, last + 1):
                fmt = self._word_format(label, covering[i], i, palette)
                start = cursor.position()
                cursor.insertText(report.words[i].text.strip(), fmt)
                self._word_ranges.append((start, cursor.position()))
                if i < last:
                    shared = covering[i] & covering[i + 1]
                    cursor.insertText(" ", self._word_format(label, shared, None, palette))
        cursor.endEditBlock()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def _label_format(self, label: str | None, palette: QPalette) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        if self.font().pointSizeF() > 0:
            fmt.setFontPointSize(self.font().pointSizeF() * 0.85)
        fmt.setFontLetterSpacing(108)
        fmt.setForeground(style.section_ink(label or "", palette))
        fmt.setProperty(SECTION_PROPERTY, label or "")
        return fmt

    def _word_format(self, label: str | None, finding_ids: set[int], word: int | None,
                     palette: QPalette) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if label:
            fmt.setBackground(style.section_tint(label, palette))
        fmt.setProperty(SECTION_PROPERTY, label or "")
        if word is not None:
            fmt.setProperty(WORD_PROPERTY, word)
        if finding_ids and self.report is not None:
            findings = [self.report.findings[k] for k in finding_ids]
            worst = max(findings, key=lambda f: style.SEVERITY_RANK.get(f.severity, 0))
            fmt.setUnderlineStyle(style.SEVERITY_UNDERLINE[worst.severity])
            fmt.setUnderlineColor(style.severity_color(worst.severity, palette))
            fmt.setProperty(FINDINGS_PROPERTY, ",".join(str(k) for k in sorted(finding_ids)))
        return fmt

    # ----------------------------------------------------------------- lookup
    def word_range(self, index: int) -> tuple[int, int]:
        """Document character range ``[start, end)`` of word ``index``."""
        return self._word_ranges[index]

    def finding_range(self, index: int) -> tuple[int, int]:
        """Document character range ``[start, end)`` covered by finding ``index``."""
        assert self.report is not None
        first, last = self.report.findings[index].word_span
        return self._word_ranges[first][0], self._word_ranges[last][1]

    def word_at_position(self, position: int, *, nearest: bool = False) -> int | None:
        """The word containing document ``position``; with ``nearest``, the next word
        after a gap or label (or the last word)."""
        for i, (start, end) in enumerate(self._word_ranges):
            if start <= position < end:
                return i
            if nearest and position < start:
                return i
        if nearest and self._word_ranges:
            return len(self._word_ranges) - 1
        return None

    def word_at_point(self, point: QPoint) -> int | None:
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - point.y()) > rect.height():
            return None  # below the last line
        # cursorForPosition puts the caret between characters: look at the char under it.
        pos = cursor.position()
        hit = self.word_at_position(pos)
        if hit is None and pos > 0:
            hit = self.word_at_position(pos - 1)
        return hit

    def top_word(self) -> tuple[int, int] | None:
        """The first word in view and its line's offset from the view's top, in pixels."""
        if not self._word_ranges:
            return None
        index = self.word_at_position(self.cursorForPosition(QPoint(2, 2)).position(),
                                      nearest=True)
        if index is None:
            return None
        return index, self._word_top(index)

    def scroll_word_to(self, index: int, offset: int, *, caret: bool = True) -> None:
        """Scroll so word ``index``'s line sits ``offset`` pixels below the view's top; with
        ``caret``, put the caret there (so the next key press does not jump to the start)."""
        if not 0 <= index < len(self._word_ranges):
            return
        if caret:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._word_ranges[index][0])
            self.setTextCursor(cursor)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self._word_top(index) - offset)

    def _word_top(self, index: int) -> int:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._word_ranges[index][0])
        return self.cursorRect(cursor).top()

    def findings_at_word(self, index: int) -> list[int]:
        if self.report is None:
            return []
        return [k for k, f in enumerate(self.report.findings)
                if f.word_span[0] <= index <= f.word_span[1]]

    def caret_word(self) -> int | None:
        return self.word_at_position(self.textCursor().position(), nearest=True)

    def tooltip_for_word(self, index: int) -> str:
        """Rich-text tooltip for the findings on word ``index`` ("" when none)."""
        if self.report is None:
            return ""
        parts = [_finding_html(self.report.findings[k]) for k in self.findings_at_word(index)]
        return "<hr>".join(parts)

    # ----------------------------------------------------------------- selection
    def select_finding(self, index: int) -> None:
        """Highlight finding ``index``'s words and scroll them into view (-1 clears)."""
        self._selected = index
        if self.report is None or not 0 <= index < len(self.report.findings):
            self._selected = -1
            self._finding_selection = []
            self._show_selections()
            return
        start, end = self.finding_range(index)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = QTextCursor(self.document())
        sel.cursor.setPosition(start)
        sel.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        palette = self.palette()
        sel.format.setBackground(palette.color(QPalette.ColorRole.Highlight))
        sel.format.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
        self._finding_selection = [sel]
        self._show_selections()
        caret = QTextCursor(self.document())
        caret.setPosition(end)
        self.setTextCursor(caret)
        self.ensureCursorVisible()
        caret.setPosition(start)
        self.setTextCursor(caret)
        self.ensureCursorVisible()

    def selected_finding(self) -> int:
        return self._selected

    # ----------------------------------------------------------------- playback
    def set_playing_word(self, index: int) -> None:
        """Mark word ``index`` as the one being heard (-1: none) and keep it in view, without
        moving the caret or the finding selection."""
        if self.report is None or not 0 <= index < len(self._word_ranges):
            index = -1
        if index == self._playing:
            return
        self._playing = index
        self._show_selections()
        if index >= 0:
            start = self._word_ranges[index][0]
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            rect = self.cursorRect(cursor)
            view = self.viewport().rect()
            if not view.adjusted(0, rect.height(), 0, -rect.height() * 2).contains(rect):
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + rect.top() - view.height() // 3)

    def playing_word(self) -> int:
        return self._playing

    def _show_selections(self) -> None:
        selections = list(self._finding_selection)
        if self._playing >= 0:
            start, end = self._word_ranges[self._playing]
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(self.document())
            sel.cursor.setPosition(start)
            sel.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.format = style.playing_format(self.palette())
            selections.append(sel)
        self.setExtraSelections(selections)

    # ----------------------------------------------------------------- context menu
    def section_menu(self, word: int) -> QMenu:
        """The "<Section> starts here" menu for ``word`` (also used by the keyboard)."""
        menu = QMenu(self)
        menu.setAccessibleName("Correct the split")
        text = self.report.words[word].text.strip() if self.report else ""
        menu.addSection(f"At “{text}”")
        for label in SECTION_LABELS:
            action = menu.addAction(f"{wording.section_name(label)} starts here")
            action.setObjectName(f"mark-{label}")
            action.triggered.connect(lambda _=False, lab=label: self.markRequested.emit(word, lab))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            word = self.word_at_point(event.pos())
            if word is None:
                word = self.word_at_position(self.cursorForPosition(event.pos()).position(),
                                             nearest=True)
            pos = event.globalPos()
        else:
            word = self.caret_word()
            pos = self.viewport().mapToGlobal(self.cursorRect().bottomLeft())
        if word is None:
            return
        menu = self.section_menu(word)
        standard = self.createStandardContextMenu()
        menu.addSeparator()
        for action in standard.actions():
            menu.addAction(action)
        menu.exec(pos)
        standard.deleteLater()
        menu.deleteLater()

    def _mark_at_caret(self, label: str) -> None:
        word = self.caret_word()
        if word is not None:
            self.markRequested.emit(word, label)

    # ----------------------------------------------------------------- events
    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            word = self.caret_word()
            if word is not None:
                self.wordActivated.emit(word)
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        if (event.button() == Qt.MouseButton.LeftButton and self._press_pos is not None
                and (pos - self._press_pos).manhattanLength() < 4):
            word = self.word_at_point(pos)
            if word is not None:
                self.wordActivated.emit(word)
        self._press_pos = None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            word = self.word_at_point(event.pos())
            tip = self.tooltip_for_word(word) if word is not None else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) and self.report:
            selected = self._selected
            self._rebuild()
            self.select_finding(selected)


def _sections_or_whole(report: Report) -> list[tuple[str | None, int, int]]:
    """(label, first, last) runs covering every word, in order."""
    runs: list[tuple[str | None, int, int]] = []
    nxt = 0
    for s in sorted(report.sections, key=lambda s: s.first_word):
        if s.first_word > nxt:
            runs.append((None, nxt, s.first_word - 1))
        runs.append((s.label, s.first_word, s.last_word))
        nxt = s.last_word + 1
    if nxt < len(report.words):
        runs.append((None, nxt, len(report.words) - 1))
    return [r for r in runs if r[1] <= r[2]]


def _covering(findings: Sequence[Finding], n_words: int) -> list[set[int]]:
    cover: list[set[int]] = [set() for _ in range(n_words)]
    for k, f in enumerate(findings):
        first, last = f.word_span
        for i in range(max(0, first), min(last, n_words - 1) + 1):
            cover[i].add(k)
    return cover


def _finding_html(f: Finding) -> str:
    heard = f"<i>Heard:</i> “{html.escape(f.heard)}”<br>" if f.heard else ""
    return (f"<b>{html.escape(wording.rule_title(f.rule))}</b> · "
            f"{style.SEVERITY_NAMES.get(f.severity, f.severity)}<br>{heard}"
            f"<i>Why it costs:</i> {html.escape(f.message)}<br>"
            f"<i>Stronger:</i> {html.escape(f.suggestion)}")
