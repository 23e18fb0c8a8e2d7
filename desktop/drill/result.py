"""After a reply: the words heard with the weak-making ones marked, the verdict and why, and
on request a weak and a strong example answer to the same probe."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget
from starcoach.desktop import style
from starcoach.rubric.followups import FollowUpResult
from starcoach.rubric.model import Finding, Word
from starcoach.rubric.pack_schema import FollowUp

STRONG_INK = {"light": "#1E7B3C", "dark": "#6FD08C"}
SHOW_EXAMPLES = "&Show a weak and a strong answer"
HIDE_EXAMPLES = "Hide the example an&swers"


def marked_words_html(words: list[Word], findings: list[Finding], palette: QPalette) -> str:
    """The reply as HTML, each finding's words highlighted and underlined (not colour
    alone), with what was heard, why it costs and what to say instead below."""
    marked: set[int] = set()
    for f in findings:
        marked.update(range(f.word_span[0], f.word_span[1] + 1))
    base = palette.color(QPalette.ColorRole.Base)
    ink = style.severity_color("major", palette)
    tint = style.blend(ink, base, 0.28 if style.is_dark(palette) else 0.18).name()
    parts: list[str] = []
    run: list[str] = []  # consecutive marked words: one unbroken highlight
    for i, w in enumerate(words):
        text = html.escape(w.text if w.kind != "filler" else f"({w.text})")
        if i in marked:
            run.append(text)
            continue
        if run:
            parts.append(_highlight(" ".join(run), tint))
            run = []
        parts.append(text)
    if run:
        parts.append(_highlight(" ".join(run), tint))
    out = [f"<p>{' '.join(parts)}</p>"]
    for f in findings:
        why = _rule_why(f.rule)
        out.append(f'<p><b style="color:{ink.name()};">{html.escape(f.message)}</b></p>')
        if why:
            out.append(f"<p><b>Why it costs:</b> {html.escape(why)}</p>")
        if f.suggestion:
            out.append(f"<p><b>Stronger:</b> {html.escape(f.suggestion)}</p>")
    return "\n".join(out)


def _highlight(text: str, tint: str) -> str:
    return f'<span style="background-color:{tint}; text-decoration: underline;">{text}</span>'


def _rule_why(rule: str) -> str:
    from starcoach.rubric.packs import builtin_catalogue

    spec = builtin_catalogue().rules.get(rule)  # rules come from the bundled core pack
    return spec.why if spec is not None else ""


class ReplyPanel(QWidget):
    """What the person said to one probe and how it lands."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Your reply")
        self.verdict = QLabel(self)
        self.verdict.setAccessibleName("Reply verdict")
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.verdict.setFont(font)
        self.why = QLabel(self)
        self.why.setWordWrap(True)
        self.why.setAccessibleName("Why")
        self.heard = QTextBrowser(self)
        self.heard.setAccessibleName("What you said")
        self.heard.setAccessibleDescription("Your reply as heard; marked words are the ones "
                                            "that made it weak, with why and what to say.")
        self.heard.setOpenLinks(False)
        self.toggle = QPushButton(SHOW_EXAMPLES, self)
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName("Show a weak and a strong answer")
        self.toggle.toggled.connect(self.show_examples)
        self.examples = QWidget(self)
        self.examples.setAccessibleName("Example answers")
        self.weak_example = QLabel(self.examples)
        self.weak_example.setWordWrap(True)
        self.weak_example.setAccessibleName("A weak answer")
        self.strong_example = QLabel(self.examples)
        self.strong_example.setWordWrap(True)
        self.strong_example.setAccessibleName("A strong answer")
        box = QVBoxLayout(self.examples)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.weak_example)
        box.addWidget(self.strong_example)
        self.examples.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.verdict)
        layout.addWidget(self.why)
        layout.addWidget(self.heard, 1)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.examples)
        self.result: FollowUpResult | None = None

    def set_result(self, result: FollowUpResult, words: list[Word]) -> None:
        self.result = result
        fu = result.followup
        theme = "dark" if style.is_dark(self.palette()) else "light"
        if result.weak:
            ink = style.severity_color("major", self.palette()).name()
            self.verdict.setText("Weak reply")
            self.why.setText(fu.why_weak)
        else:
            ink = STRONG_INK[theme]
            self.verdict.setText("Strong reply")
            self.why.setText("It answers the probe without the weakness the interviewer was "
                             "listening for.")
        self.verdict.setStyleSheet(f"color: {ink};")
        self.verdict.setProperty("weak", result.weak)
        self.heard.setHtml(marked_words_html(words, result.findings, self.palette()))
        self._set_examples(fu)
        self.toggle.setChecked(False)
        self.show_examples(False)

    def clear(self) -> None:
        self.result = None
        self.verdict.clear()
        self.why.clear()
        self.heard.clear()
        self.toggle.setChecked(False)

    def _set_examples(self, fu: FollowUp) -> None:
        weak_ink = style.severity_color("major", self.palette()).name()
        strong_ink = STRONG_INK["dark" if style.is_dark(self.palette()) else "light"]
        self.weak_example.setText(
            f'<b style="color:{weak_ink};">A weak answer:</b> “{html.escape(fu.weak)}”'
            f"<br>{html.escape(fu.why_weak)}")
        self.strong_example.setText(
            f'<b style="color:{strong_ink};">A strong answer:</b> “{html.escape(fu.strong)}”')

    def show_examples(self, shown: bool) -> None:
        self.examples.setVisible(shown)
        self.toggle.setText(HIDE_EXAMPLES if shown else SHOW_EXAMPLES)
