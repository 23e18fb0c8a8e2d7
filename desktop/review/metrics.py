"""Metrics and scores: pace, fillers, I versus we, the five category scores and the verdict."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)
from starcoach.desktop import wording
from starcoach.rubric.clock import clock
from starcoach.rubric.model import Report

CATEGORIES = ("structure", "ownership", "impact", "reflection", "delivery")


class MetricsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Metrics and scores")
        self.verdict = QLabel(self)
        self.verdict.setAccessibleName("Verdict")
        font = self.verdict.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.5)
        self.verdict.setFont(font)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.overall = QLabel(self)
        self.overall.setAccessibleName("Overall score")
        self.overall.setWordWrap(True)  # a long list of capping rules wraps, never widens
        self.followup = QLabel(self)
        self.followup.setAccessibleName("After the follow-up questions")
        self.followup.setWordWrap(True)
        self.followup.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.followup.setVisible(False)

        delivery = QGroupBox("Delivery", self)
        form = QFormLayout(delivery)
        self.pace = QLabel(delivery)
        self.fillers = QLabel(delivery)
        self.i_we = QLabel(delivery)
        self.timing = QLabel(delivery)
        for name, label in (("Pace", self.pace), ("Fillers", self.fillers),
                            ("I vs we", self.i_we), ("Timing", self.timing)):
            label.setAccessibleName(name)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{name}:", label)

        scores = QGroupBox("Scores", self)
        score_form = QFormLayout(scores)
        self.bars: dict[str, QProgressBar] = {}
        for cat in CATEGORIES:
            bar = QProgressBar(scores)
            bar.setRange(0, 100)
            bar.setFormat("%v / 100")
            bar.setAccessibleName(f"{cat.capitalize()} score")
            self.bars[cat] = bar
            score_form.addRow(f"{cat.capitalize()}:", bar)

        headline = QHBoxLayout()
        headline.addWidget(self.verdict)
        headline.addWidget(self.overall, 1, Qt.AlignmentFlag.AlignBottom)
        groups = QHBoxLayout()
        groups.addWidget(scores, 1)
        groups.addWidget(delivery, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(headline)
        layout.addWidget(self.followup)
        layout.addLayout(groups)
        layout.addStretch(1)

    def set_followup_effect(self, scores: dict | None) -> None:
        """How the follow-up drill moved the rating (``rubric.followups.rescore``'s scores);
        ``None`` or no effect hides the line."""
        reason = (scores or {}).get("followup_effect")
        self.followup.setVisible(bool(reason))
        if not reason:
            self.followup.setText("")
            return
        before = scores.get("verdict_before_followups") or "—"
        after = scores.get("verdict") or "—"
        self.followup.setText(f"After the follow-up questions: {before} → {after}. {reason}")

    def set_report(self, report: Report) -> None:
        m, s = report.metrics, report.scores
        verdict = s.get("verdict", "—")
        self.verdict.setText(verdict)
        overall = s.get("overall")
        capped = s.get("capped_by") or []
        text = f"Overall {overall} / 100" if overall is not None else ""
        if capped:
            text += " · capped by " + ", ".join(wording.rule_title(str(c)) for c in capped)
        self.overall.setText(text)
        self.pace.setText(f"{m.get('wpm', 0):.0f} words per minute")
        self.fillers.setText(f"{m.get('fillers_per_min', 0):.1f} per minute "
                             f"({m.get('filler_count', 0)} in all)")
        i_count, we_count = m.get("i_count", 0), m.get("we_count", 0)
        share = m.get("i_share")
        share_text = f" ({round(share * 100)} % I)" if share is not None else ""
        self.i_we.setText(f"{i_count} I · {we_count} we{share_text}")
        total = report.duration_s
        self.timing.setText(f"{clock(total)} total"
                            + (" (estimated from text)" if report.timing == "estimated" else ""))
        for cat, bar in self.bars.items():
            value = int(s.get(cat, 0))
            bar.setValue(value)
            bar.setAccessibleDescription(f"{value} out of 100")
            reasons = (s.get("explanation") or {}).get(cat) or []
            bar.setToolTip("\n".join(r.replace("_", " ") for r in reasons) or "No deductions")
