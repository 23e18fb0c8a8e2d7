"""Recording through a real PortAudio stream (ALSA fake microphone) and a crash-safe file."""

from __future__ import annotations

import signal
import threading

import numpy as np
import pytest
from conftest import silence, speak
from starcoach.speech.audio import SAMPLE_RATE, decode_audio
from starcoach.speech.errors import DeviceError, DiskFull, RecordingError
from starcoach.speech.recorder import Recorder


def quantised(audio: np.ndarray) -> np.ndarray:
    """What a float signal becomes after the s16 microphone and back."""
    return (np.clip(audio, -1, 1) * 32767).astype("<i2").astype(np.float32) / 32768.0


@pytest.fixture(scope="module")
def source() -> np.ndarray:
    audio = np.concatenate(
        [speak("I rewrote the import job and the failures stopped."), silence(0.2)]
    )
    return audio[: SAMPLE_RATE * 3]


def as_s16(x: np.ndarray) -> np.ndarray:
    return np.round(x * 32768).astype(np.int32)


def test_every_sample_recorded_reaches_the_file(fakemic, source, tmp_path):
    out = tmp_path / "answer.flac"
    fakemic.feed(source)
    child = fakemic.run_cli("record", str(out), "--seconds", "2")
    try:
        stdout, stderr = child.communicate(timeout=60)
    finally:
        fakemic.stop_feeding()
    assert child.returncode == 0, stderr
    assert "saved 2.0 s" in stdout
    recorded = decode_audio(out)
    assert recorded.size == 2 * SAMPLE_RATE
    np.testing.assert_array_equal(as_s16(recorded), as_s16(quantised(source)[: recorded.size]))


def test_ctrl_c_stops_after_a_short_tail_and_keeps_everything(fakemic, source, tmp_path):
    out = tmp_path / "answer.flac"
    fakemic.feed(source)
    child = fakemic.run_cli("record", str(out))
    try:
        assert "recording from" in child.stderr.readline()
        while fakemic.fed < source.size:  # the whole answer has been spoken
            threading.Event().wait(0.05)
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        fakemic.stop_feeding()
    assert child.returncode == 0, stderr
    recorded = decode_audio(out)
    stream = np.concatenate([quantised(source), silence(5.0)])
    np.testing.assert_array_equal(as_s16(recorded), as_s16(stream[: recorded.size]))
    # Everything fed before Stop was captured, plus the tail (the pipe holds < 64 KiB).
    assert recorded.size >= source.size - 32768 + int(0.3 * SAMPLE_RATE)


def test_a_killed_recording_loses_at_most_a_second_and_still_opens(fakemic, source, tmp_path):
    out = tmp_path / "answer.flac"
    long_source = np.concatenate([source, source])
    fakemic.feed(long_source)
    child = fakemic.run_cli("record", str(out))
    try:
        assert "recording from" in child.stderr.readline()
        while fakemic.fed < long_source.size - SAMPLE_RATE:
            threading.Event().wait(0.05)
        fakemic.stop_feeding()
        child.kill()
        child.communicate(timeout=30)
        captured = fakemic.fed - fakemic.drain()  # samples the recorder had taken
    finally:
        fakemic.stop_feeding()
    recorded = decode_audio(out)
    assert recorded.size >= captured - SAMPLE_RATE
    stream = np.concatenate([quantised(long_source), silence(5.0)])
    np.testing.assert_array_equal(as_s16(recorded), as_s16(stream[: recorded.size]))


def test_devices_lists_the_fake_microphone_and_a_wrong_device_is_one_line(fakemic, tmp_path):
    child = fakemic.run_cli("devices")
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 0, stderr
    assert "fakemic" in stdout

    child = fakemic.run_cli("record", str(tmp_path / "x.flac"), "--device", "no-such-mic")
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 2
    assert stderr.strip().count("\n") == 0 and "no input device named" in stderr
    assert not (tmp_path / "x.flac").exists()


def test_a_chosen_device_is_remembered(fakemic, source, tmp_path):
    fakemic.feed(source)
    child = fakemic.run_cli(
        "record", str(tmp_path / "a.flac"), "--seconds", "0.5", "--device", "fakemic"
    )
    try:
        _, stderr = child.communicate(timeout=60)
    finally:
        fakemic.stop_feeding()
    assert child.returncode == 0, stderr
    child = fakemic.run_cli("devices")
    stdout, _ = child.communicate(timeout=60)
    assert any(
        line.split()[:2] == ["R", "0"] or ("R" in line[:2] and "fakemic" in line)
        for line in stdout.splitlines()
    )


# -- what cannot run here: a device that vanishes, a disk that fills --------------------------


class VanishingStream:
    """Double for a PortAudio stream whose device is unplugged after ``blocks`` blocks."""

    def __init__(self, blocks: list[np.ndarray], vanish: str, **kwargs) -> None:
        self.blocks = blocks
        self.vanish = vanish  # "finished": PortAudio ends the stream; "silent": data stops
        self.callback = kwargs["callback"]
        self.finished_callback = kwargs["finished_callback"]
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        for block in self.blocks:
            self.callback(as_pcm(block), len(block), None, None)
        if self.vanish == "finished":
            self.finished_callback()

    def abort(self) -> None:
        pass

    def close(self) -> None:
        pass


def as_pcm(block: np.ndarray) -> np.ndarray:
    """A block as PortAudio delivers it: (frames, 1) int16."""
    return (np.clip(block, -1, 1) * 32767).astype(np.int16).reshape(-1, 1)


def blocks_of(audio: np.ndarray, n: int = 1600) -> list[np.ndarray]:
    return [audio[i : i + n] for i in range(0, audio.size, n)]


@pytest.mark.parametrize("vanish", ["finished", "silent"])
def test_a_lost_device_is_one_clear_error_and_the_audio_is_kept(source, tmp_path, vanish):
    out = tmp_path / "lost.flac"
    errors = []
    recorder = Recorder(
        out,
        stream_factory=lambda **kw: VanishingStream(blocks_of(source), vanish, **kw),
        on_error=errors.append,
        stall_timeout_s=0.5,
    )
    recorder.start()
    assert recorder.wait(30)
    result = recorder.stop()
    assert isinstance(result.error, DeviceError) and errors == [result.error]
    assert "\n" not in str(result.error) and "saved" in str(result.error)
    np.testing.assert_array_equal(as_s16(decode_audio(out)), as_s16(quantised(source)))


def test_a_full_disk_stops_with_one_line_and_keeps_what_was_written(source, tmp_path):
    import resource

    out = tmp_path / "full.flac"
    limit = 24_000  # bytes the "disk" takes
    long = np.concatenate([source] * 4)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    recorder = Recorder(
        out, stream_factory=lambda **kw: VanishingStream(blocks_of(long), "finished", **kw)
    )
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        recorder.start()
        recorder.wait(30)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, old_handler)
    result = recorder.stop()
    assert isinstance(result.error, RecordingError)
    assert "\n" not in str(result.error) and "is saved in" in str(result.error)
    kept = decode_audio(out)
    assert 0.3 * SAMPLE_RATE < kept.size < long.size
    np.testing.assert_array_equal(as_s16(kept), as_s16(quantised(long)[: kept.size]))


def test_no_space_left_is_named_disk_full_with_the_seconds_kept(source, tmp_path, monkeypatch):
    """ENOSPC (a real full disk cannot be made here: the write is made to fail as one
    would) stops the recording as DiskFull, not as a lost device, and keeps what was
    written."""
    import errno

    from starcoach.speech import flacfile

    real_write = flacfile.FlacWriter.write

    def write(self, samples):
        if self.samples >= SAMPLE_RATE:  # the disk fills after one second of audio
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, samples)

    monkeypatch.setattr(flacfile.FlacWriter, "write", write)
    out = tmp_path / "full.flac"
    long = np.concatenate([source] * 2)
    recorder = Recorder(
        out, stream_factory=lambda **kw: VanishingStream(blocks_of(long), "finished", **kw)
    )
    recorder.start()
    recorder.wait(30)
    result = recorder.stop()
    assert isinstance(result.error, DiskFull), result.error
    assert "disk is full" in str(result.error) and "\n" not in str(result.error)
    kept = decode_audio(out)
    assert result.error.saved_s == pytest.approx(kept.size / SAMPLE_RATE, abs=0.01)
    assert SAMPLE_RATE <= kept.size < long.size
    np.testing.assert_array_equal(as_s16(kept), as_s16(quantised(long)[: kept.size]))


def test_pause_drops_audio_and_live_blocks_match_the_file(source, tmp_path):
    out = tmp_path / "p.flac"
    live: list[np.ndarray] = []
    levels: list[float] = []
    blocks = blocks_of(source)  # 30 blocks of 0.1 s
    delivered = [threading.Event(), threading.Event()]
    go = [threading.Event(), threading.Event()]

    class Stream(VanishingStream):
        def _run(self) -> None:
            for i, block in enumerate(self.blocks):
                if i in (10, 20):
                    delivered[i // 10 - 1].set()
                    go[i // 10 - 1].wait(10)
                self.callback(as_pcm(block), len(block), None, None)

    recorder = Recorder(
        out,
        stream_factory=lambda **kw: Stream(blocks, "none", **kw),
        on_audio=live.append,
        on_level=levels.append,
        tail_s=0.0,
    )
    recorder.start()
    delivered[0].wait(10)
    recorder.pause()
    go[0].set()
    delivered[1].wait(10)
    recorder.resume()
    go[1].set()
    while recorder.duration < 1.9:  # blocks 0-9 and 20-29
        recorder.wait(0.05)
    result = recorder.stop()
    assert result.error is None
    written = decode_audio(out)
    expected = np.concatenate([quantised(source)[:16000], quantised(source)[32000:48000]])
    np.testing.assert_array_equal(as_s16(written), as_s16(expected))
    np.testing.assert_array_equal(as_s16(np.concatenate(live)), as_s16(written))
    assert len(levels) == 30 and max(levels) > -40


def test_no_microphone_at_all_is_one_line_and_writes_nothing(tmp_path):
    """A real PortAudio that finds no capture device (ALSA pointed at a card that is not
    there): `starcoach record` says so in one line and leaves no file behind."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    conf = tmp_path / "no-mic.conf"
    conf.write_text("pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n")
    harness = Path(__file__).with_name("cli_harness.py")
    out = tmp_path / "answer.flac"
    env = {**os.environ, "ALSA_CONFIG_PATH": str(conf), "STARCOACH_DATA_DIR": str(tmp_path)}
    child = subprocess.run([sys.executable, str(harness), "record", str(out), "--seconds", "1"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert child.returncode == 2
    assert child.stderr.strip().count("\n") == 0 and "no microphone found" in child.stderr
    assert not out.exists()
