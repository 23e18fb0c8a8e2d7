"""Save screenshots of the first run (the chooser once the built-in speech model is ready),
the question chooser, the practice screen mid-answer, the review screen, the history, its
progress chart and the STAR guide, in light and dark, at the default window size:
``python -m starcoach.desktop.screenshots OUTDIR``.

Uses a bundled sample answer and throwaway settings and data folders, so it never touches
the user's settings or history. The practice screen records silence from a stand-in
microphone (no audio device needed) and shows the live cue 47 s into the Situation.
Works headless (``QT_QPA_PLATFORM=offscreen`` is set if no display).
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
SITUATION_SO_FAR = (
    "Last year I was on the payments team at an online shop and the checkout service that "
    "many teams depended on was failing every night."
)
SIZE = (1100, 720)  # the window's default size (sizing.DEFAULT_SIZE)


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
        os.environ["STARCOACH_DATA_DIR"] = os.path.join(tmp, "data")
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
    _fill_history()
    try:
        for theme in ("light", "dark"):
            apply_theme(theme)
            window = MainWindow()
            window.resize(*SIZE)
            window.chooser.select("ownership-failure", "mid", None)
            window.show()
            app.processEvents()
            saved.append(_grab(window, out / f"questions-{theme}.png"))
            saved.append(_first_run_shot(app, out / f"first-run-{theme}.png"))
            saved.append(_practice_shot(app, out / f"practice-{theme}.png"))
            if not window.open_answer(answer):
                raise RuntimeError("the sample answer did not open")
            review = window.review
            _correct_split(review)
            findings = review.report.findings if review.report else []
            pick = next((k for k, f in enumerate(findings) if f.rule == "we_language"), 0)
            review.select_finding(pick if findings else -1)
            app.processEvents()
            saved.append(_grab(window, out / f"review-{theme}.png"))
            window.show_history()
            window.history.tabs.setCurrentWidget(window.history.progress)
            app.processEvents()
            saved.append(_grab(window, out / f"history-{theme}.png"))
            saved.append(_grab(window.history.progress, out / f"progress-{theme}.png"))
            window.menus.guide_action.trigger()
            app.processEvents()
            saved.append(_grab(window.menus.guide_dialog, out / f"star-guide-{theme}.png"))
            window.menus.guide_dialog.close()
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        answer.unlink(missing_ok=True)
        apply_theme("system")
    return saved


PROGRESSION = (  # three tries at the same question, getting better
    SAMPLE_ANSWER,
    "Last year our checkout service dropped about three percent of card payments at peak. "
    "It was not my team's service and nobody had asked me to look at it. "
    "We looked at the logs and found that app retries doubled the load on the gateway. "
    "I wrote a fix with jitter and a retry budget and rolled it out behind a flag. "
    "Things got a lot better and the team was happy.",
    "At peak, about three percent of card payments failed in a checkout service another team "
    "owned; there was no ticket and nobody had asked me to look. I decided to own it "
    "because every failed payment was a lost order. I pulled a week of gateway logs, "
    "traced the failures to app retries doubling the load, wrote a fix with jitter and a "
    "retry budget, replayed Black Friday traffic against it and rolled it out behind a flag "
    "with the owning team. Failed payments went from three percent to zero point two "
    "percent, about forty thousand dollars a day of orders kept. I now look for the "
    "missing owner first when a problem sits between two teams.",
)


def _fill_history() -> None:
    """A short history in the throwaway data folder: the same question three times."""
    from datetime import UTC, datetime, timedelta

    from starcoach.desktop.attempts.store import HistoryStore
    from starcoach.rubric.analyze import analyze
    from starcoach.rubric.text import estimate_words

    store = HistoryStore()
    start = datetime.now(UTC) - timedelta(days=9)
    for k, text in enumerate(PROGRESSION):
        words = estimate_words(text)
        new = store.begin_attempt(question="ownership-failure", principle="ownership",
                                  started_at=start + timedelta(days=4 * k), model="base.en")
        store.finish_attempt(new.id, words, analyze(words, question="ownership-failure"))
    store.set_notes(new.id, "Scope boundary first: it worked.")
    store.close()


class _SilentStream:
    """A stand-in microphone: 100 ms blocks of near-silence from a thread."""

    def __init__(self, **kw) -> None:
        import threading

        self.kw = kw
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import numpy as np

        rng = np.random.default_rng(0)
        block = self.kw["blocksize"]
        while not self.stop.wait(0.1):
            hum = (rng.standard_normal((block, 1)) * 600).astype(np.int16)
            self.kw["callback"](hum, block, None, None)

    def start(self) -> None:
        self.thread.start()

    def abort(self) -> None:
        self.stop.set()
        self.thread.join()

    def close(self) -> None:
        pass


class _NoWords:
    def recognise(self, audio):
        return []


def _first_run_shot(app, path: Path) -> Path:
    """The first screen as a new user sees it once the built-in model is ready."""
    import time

    from starcoach.desktop.app import MainWindow

    window = MainWindow(loader=lambda _m, _t: _NoWords())
    window.resize(*SIZE)
    window.show()
    deadline = time.monotonic() + 10
    while window.practice.transcriber is None and time.monotonic() < deadline:
        app.processEvents()
    app.processEvents()
    try:
        return _grab(window, path)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def _practice_shot(app, path: Path) -> Path:
    """The practice screen 47 s into an answer still in its Situation (the calm alert)."""
    import time

    from starcoach.desktop.app import MainWindow
    from starcoach.rubric.text import estimate_words

    window = MainWindow(loader=lambda _m, _t: _NoWords(),
                        stream_factory=lambda **kw: _SilentStream(**kw))
    window.resize(*SIZE)
    window.chooser.select("ownership-failure", "mid", None)
    window.show()
    screen = window.practice
    deadline = time.monotonic() + 10
    while screen.transcriber is None and time.monotonic() < deadline:
        app.processEvents()
    window.show_practice()
    if not screen.start():
        raise RuntimeError("the practice screen did not start recording")
    words = estimate_words(SITUATION_SO_FAR)
    screen.session.started_at = time.monotonic() - 47.2
    screen.meter.set_level(-18.0)
    screen._on_live_words(words)  # the live cue's own path: the words so far, judged live
    app.processEvents()
    try:
        return _grab(window, path)
    finally:
        screen.stop_and_save()
        if screen.session is not None and screen.session.attempt_id is not None:
            screen.store.delete(screen.session.attempt_id)  # a staged recording of hum
        window.close()
        window.deleteLater()
        app.processEvents()


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
