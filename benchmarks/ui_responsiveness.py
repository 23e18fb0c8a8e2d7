"""UI responsiveness: the longest stall of the GUI thread while recording and transcribing.

    python benchmarks/ui_responsiveness.py [--seconds 40] [--threads 0] [--dims base.en]
        [--model tiny.en] [--busy-core] [--repeats 1] [--stop-mid-word] [--who-stalls]

Drives the real main window (offscreen unless a display is set): loads a random-weight
model with base.en's dimensions (each 30 s window costs what the real model's does; decodes
capped at a speech-like token count, see ``speech_common.cap_tokens_to_speech``) or, with
``--model tiny.en``, the real tiny.en (uncapped), records a spoken answer played in real
time through a stand-in microphone stream (100 ms blocks, as PortAudio delivers them),
stops, and waits for the exact final transcript and its review. The answer ends with its
last whole sentence and Stop comes ``STOP_AFTER_S`` later, as when a person finishes and
reaches for Space; ``--stop-mid-word`` cuts the answer at ``--seconds`` instead, mid-word,
with Stop at that moment (the worst case: the last words need decoding after Stop).
``--busy-core`` runs it twice in one process, on the idle machine and then with one core
kept busy by a ``python -c "while True: pass"`` process (killed after), and prints both.
``--repeats N`` records N answers per condition (each in a fresh window) and prints the
median and the worst Stop latency.

A heartbeat ``QTimer`` fires every 10 ms on the GUI thread; a stall is how much later than
10 ms a beat arrives. Prints the max and p99 stall for the recording phase, the finishing
phase (Stop → final report) and overall, against the 100 ms target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
from speech_common import answer_wav, cap_tokens_to_speech, model_dir, real_tiny_en

HEARTBEAT_MS = 10
STOP_AFTER_S = 0.7  # from the end of the last word to Stop, when the answer ends whole
TARGET_MS = 100.0


class RealTimeStream:
    """A microphone stand-in: plays ``audio`` (16 kHz) in real time, then silence."""

    def __init__(self, audio: np.ndarray, **kw) -> None:
        self.pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16).reshape(-1, 1)
        self.callback, self.block = kw["callback"], kw["blocksize"]
        self.finished = kw["finished_callback"]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start, pos = time.monotonic(), 0
        while not self._stop.is_set():
            chunk = self.pcm[pos : pos + self.block]
            if len(chunk) < self.block:
                chunk = np.vstack([chunk, np.zeros((self.block - len(chunk), 1), np.int16)])
            self.callback(chunk, self.block, None, None)
            pos += self.block
            ahead = pos / 16000 - (time.monotonic() - start)
            if ahead > 0:
                self._stop.wait(ahead)

    def start(self) -> None:
        self._thread.start()

    def abort(self) -> None:
        self._stop.set()
        self._thread.join()

    def close(self) -> None:
        pass


class Heartbeat:
    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.stalls: dict[str, list[float]] = {}
        self.phase = "idle"

    def _beat(self) -> None:
        now = time.perf_counter()
        stall = max(0.0, (now - self.last) * 1000 - HEARTBEAT_MS)
        self.stalls.setdefault(self.phase, []).append(stall)
        self.last = now

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()


class StallSampler:
    """``--who-stalls``: a thread that, while a heartbeat is overdue by more than
    ``late_ms``, records where the GUI thread is (its innermost frames in the project), so
    the stalls can be traced to code. It samples only when it gets the interpreter, so a
    stall inside one C call shows as the Python line that made the call."""

    def __init__(self, beat: Heartbeat, late_ms: float = 30.0) -> None:
        self.beat, self.late_ms = beat, late_ms
        self.gui = threading.main_thread().ident
        self.seen: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            late = (time.perf_counter() - self.beat.last) * 1000 - HEARTBEAT_MS
            frame = sys._current_frames().get(self.gui) if late > self.late_ms else None
            if frame is None:
                continue
            where = []
            while frame is not None and len(where) < 4:
                path = frame.f_code.co_filename
                if "starcoach" in path or "site-packages" not in path:  # the project's
                    where.append(f"{os.path.basename(path)}:{frame.f_lineno} "
                                 f"{frame.f_code.co_name}")
                frame = frame.f_back
            key = f"[{self.beat.phase}] " + " < ".join(where)
            self.seen[key] = self.seen.get(key, 0) + 1

    def report(self) -> None:
        self._stop.set()
        self._thread.join()
        print("where the GUI thread was during stalls (5 ms samples):")
        for key, n in sorted(self.seen.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {n * 5:5d} ms  {key}")


def p99(values: list[float]) -> float:
    if len(values) < 2:
        return max(values, default=0.0)
    return min(max(values), statistics.quantiles(values, n=100)[98])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=40.0, help="answer length")
    ap.add_argument("--threads", type=int, default=0,
                    help="CPU threads for the model (0: the app's automatic choice)")
    ap.add_argument("--dims", default="base.en", choices=["tiny.en", "base.en"])
    ap.add_argument("--model", choices=["tiny.en"], default=None,
                    help="the real model instead of random weights with --dims")
    ap.add_argument("--repeats", type=int, default=1, help="recordings per condition")
    ap.add_argument("--busy-core", action="store_true",
                    help="measure idle, then with one core busy, in the same run")
    ap.add_argument("--stop-mid-word", action="store_true",
                    help="press Stop at --seconds, mid-word, not after the last sentence")
    ap.add_argument("--who-stalls", action="store_true",
                    help="sample where the GUI thread is while a heartbeat is overdue")
    args = ap.parse_args(argv)
    if args.threads <= 0:
        from starcoach.desktop.practice.model import automatic_threads

        args.threads = automatic_threads()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from starcoach.speech.audio import decode_audio

    if args.model:
        folder, label = real_tiny_en(), "real tiny.en"
    else:
        cap_tokens_to_speech()
        folder, label = model_dir(args.dims), f"random-weight {args.dims} dims"
    audio = decode_audio(answer_wav(args.seconds))
    stop_at = args.seconds
    if not args.stop_mid_word:
        audio = whole_sentences(audio)
        stop_at = audio.size / 16000 + STOP_AFTER_S
    app = QApplication.instance() or QApplication([sys.argv[0]])
    status = 0
    results = []
    for busy in ([False, True] if args.busy_core else [False]):
        hog = (subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy
               else None)
        try:
            condition = "one core busy" if busy else "idle"
            print(f"== {condition}: model {label}, {args.threads} threads; answer "
                  f"{audio.size / 16000:.1f} s, Stop at {stop_at:.1f} s; heartbeat "
                  f"{HEARTBEAT_MS} ms", flush=True)
            runs = [measure(app, args, folder, audio, stop_at)
                    for _ in range(max(1, args.repeats))]
        finally:
            if hog is not None:
                hog.kill()
                hog.wait()
        results.append((condition, runs))
        status |= 0 if max(r["worst"] for r in runs) <= TARGET_MS else 1
    print(f"\nStop -> review, {label}, {audio.size / 16000:.0f} s answer, "
          f"{'Stop mid-word' if args.stop_mid_word else f'Stop {STOP_AFTER_S} s after it'}, "
          f"{max(1, args.repeats)} recording(s) per condition (median / worst):")
    for condition, runs in results:
        first = [r["first"] for r in runs]
        final = [r["final"] for r in runs]
        print(f"  {condition:>14}: first review {statistics.median(first):.2f} / "
              f"{max(first):.2f} s; exact words {statistics.median(final):.2f} / "
              f"{max(final):.2f} s; max stall {max(r['worst'] for r in runs):.0f} ms")
    return status


def whole_sentences(audio: np.ndarray) -> np.ndarray:
    """``audio`` up to the end of its last whole sentence (the start of its last pause)."""
    loud = np.flatnonzero(np.abs(audio) >= 1e-4)
    gaps = np.flatnonzero(np.diff(loud) > 0.3 * 16000)  # pauses between sentences
    if not gaps.size:
        return audio
    return audio[: loud[gaps[-1]] + 1]


def measure(app, args, folder, audio, stop_at: float) -> dict:
    """One recording in a fresh window; prints the phases, returns the Stop latencies."""
    tmp = tempfile.TemporaryDirectory()
    os.environ["STARCOACH_CONFIG_DIR"] = os.path.join(tmp.name, "config")
    os.environ["STARCOACH_DATA_DIR"] = os.path.join(tmp.name, "data")

    from PySide6.QtCore import QEventLoop, QTimer
    from starcoach.desktop.app import MainWindow
    from starcoach.speech.transcribe import Transcriber

    t0 = time.perf_counter()
    window = MainWindow(
        loader=lambda _m, _t: Transcriber(folder, cpu_threads=args.threads),
        stream_factory=lambda **kw: RealTimeStream(audio, **kw),
    )
    beat = Heartbeat()
    screen = window.practice
    loop = QEventLoop()

    def wait_for(signal, check=lambda *a: True, timeout_s: float = 600) -> None:
        def hit(*a):
            if check(*a):
                loop.quit()

        signal.connect(hit)
        timer = QTimer()  # its own timer: an earlier wait's must not end this one
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(int(timeout_s * 1000))
        loop.exec()
        timer.stop()
        signal.disconnect(hit)

    beat.phase = "loading"
    beat.start()
    sampler = StallSampler(beat) if args.who_stalls else None
    window.resize(1100, 760)
    window.show()
    app.processEvents()
    shown = time.perf_counter() - t0
    if screen.transcriber is None:
        wait_for(screen.modelReady)
    loaded = time.perf_counter() - t0
    window.show_practice()
    beat.phase = "recording"
    assert screen.start(), "recording did not start"
    QTimer.singleShot(int(stop_at * 1000), screen.stop)
    first_at = final_at = 0.0

    def report(_r, final: bool) -> None:
        nonlocal first_at, final_at
        now = time.perf_counter()
        if final:
            final_at = now
        elif not first_at:
            first_at = now

    screen.reportReady.connect(report)
    wait_for(screen.recordingChanged, lambda on: not on, stop_at + 60)
    beat.phase = "finishing"
    stopped = time.perf_counter()
    wait_for(screen.reportReady, lambda _r, final: final)
    beat.timer.stop()
    if sampler is not None:
        sampler.report()
    stats = screen.session.transcription.stats if screen.session is not None else None
    window.close()
    app.processEvents()

    print(f"window shown in {shown * 1000:.0f} ms; model ready after {loaded:.1f} s")
    if first_at:
        print(f"Stop -> first review {first_at - stopped:.2f} s; "
              f"-> exact words {final_at - stopped:.2f} s")
    if stats is not None:
        print(f"live work: {stats}")
    everything: list[float] = []
    worst = 0.0
    for phase in ("loading", "recording", "finishing"):
        values = beat.stalls.get(phase, [])
        if not values:
            continue
        if phase != "loading":
            everything += values
            worst = max(worst, max(values))
        print(f"{phase:>10}: {len(values):5d} beats  max stall {max(values):6.1f} ms  "
              f"p99 {p99(values):6.1f} ms")
    print(f"recording + transcription: max stall {worst:.1f} ms, p99 {p99(everything):.1f} ms "
          f"-> {'PASS' if worst <= TARGET_MS else 'FAIL'} (target {TARGET_MS:.0f} ms)",
          flush=True)
    tmp.cleanup()
    return {"first": first_at - stopped if first_at else float("nan"),
            "final": final_at - stopped, "worst": worst}


if __name__ == "__main__":
    sys.exit(main())
