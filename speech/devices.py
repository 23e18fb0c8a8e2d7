"""Input devices: list them, pick one, remember the user's choice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starcoach.speech.errors import DeviceError


@dataclass(frozen=True)
class InputDevice:
    """One microphone as PortAudio sees it."""

    index: int
    name: str
    channels: int
    default_rate: int
    is_default: bool
    host_api: str = ""


def load_sounddevice(direction: str = "input") -> Any:
    """The ``sounddevice`` module; ``DeviceError`` naming audio ``direction`` ("input",
    "output") when PortAudio cannot be loaded."""
    try:
        import sounddevice
    except OSError as exc:  # PortAudio library missing
        raise DeviceError(f"audio {direction} is unavailable: {exc}") from None
    return sounddevice


def close_quietly(stream: Any) -> None:
    """Abort and close a PortAudio stream that may already be gone (device unplugged,
    stream failed to start): shutting down never raises."""
    if stream is None:
        return
    try:
        stream.abort()
        stream.close()
    except Exception:
        pass


def list_input_devices() -> list[InputDevice]:
    """Every device with at least one input channel (empty when there is none)."""
    sd = load_sounddevice()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
        default_in = sd.default.device[0]
    except sd.PortAudioError as exc:
        raise DeviceError(f"cannot list audio devices: {exc}") from None
    out = []
    for i, d in enumerate(devices):
        if d["max_input_channels"] > 0:
            api = apis[d["hostapi"]]["name"] if d["hostapi"] < len(apis) else ""
            out.append(
                InputDevice(
                    i,
                    d["name"],
                    int(d["max_input_channels"]),
                    int(d["default_samplerate"]),
                    i == default_in,
                    api,
                )
            )
    return out


def remember_device(name: str | None) -> None:
    """Store the chosen input device's name (``None`` forgets it) in the shared settings."""
    from starcoach.speech import settings

    settings.choose_device(name)


def remembered_device() -> str | None:
    """The stored device name, if any (the same choice the window's Settings make)."""
    from starcoach.speech import settings

    return settings.chosen_device()


def choose_input_device(device: int | str | None = None) -> InputDevice:
    """The device to record from: ``device`` (index or part of a name), else the remembered
    one if still present, else the system default. Raises :class:`DeviceError` if none."""
    devices = list_input_devices()
    if not devices:
        raise DeviceError("no microphone found: connect one or check the system's sound settings")
    if device is not None and str(device).strip() != "":
        text = str(device)
        if text.isdigit():
            for d in devices:
                if d.index == int(text):
                    return d
            raise DeviceError(f"no input device with index {text} (see `starcoach devices`)")
        matches = [d for d in devices if d.name == text] or [
            d for d in devices if text.lower() in d.name.lower()
        ]
        if not matches:
            raise DeviceError(f"no input device named {text!r} (see `starcoach devices`)")
        return matches[0]
    remembered = remembered_device()
    for d in devices:
        if remembered and d.name == remembered:
            return d
    for d in devices:
        if d.is_default:
            return d
    return devices[0]
