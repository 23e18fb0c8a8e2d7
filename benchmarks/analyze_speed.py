"""Analysis speed: ``python benchmarks/analyze_speed.py``.

1. In process: ``analyze`` on a 3-minute answer (about 450 timed words), median of many
   runs after a warm-up (weights and packs loaded once, as in the app). Target ≤ 150 ms.
2. Whole command: ``starcoach analyze answer.json --json`` from start to exit, median of
   several runs, with a bare ``python -c pass`` start measured in the same run as the
   baseline. Target ≤ 1 s.
3. Memory: peak RSS of that command against a bare ``python -c "import numpy"`` (the
   least any analysis needs), measured in the same run. Target: ≤ 150 MB added.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from starcoach.rubric.analyze import analyze
from starcoach.rubric.corpus import load_corpus
from starcoach.rubric.model import Word

TARGET_WORDS = 450
IN_PROCESS_TARGET_MS = 150.0
CLI_TARGET_S = 1.0
MEMORY_TARGET_MB = 150.0


def three_minute_answer() -> list[Word]:
    """Corpus answers joined to ~450 words, re-timed at 150 wpm (3 minutes)."""
    texts: list[str] = []
    for ans in load_corpus():
        texts.extend(w.text for w in ans.words)
        if len(texts) >= TARGET_WORDS:
            break
    texts = texts[:TARGET_WORDS]
    step = 180.0 / len(texts)
    return [Word(t, i * step, i * step + step * 0.85) for i, t in enumerate(texts)]


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    words = three_minute_answer()
    analyze(words, principle="ownership")  # warm-up: weights and packs load once
    ms = median_time(lambda: analyze(words, principle="ownership"), 50) * 1000
    print(f"analyze, {len(words)} words / {words[-1].end:.0f} s in process: "
          f"{ms:.1f} ms median (target {IN_PROCESS_TARGET_MS:.0f} ms, "
          f"ratio {ms / IN_PROCESS_TARGET_MS:.2f})")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answer.json"
        path.write_text(json.dumps([w.to_json() for w in words]))
        cmd = [sys.executable, "-m", "starcoach.desktop", "analyze", str(path), "--json"]
        bare = [sys.executable, "-c", "pass"]

        def run(c: list[str]) -> None:
            subprocess.run(c, check=True, stdout=subprocess.DEVNULL)

        run(cmd)
        cli = median_time(lambda: run(cmd), 10)
        base = median_time(lambda: run(bare), 10)
        rss = peak_rss_mb(cmd)
        rss_base = peak_rss_mb([sys.executable, "-c", "import numpy"])
    print(f"starcoach analyze answer.json --json, start to exit: {cli:.3f} s median "
          f"(target {CLI_TARGET_S} s, ratio {cli / CLI_TARGET_S:.2f}); bare python start "
          f"{base:.3f} s, so analyze adds {cli - base:.3f} s ({cli / base:.1f}x)")
    print(f"peak memory of that command: {rss:.0f} MB; python with numpy: {rss_base:.0f} MB; "
          f"added {rss - rss_base:.0f} MB (target {MEMORY_TARGET_MB:.0f} MB, ratio "
          f"{(rss - rss_base) / MEMORY_TARGET_MB:.2f})")
    return 0


def peak_rss_mb(cmd: list[str]) -> float:
    """Peak resident memory of a child process (Linux and macOS ``ru_maxrss``)."""

    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); print(resource.getrusage("
            "resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True,
                         capture_output=True, text=True).stdout
    kb = float(out.strip())
    return kb / 1024 / (1024 if sys.platform == "darwin" else 1)


if __name__ == "__main__":
    sys.exit(main())
