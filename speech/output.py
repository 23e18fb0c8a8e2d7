"""The audio output device as the player needs it: asking a device what it takes, and one
plain line for each way it can fail (PortAudio is loaded by ``devices.load_sounddevice``).
No stream state here."""

from __future__ import annotations

from typing import Any

from starcoach.speech.errors import DeviceError


def output_problem(exc: BaseException) -> str:
    """One line saying why the output device could not be used."""
    text = " ".join((str(exc).strip() or type(exc).__name__).split())
    lowered = text.lower()
    if (
        "no default output" in lowered
        or "no output device" in lowered
        or ("error querying device -1" in lowered)
    ):
        return (
            "no audio output device found: connect speakers or headphones, or check the "
            "system's sound settings"
        )
    if "invalid device" in lowered or "device unavailable" in lowered or "no device" in lowered:
        return f"the audio output device is not available ({text})"
    return f"cannot play audio: {text}"


def query_output(sd: Any, device: Any) -> dict[str, Any]:
    """The output device's info; ``DeviceError`` when there is none that can play."""
    try:
        info = sd.query_devices(device, kind="output")
    except Exception as exc:
        raise DeviceError(output_problem(exc)) from None
    if int(info.get("max_output_channels", 0)) < 1:
        raise DeviceError(output_problem(ValueError("no default output device")))
    return info


def output_channels(sd: Any, device: Any, rate: int) -> int | None:
    """1 or 2, the fewest channels the device takes float32 audio at ``rate`` with; ``None``
    when it takes neither."""
    for channels in (1, 2):
        try:
            sd.check_output_settings(device=device, samplerate=rate, channels=channels,
                                     dtype="float32")
            return channels
        except Exception:
            continue
    return None
