"""Audio decoding and resampling on real files written by PyAV/FFmpeg encoders."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from starcoach.speech.audio import SAMPLE_RATE, StreamResampler, decode_audio, resample
from starcoach.speech.errors import AudioError

FORMATS = {
    # suffix: (container format, codec, sample format)
    "wav": ("wav", "pcm_s16le", "s16"),
    "flac": ("flac", "flac", "s16"),
    "mp3": ("mp3", "libmp3lame", "fltp"),
    "m4a": ("ipod", "aac", "fltp"),
    "ogg": ("ogg", "libopus", "flt"),
    "webm": ("webm", "libopus", "flt"),
}


def encode(path: Path, audio: np.ndarray, rate: int, fmt: str) -> Path:
    """Encode (frames, channels) float audio into ``path`` with a real encoder."""
    container_format, codec, sample_format = FORMATS[fmt]
    channels = audio.shape[1]
    layout = "stereo" if channels == 2 else "mono"
    with av.open(str(path), "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        frame_size = 960 if codec == "libopus" else 1024
        for i in range(0, audio.shape[0], frame_size):
            block = audio[i : i + frame_size]
            if codec == "libopus" and block.shape[0] < frame_size:
                block = np.pad(block, ((0, frame_size - block.shape[0]), (0, 0)))
            if sample_format == "s16":
                data = (block * 32767).astype(np.int16).reshape(1, -1)
                frame = av.AudioFrame.from_ndarray(data, format="s16", layout=layout)
            elif sample_format == "flt":
                frame = av.AudioFrame.from_ndarray(
                    block.astype(np.float32).reshape(1, -1), format="flt", layout=layout
                )
            else:
                frame = av.AudioFrame.from_ndarray(
                    np.ascontiguousarray(block.T.astype(np.float32)), format="fltp", layout=layout
                )
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def tone(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def dominant_frequency(x: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    return float(np.fft.rfftfreq(x.size, 1 / rate)[np.argmax(spectrum)])


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("rate", [44_100, 48_000])
def test_any_format_rate_and_channel_count_decodes_to_16k_mono(tmp_path, fmt, rate):
    if FORMATS[fmt][1] == "libopus" and rate != 48_000:
        pytest.skip("Opus encodes at 48 kHz only")
    left = tone(440, 2.0, rate)
    right = np.zeros_like(left)
    path = encode(tmp_path / f"clip.{fmt}", np.stack([left, right], axis=1), rate, fmt)

    audio = decode_audio(path)

    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(audio.size / SAMPLE_RATE - 2.0) < 0.1  # codec priming/padding only
    middle = audio[SAMPLE_RATE // 2 : SAMPLE_RATE * 3 // 2]
    assert abs(dominant_frequency(middle) - 440) < 3
    # One silent channel of two: the mono downmix carries the tone at -3 to -6 dB.
    assert 0.5 / 2 - 0.01 < np.sqrt(2) * middle.std() < 0.5 / np.sqrt(2) + 0.01


def test_decoded_samples_match_the_original_for_lossless_input(tmp_path):
    original = tone(300, 1.0, SAMPLE_RATE)[:, None]
    audio = decode_audio(encode(tmp_path / "a.flac", original, SAMPLE_RATE, "flac"))
    np.testing.assert_allclose(audio, original[:, 0], atol=1e-4)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" * 20, "not a readable audio file"),
        (b"\x00\x01garbage" * 500, "not a readable audio file"),
    ],
)
def test_unreadable_files_raise_one_line_audio_error(tmp_path, content, message):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message) as info:
        decode_audio(path)
    assert "\n" not in str(info.value)


def test_missing_file_raises_audio_error(tmp_path):
    with pytest.raises(AudioError, match="no such audio file"):
        decode_audio(tmp_path / "nope.wav")


def test_a_file_with_no_audio_stream_is_rejected(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text("I took ownership.\n" * 50)
    with pytest.raises(AudioError):
        decode_audio(path)


def test_truncated_flac_keeps_what_decodes(tmp_path):
    """A recording cut off mid-write still yields its audio up to the damage."""
    original = tone(220, 5.0, SAMPLE_RATE)[:, None]
    path = encode(tmp_path / "a.flac", original, SAMPLE_RATE, "flac")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])
    audio = decode_audio(path)
    assert 2.0 < audio.size / SAMPLE_RATE < 5.0
    np.testing.assert_allclose(audio[:SAMPLE_RATE], original[:SAMPLE_RATE, 0], atol=1e-4)


def test_stream_resampler_in_blocks_equals_whole_signal():
    rng = np.random.default_rng(3)
    signal = rng.standard_normal(48_000 * 3).astype(np.float32) * 0.1
    whole = resample(signal, 48_000)
    stream = StreamResampler(48_000)
    parts, i = [], 0
    while i < signal.size:
        n = int(rng.integers(1, 4000))
        parts.append(stream.push(signal[i : i + n]))
        i += n
    parts.append(stream.flush())
    np.testing.assert_array_equal(np.concatenate(parts), whole)
    assert abs(whole.size - 16_000 * 3) <= 16


def test_resampling_keeps_pitch():
    out = resample(tone(1000, 1.0, 44_100), 44_100)
    assert abs(dominant_frequency(out) - 1000) < 2


def test_16k_input_passes_through_unchanged():
    x = tone(200, 0.5, SAMPLE_RATE)
    np.testing.assert_array_equal(resample(x, SAMPLE_RATE), x)
