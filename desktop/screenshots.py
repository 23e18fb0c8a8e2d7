"""Save screenshots of the review screen in light and dark: ``python -m
starcoach.desktop.screenshots OUTDIR``.

Uses a bundled sample answer and a throwaway settings folder, so it never touches the
user's settings. Works headless (``QT_QPA_PLATFORM=offscreen`` is set if no display).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SAMPLE_ANSWER = (
    "So um last year I was a backend engineer on the payments team at an online shop, and "
    "we had a checkout service that a lot of other teams depended on, and honestly it was "
    "kind of old and nobody really liked working on it, and there had been a few incidents "
    "before that were never really explained, and around Black Friday traffic was going up "
    "a lot, and the on-call rotation was pretty tired, and there were a lot of meetings "
    "about capacity that did not really go anywhere. The service had been written by a "
    "team that had since moved on, the documentation was mostly out of date, and every "
    "quarter someone would propose rewriting it but it never made it onto the roadmap "
    "because there was always something more urgent to do first. "
    "My manager asked me to look into why about three percent of card payments were "
    "failing at peak. "
    "We looked at the logs and we found that retries from the mobile app were doubling the "
    "load on the card gateway. I wrote a fix that added jitter and a retry budget, I tested "
    "it against a replay of the Black Friday traffic, and I rolled it out behind a flag "
    "over two days while watching the error dashboards. "
    "After the release failed payments went from three percent to zero point two percent "
    "at peak, which kept about forty thousand dollars a day of orders, and the mobile team "
    "adopted the retry budget in their other clients. "
    "What I learned is that communication is really important."
)
SIZE = (1280, 860)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m starcoach.desktop.screenshots OUTDIR\n")
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STARCOACH_CONFIG_DIR"] = tmp
        for path in save_screenshots(out):
            sys.stdout.write(f"{path}\n")
    return 0


def save_screenshots(out: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication
    from starcoach.desktop.app import MainWindow
    from starcoach.desktop.settings import apply_theme, set_application_names

    app = QApplication.instance() or QApplication([sys.argv[0]])
    set_application_names()
    answer = out / "sample-answer.txt"
    answer.write_text(SAMPLE_ANSWER + "\n", encoding="utf-8")
    saved: list[Path] = []
    try:
        for theme in ("light", "dark"):
            apply_theme(theme)
            window = MainWindow()
            window.resize(*SIZE)
            window.chooser.select("ownership-failure", "mid", None)
            window.show()
            app.processEvents()
            saved.append(_grab(window, out / f"questions-{theme}.png"))
            if not window.open_answer(answer):
                raise RuntimeError("the sample answer did not open")
            review = window.review
            _correct_split(review)
            findings = review.report.findings if review.report else []
            pick = next((k for k, f in enumerate(findings) if f.rule == "we_language"), 0)
            review.select_finding(pick if findings else -1)
            app.processEvents()
            saved.append(_grab(window, out / f"review-{theme}.png"))
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        answer.unlink(missing_ok=True)
        apply_theme("system")
    return saved


def _correct_split(review) -> None:
    """Show a corrected split (as a person would make it), one mark per section."""
    words = [w.text for w in review.report.words] if review.report else []
    starts = (("So", "situation"), ("My", "task"), ("We", "action"), ("After", "result"),
              ("What", "reflection"))
    for text, label in starts:
        if text in words:
            review.mark_section(words.index(text), label)


def _grab(widget, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


if __name__ == "__main__":
    sys.exit(main())
