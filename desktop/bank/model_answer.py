"""The model answer: a strong answer to a pack question, to show the shape of one.

Only questions whose pack gives ``notes.model_answer`` (one text per STAR section) have
one. The text is timed at 150 words a minute and analysed with each section forced to
begin at its first word, so the timeline and the "Situation 0:19 of 0:45" times come
from the same code as a person's own review.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import style, wording
from starcoach.desktop.review.timeline import TimelineBar
from starcoach.desktop.sizing import resize_in_ems
from starcoach.rubric.clock import clock
from starcoach.rubric.model import SECTION_LABELS, Report
from starcoach.rubric.pack_schema import Catalogue
from starcoach.rubric.packs import builtin_catalogue


def model_answer_texts(question_id: str,
                       catalogue: Catalogue | None = None) -> dict[str, str]:
    """``{section: text}`` in STAR order for the question's model answer (empty if none)."""
    cat = catalogue or builtin_catalogue()
    q = cat.questions.get(question_id)
    raw = q.notes.get("model_answer") if q is not None else None
    if not isinstance(raw, dict):
        return {}
    return {label: raw[label].strip() for label in SECTION_LABELS
            if isinstance(raw.get(label), str) and raw[label].strip()}


def has_model_answer(question_id: str | None, catalogue: Catalogue | None = None) -> bool:
    return bool(question_id) and bool(model_answer_texts(question_id, catalogue))


def model_answer_report(question_id: str, catalogue: Catalogue | None = None) -> Report:
    """The model answer analysed as an answer to its question, timed at 150 wpm, with
    each section starting at its own first word."""
    from starcoach.rubric.analyze import analyze
    from starcoach.rubric.text import estimate_words

    texts = model_answer_texts(question_id, catalogue)
    if not texts:
        raise KeyError(f"question {question_id!r} has no model answer")
    marks, n = [], 0
    for label, text in texts.items():
        marks.append((n, label))
        n += len(text.split())
    words = estimate_words(" ".join(texts.values()))
    return analyze(words, question=question_id, timing="estimated", marks=marks,
                   catalogue=catalogue)


def section_caption(label: str, duration_s: float, target_s: float | None) -> str:
    """``"Situation 0:19 of 0:45"`` (or just the time when there is no target)."""
    text = f"{wording.section_name(label)} {clock(duration_s)}"
    if target_s is not None:
        text += f" of {clock(target_s)}"
    return text


class ModelAnswerDialog(QDialog):
    """Read-only: the question, the summary of what makes it strong, the section timeline,
    and the answer tinted by section with each section's time against its target."""

    def __init__(self, question_id: str, parent: QWidget | None = None,
                 catalogue: Catalogue | None = None) -> None:
        super().__init__(parent)
        cat = catalogue or builtin_catalogue()
        self.question_id = question_id
        self.report = model_answer_report(question_id, cat)
        self.texts = model_answer_texts(question_id, cat)
        q = cat.questions[question_id]
        self.setWindowTitle("Model answer")
        self.setAccessibleName("Model answer")

        question = QLabel(q.text, self)
        question.setWordWrap(True)
        question.setAccessibleName("Question")
        font = question.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.3)
        question.setFont(font)
        summary_text = q.notes.get("model_answer_summary")
        self.summary = QLabel(summary_text if isinstance(summary_text, str) else "", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What makes it strong")
        self.summary.setVisible(bool(self.summary.text()))
        self.timeline = TimelineBar(self)
        self.timeline.set_report(self.report)
        self.view = QTextBrowser(self)
        self.view.setReadOnly(True)
        self.view.setOpenLinks(False)
        self.view.setAccessibleName("Model answer text")
        self.view.setAccessibleDescription("A strong answer, one paragraph per STAR "
                                           "section, each with its time against its target.")
        note = QLabel("Times are estimated at 150 words a minute, as if spoken calmly.", self)
        note.setWordWrap(True)
        style.set_muted(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.summary)
        layout.addWidget(self.timeline)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._render()
        resize_in_ems(self, 52, 34)

    def section_captions(self) -> list[str]:
        """One caption per section as shown, e.g. ``"Situation 0:19 of 0:45"``."""
        return [section_caption(s.label, s.duration_s, s.target_s)
                for s in self.report.sections]

    def _render(self) -> None:
        pal = self.palette()
        parts = []
        for s in self.report.sections:
            words = self.report.words[s.first_word:s.last_word + 1]
            text = " ".join(w.text for w in words)
            tint = style.section_tint(s.label, pal).name()
            ink = style.section_ink(s.label, pal).name()
            over = s.target_s is not None and s.duration_s > s.target_s
            caption = html.escape(section_caption(s.label, s.duration_s, s.target_s))
            if over:
                caption += " — over its target"
            parts.append(
                f'<table width="100%" cellpadding="6" style="margin-bottom:6px">'
                f'<tr><td bgcolor="{tint}">'
                f'<p style="margin:0"><b style="color:{ink}">{caption}</b></p>'
                f'<p style="margin:0">{html.escape(text)}</p></td></tr></table>')
        self.view.setHtml("".join(parts))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if (event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange)
                and getattr(self, "view", None) is not None):
            self._render()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)
