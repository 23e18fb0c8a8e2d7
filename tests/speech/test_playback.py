"""Playback for reviewing an attempt: the pitch-keeping time stretch, play/pause/seek/range
logic against a hand-driven stream, and real PortAudio playing into the ALSA fake speaker.

PortAudio reads ALSA's configuration once, when ``sounddevice`` is first imported, so this
module points ``ALSA_CONFIG_PATH`` at a FakeMic configuration (whose default playback
device writes to ``speaker.raw``) at import, unless tests/desktop/conftest.py already did.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeMic
from starcoach.speech.errors import AudioError, DeviceError
from starcoach.speech.flacfile import FlacWriter
from starcoach.speech.playback import PlaybackComplete, Player, TimeStretcher


def _fake_speaker() -> tuple[Path | None, str]:
    """The file this process's PortAudio default output writes to, or why there is none."""
    for part in os.environ.get("ALSA_CONFIG_PATH", "").split(":"):
        conf = Path(part)
        if conf.name == "asound.conf" and conf.is_file():
            found = re.search(r'file "([^"]*speaker\.raw)"', conf.read_text())
            if found:
                return Path(found.group(1)), ""
    if "sounddevice" in sys.modules:
        return None, "sounddevice was imported before the fake speaker was set up"
    if not Path("/usr/share/alsa/alsa.conf").exists():
        return None, "ALSA configuration not installed"
    folder = Path(tempfile.mkdtemp(prefix="starcoach-speaker-"))
    atexit.register(shutil.rmtree, folder, True)
    mic = FakeMic(folder)
    _KEEP.append(mic)  # its FIFO must stay open for PortAudio's device probes
    os.environ["ALSA_CONFIG_PATH"] = mic.alsa_config_path
    return mic.speaker, ""


_KEEP: list[FakeMic] = []
SPEAKER, SPEAKER_PROBLEM = _fake_speaker()

import sounddevice as sd  # noqa: E402 - after ALSA_CONFIG_PATH names the fake speaker

RATE = 8000  # for the hand-driven stream: small and quick


def tone(freq: float, seconds: float, rate: int, amp: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def noise(seconds: float, rate: int, seed: int = 1) -> np.ndarray:
    """Seeded noise: every stretch of it is unique, so where a piece came from is provable."""
    return (0.3 * np.random.default_rng(seed).standard_normal(round(seconds * rate))).astype(
        np.float32
    )


def dominant_hz(signal: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(signal.size)))
    return float(np.argmax(spectrum) * rate / signal.size)


def one_line(exc: BaseException) -> bool:
    return bool(str(exc).strip()) and "\n" not in str(exc)


# -- the time stretch ----------------------------------------------------------------------


@pytest.mark.parametrize("speed", [0.75, 1.25, 1.5])
def test_stretch_scales_the_duration_by_one_over_speed(speed):
    source = noise(2.0, 16000) * tone(3, 2.0, 16000, 1.0)  # speech-like: bursts and gaps
    out = TimeStretcher(source, 16000)
    out.speed = speed
    played = out.read(10 * source.size)
    assert played.size / source.size == pytest.approx(1 / speed, rel=0.02)
    assert out.position == pytest.approx(source.size, abs=1)


@pytest.mark.parametrize("speed", [0.75, 1.5])
def test_stretch_keeps_the_pitch_of_a_440_hz_tone(speed):
    rate = 44100
    out = TimeStretcher(tone(440, 3.0, rate), rate)
    out.speed = speed
    played = out.read(10 * 3 * rate)
    assert dominant_hz(played[rate // 10 : -rate // 10], rate) == pytest.approx(440, rel=0.02)


def test_stretch_does_not_click_even_when_the_speed_changes_mid_stream():
    rate = 44100
    source = tone(440, 4.0, rate)
    out = TimeStretcher(source, rate)
    blocks = []
    for i, speed in enumerate([0.75, 1.5, 1.0, 1.25, 0.8, 1.5] * 6):
        out.speed = speed
        blocks.append(out.read(rate // 20 + i))  # odd block sizes, like PortAudio's
    played = np.concatenate(blocks)[out.hop :]  # after the fade-in
    assert played.size > rate
    smooth = np.max(np.abs(np.diff(source)))
    assert np.max(np.abs(np.diff(played))) <= 1.1 * smooth
    assert np.min(np.abs(played[: -out.hop][np.abs(played[: -out.hop]) > 0.49])) > 0  # no dropouts
    assert np.max(np.abs(played)) <= 0.5 * 1.02


def test_at_one_x_the_output_is_the_source_after_a_short_fade_in():
    source = noise(1.0, RATE)
    out = TimeStretcher(source, RATE)
    played = np.concatenate([out.read(n) for n in (7, 500, 1, 3000, 10_000)])
    assert played.size == source.size
    np.testing.assert_allclose(played[out.hop :], source[out.hop :], atol=1e-6)
    assert abs(played[0]) < 1e-6 and np.all(np.abs(played[: out.hop]) <= np.abs(source[: out.hop]))


def test_read_stops_at_the_end_given_and_reset_moves_the_cursor():
    source = noise(1.0, RATE)
    out = TimeStretcher(source, RATE)
    out.speed = 1.5
    out.reset(2000)
    part = out.read(RATE, end=5000)
    assert part.size == pytest.approx(3000 / 1.5, abs=2)
    assert out.position >= 5000 and out.read(100, end=5000).size == 0
    out.speed = 1.0
    out.reset(6000)
    np.testing.assert_allclose(out.read(1000)[out.hop :], source[6000 + out.hop : 7000], atol=1e-6)


# -- the player against a stream driven by hand -------------------------------------------------


class HandStream:
    """Double for a PortAudio output stream: the test pulls each block itself."""

    def __init__(self, **kwargs) -> None:
        self.kwargs = kwargs
        self.callback = kwargs["callback"]
        self.finished_callback = kwargs["finished_callback"]
        self.started = self.closed = self.finished = False

    def start(self) -> None:
        self.started = True

    def pull(self, frames: int) -> np.ndarray:
        """One callback's worth of output (frames, channels)."""
        assert self.started and not self.finished
        out = np.full((frames, self.kwargs["channels"]), 9.0, dtype=np.float32)
        try:
            self.callback(out, frames, None, None)
        except (PlaybackComplete, sd.CallbackStop):
            self.finished = True
            self.finished_callback()
        return out

    def abort(self) -> None:
        if not self.finished:
            self.finished = True
            self.finished_callback()

    def close(self) -> None:
        self.closed = True

    def vanish(self) -> None:
        """The device is unplugged: PortAudio ends the stream on its own."""
        self.finished = True
        self.finished_callback()


class Harness:
    def __init__(self, seconds: float = 6.0) -> None:
        self.streams: list[HandStream] = []
        self.finished = 0
        self.errors: list[DeviceError] = []
        self.source = noise(seconds, RATE)
        self.player = Player(
            stream_factory=self.factory,
            samplerate=RATE,
            on_finished=self._finished,
            on_error=self.errors.append,
        )
        assert self.player.load_samples(self.source, RATE) == pytest.approx(seconds)

    def factory(self, **kwargs) -> HandStream:
        self.streams.append(HandStream(**kwargs))
        return self.streams[-1]

    def _finished(self) -> None:
        self.finished += 1

    @property
    def stream(self) -> HandStream:
        return self.streams[-1]

    def pull_all(self, frames: int = 500) -> np.ndarray:
        blocks = []
        while not self.stream.finished:
            blocks.append(self.stream.pull(frames)[:, 0])
            assert len(blocks) < 10_000
        return np.concatenate(blocks)


@pytest.fixture
def hand() -> Harness:
    return Harness()


def test_a_range_plays_exactly_that_range_then_reports_finished(hand):
    hand.player.play(1.0, 2.5)
    assert hand.player.playing and hand.stream.kwargs["samplerate"] == RATE
    assert hand.stream.kwargs["dtype"] == "float32"
    played = hand.pull_all(frames=333)
    hop = 160  # 20 ms fade-in
    assert played.size >= 12000 and not played[12000:].any()  # 1.5 s, then silence
    assert np.count_nonzero(played[11000:12000]) > 990
    np.testing.assert_allclose(played[hop:11960], hand.source[8000 + hop : 19960], atol=1e-6)
    assert hand.finished == 1 and not hand.errors
    assert not hand.player.playing
    assert hand.player.position == pytest.approx(2.5, abs=1e-3)
    assert hand.player.range_end == pytest.approx(2.5)


def test_a_range_at_one_and_a_half_x_takes_two_thirds_of_the_time(hand):
    hand.player.set_speed(1.5)
    hand.player.play(1.0, 4.0)
    played = hand.pull_all()
    assert np.flatnonzero(played)[-1] + 1 == pytest.approx(3.0 * RATE / 1.5, abs=2)
    assert hand.finished == 1
    assert hand.player.position == pytest.approx(4.0, abs=1e-3)


def test_position_follows_what_was_handed_over_and_speed_changes_its_pace(hand):
    hand.player.play(2.0)
    assert hand.player.position == pytest.approx(2.0)  # nothing played yet
    hand.stream.pull(800)
    assert hand.player.position == pytest.approx(2.1)
    hand.player.set_speed(1.5)
    hand.stream.pull(160)  # the frame already made still plays at 1.0x
    hand.stream.pull(1600)
    assert hand.player.position == pytest.approx(2.1 + 0.02 + 0.2 * 1.5, abs=0.021)
    hand.player.set_speed(5)
    assert hand.player.speed == 1.5
    hand.player.set_speed(0.1)
    assert hand.player.speed == 0.75


def test_seek_while_playing_goes_on_from_there(hand):
    hand.player.play(0.0)
    hand.stream.pull(4000)
    hand.player.seek(3.0)
    assert hand.player.position == pytest.approx(3.0) and hand.player.playing
    block = hand.stream.pull(2000)[:, 0]
    np.testing.assert_allclose(block[160:], hand.source[24160:26000], atol=1e-6)
    assert hand.player.position == pytest.approx(3.25)
    assert len(hand.streams) == 1  # the same stream went on


def test_pause_stops_the_stream_keeps_the_place_and_play_resumes_there(hand):
    hand.player.play(0.5, 4.0)
    hand.stream.pull(1000)
    first = hand.stream
    hand.player.pause()
    assert first.finished and first.closed and not hand.player.playing
    assert hand.player.position == pytest.approx(0.625)
    assert hand.finished == 0 and not hand.errors  # a pause is neither an end nor an error
    hand.player.play()  # resumes inside the same range
    assert hand.stream is not first
    played = hand.pull_all()
    np.testing.assert_allclose(played[160:1000], hand.source[5160:6000], atol=1e-6)
    assert not played[27000:].any() and np.count_nonzero(played[26000:27000]) > 990  # 3.375 s
    assert hand.finished == 1 and hand.player.position == pytest.approx(4.0)
    hand.player.play()  # after a range: on from its end to the end of the recording
    assert hand.player.position == pytest.approx(4.0) and hand.player.range_end is None
    assert hand.pull_all().size >= 2 * RATE and hand.finished == 2
    hand.player.play()  # after the end of the recording: from the top
    assert hand.player.position == 0.0 and hand.player.playing


def test_seek_while_paused_and_past_the_range_end(hand):
    hand.player.play(1.0, 2.0)
    hand.stream.pull(100)
    hand.player.pause()
    hand.player.seek(4.5)  # beyond the range: the range is dropped
    assert hand.player.position == pytest.approx(4.5) and hand.player.range_end is None
    hand.player.play()
    played = hand.pull_all()
    assert played.size >= 1.5 * RATE and not played[round(1.5 * RATE) :].any()
    assert np.count_nonzero(played[11000:12000]) > 990


def test_a_lost_device_is_one_line_error_and_not_a_finish(hand):
    hand.player.play(0.0)
    hand.stream.pull(2000)
    hand.stream.vanish()
    assert len(hand.errors) == 1 and isinstance(hand.errors[0], DeviceError)
    assert one_line(hand.errors[0]) and "output device was lost" in str(hand.errors[0])
    assert hand.finished == 0 and not hand.player.playing
    assert hand.player.position == pytest.approx(0.25)


def test_no_output_device_is_one_line_device_error():
    def unplugged(**kwargs):
        raise sd.PortAudioError("Error querying device -1")

    player = Player(stream_factory=unplugged)
    player.load_samples(noise(1.0, RATE), RATE)
    with pytest.raises(DeviceError) as caught:
        player.play()
    assert one_line(caught.value) and "no audio output device found" in str(caught.value)
    assert not player.playing


def test_no_output_device_through_real_portaudio_is_one_line(tmp_path):
    """ALSA pointed at a card that is not there: PortAudio finds no output at all."""
    conf = tmp_path / "no-output.conf"
    conf.write_text("pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n")
    code = (
        "import numpy as np\n"
        "from starcoach.speech.errors import DeviceError\n"
        "from starcoach.speech.playback import Player\n"
        "p = Player()\n"
        "p.load_samples(np.ones(16000, np.float32) * 0.1, 16000)\n"
        "try:\n    p.play()\nexcept DeviceError as e:\n    print(e)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "ALSA_CONFIG_PATH": str(conf)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip().count("\n") == 0
    assert "no audio output device found" in child.stdout


def write_flac(path: Path, audio: np.ndarray, rate: int = 16000) -> Path:
    writer = FlacWriter(path, rate)
    writer.write(audio)
    writer.close()
    return path


def test_corrupt_and_empty_files_are_one_line_audio_errors(tmp_path):
    player = Player(stream_factory=HandStream, samplerate=RATE)
    empty = tmp_path / "empty.flac"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.flac"
    garbage.write_bytes(b"fLaC" + bytes(range(256)) * 8)
    for path in (empty, garbage, tmp_path / "missing.flac"):
        with pytest.raises(AudioError) as caught:
            player.load(path)
        assert one_line(caught.value) and str(path) in str(caught.value)
    with pytest.raises(AudioError) as caught:
        player.load_samples(np.zeros(0, np.float32), RATE)
    assert one_line(caught.value)
    assert player.duration == 0.0


def test_load_decodes_the_file_at_the_output_rate(tmp_path):
    path = write_flac(tmp_path / "a.flac", tone(440, 2.0, 16000))
    streams: list[HandStream] = []
    player = Player(
        stream_factory=lambda **kw: streams.append(HandStream(**kw)) or streams[-1],
        samplerate=44100,
    )
    assert player.load(path) == pytest.approx(2.0, abs=0.01)
    assert player.rate == 44100 and player.samples.size == pytest.approx(88200, abs=50)
    player.play()
    assert streams[-1].kwargs["samplerate"] == 44100
    out = streams[-1].pull(44100)[:, 0]
    assert dominant_hz(out[4410:], 44100) == pytest.approx(440, rel=0.01)


def test_a_device_whose_rate_changed_since_loading_gets_audio_at_its_new_rate(
    tmp_path, monkeypatch
):
    """Double for what cannot happen here: the default output switches from a 44.1 kHz
    device to one that only takes 22.05 kHz between loading and playing."""
    device = {"default_samplerate": 44100.0, "max_output_channels": 2}
    streams: list[HandStream] = []

    def check_output_settings(device=None, samplerate=None, channels=None, dtype=None):
        if samplerate != current["default_samplerate"]:
            raise sd.PortAudioError("Invalid sample rate")

    current = dict(device)
    monkeypatch.setattr(sd, "query_devices", lambda device=None, kind=None: dict(current))
    monkeypatch.setattr(sd, "check_output_settings", check_output_settings)
    monkeypatch.setattr(
        sd, "OutputStream", lambda **kw: streams.append(HandStream(**kw)) or streams[-1]
    )
    path = write_flac(tmp_path / "a.flac", tone(440, 3.0, 16000))
    player = Player()
    player.load(path)
    assert player.rate == 44100
    current["default_samplerate"] = 22050.0
    player.play(1.0, 2.0)
    assert streams[-1].kwargs["samplerate"] == 22050 and player.rate == 22050
    assert player.position == pytest.approx(1.0)  # positions stay in source seconds
    out = streams[-1].pull(22050)[:, 0]
    assert streams[-1].finished  # one second of 22.05 kHz audio fills exactly this block
    assert dominant_hz(out[2205:20000], 22050) == pytest.approx(440, rel=0.01)
    assert player.position == pytest.approx(2.0, abs=1e-3)


# -- real PortAudio, playing into the ALSA fake speaker ------------------------------------------


@pytest.fixture
def speaker() -> Path:
    if SPEAKER is None:
        pytest.skip(SPEAKER_PROBLEM)
    try:
        sd.query_devices(kind="output")
    except Exception:
        pytest.skip("PortAudio lists no output device for the fake speaker")
    return SPEAKER


def heard(speaker: Path) -> np.ndarray:
    """What reached the speaker, without PortAudio's leading and trailing silence."""
    data = np.fromfile(speaker, dtype=np.float32)
    voiced = np.flatnonzero(data)
    assert voiced.size, "nothing reached the speaker"
    return data[voiced[0] : voiced[-1] + 1]


def played_through(player: Player, start: float | None, end: float | None) -> None:
    done = threading.Event()
    player.on_finished = done.set
    player.play(start, end)
    assert done.wait(30), "on_finished never came"
    player.close()  # ALSA writes out and closes the speaker file


def where_in(source: np.ndarray, piece: np.ndarray, near: int, radius: int = 20_000) -> int:
    """Offset of ``piece`` in ``source``, searched within ``radius`` of ``near``."""
    lo = max(0, near - radius)
    region = source[lo : near + radius + piece.size]
    scores = np.correlate(region, piece, mode="valid")
    return lo + int(np.argmax(scores))


@pytest.mark.parametrize("speed", [1.0, 1.5])
def test_real_portaudio_plays_the_range_at_the_device_rate(speaker, tmp_path, speed):
    source16 = noise(6.0, 16000, seed=7) * tone(2, 6.0, 16000, 1.0)
    path = write_flac(tmp_path / "answer.flac", source16)
    player = Player()
    player.load(path)
    rate = int(sd.query_devices(kind="output")["default_samplerate"])
    assert player.rate == rate  # decoded straight at the rate the device runs at
    player.set_speed(speed)
    played_through(player, 1.0, 3.0)
    assert not player.playing and player.position == pytest.approx(3.0, abs=1e-3)
    got = heard(speaker)
    assert got.size == pytest.approx(2.0 * rate / speed, rel=0.01)

    samples = player.samples
    expected = TimeStretcher(samples, rate)
    expected.speed = speed
    expected.reset(1.0 * rate)
    want = expected.read(10 * rate, end=3.0 * rate)
    edge = round(0.005 * rate)  # the range end fades out over 5 ms
    lead = int(np.flatnonzero(want)[0])
    np.testing.assert_allclose(got[: want.size - edge - lead], want[lead:-edge], atol=1e-6)
    if speed == 1.0:
        hop = expected.hop
        start = where_in(samples, got[hop : hop + 2000], rate + hop)
        assert start == pytest.approx(rate + hop, abs=1)
        corr = np.corrcoef(got[hop:-edge], samples[start : start + got.size - hop - edge])[0, 1]
        assert corr > 0.999


def test_real_portaudio_pause_stops_the_data_and_play_resumes_there(speaker):
    """The fake speaker is not paced, so the test holds PortAudio's audio thread at its
    sixth block (a wrapper around the real stream's callback) and pauses meanwhile."""
    rate = int(sd.query_devices(kind="output")["default_samplerate"])
    source = noise(20.0, rate, seed=3)
    held, release = threading.Event(), threading.Event()
    handed: list[int] = []  # frames of each block that reached the player's callback

    def factory(**kwargs):
        inner = kwargs["callback"]

        def callback(out, frames, time_info, status):
            if len(handed) == 5 and not release.is_set():
                held.set()
                release.wait(30)
            handed.append(frames)
            try:
                inner(out, frames, time_info, status)
            except PlaybackComplete:
                raise sd.CallbackStop from None

        return sd.OutputStream(**{**kwargs, "callback": callback})

    player = Player(stream_factory=factory, samplerate=rate)
    player.load_samples(source, rate)
    player.play(0.0)
    assert held.wait(30)
    pausing = threading.Thread(target=player.pause)
    pausing.start()
    for _ in range(30_000):  # until pause() has taken effect
        if not player.playing:
            break
        threading.Event().wait(0.001)
    release.set()
    pausing.join(30)
    assert not pausing.is_alive() and not player.playing
    at = player.position
    first = heard(speaker)
    # The five blocks before the pause reached the speaker; the sixth, after it, did not.
    assert first.size == sum(handed[:5]) - 1  # (the fade-in starts at an exact zero)
    np.testing.assert_allclose(first[2000:], source[2001 : first.size + 1], atol=1e-6)
    # (rounded: 1915 / 44100 * 44100 is 1915.0000000000002)
    assert 0 < round(at * rate, 6) <= first.size + 1  # still in the device buffer: not "heard"

    played_through(player, None, None)  # resume
    again = heard(speaker)
    hop = TimeStretcher(source[:1], rate).hop
    start = where_in(source, again[hop : hop + 2000], round(at * rate) + hop) - hop
    assert start == pytest.approx(at * rate, abs=2)  # from where it paused: no gap, no repeat
    assert again.size == pytest.approx(source.size - start, abs=2)
    edge = round(0.005 * rate)  # the end of the recording fades out over 5 ms
    np.testing.assert_allclose(
        again[hop:-edge], source[start + hop :][: again.size - hop - edge], atol=1e-6
    )
