"""Input devices: list them, pick one, remember the user's choice."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from starcoach.speech.errors import DeviceError
from starcoach.speech.models import data_dir


@dataclass(frozen=True)
class InputDevice:
    """One microphone as PortAudio sees it."""

    index: int
    name: str
    channels: int
    default_rate: int
    is_default: bool
    host_api: str = ""


def _sd() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # PortAudio library missing
        raise DeviceError(f"audio input is unavailable: {exc}") from None
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
    sd = _sd()
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


def _settings_path():
    return data_dir() / "settings.json"


def _load_settings() -> dict[str, Any]:
    """The settings file's object; ``{}`` when it is missing, not a regular file, over
    64 kB, or not a JSON object (a damaged file is rewritten on the next change)."""
    from starcoach.rubric.safety import FileProblem, read_bounded

    try:
        data = json.loads(read_bounded(_settings_path(), 64 * 1024).decode("utf-8"))
    except (FileProblem, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def remember_device(name: str | None) -> None:
    """Store the chosen input device's name (``None`` forgets it).

    Written to a temporary file and renamed over the old one; on failure (a full disk, a
    read-only folder) the temporary file is removed, the old settings are left as they
    were and the ``OSError`` is raised for the caller to report.
    """
    settings = _load_settings()
    settings["input_device"] = name
    path = _settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(settings, indent=2), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def remembered_device() -> str | None:
    """The stored device name, if any."""
    value = _load_settings().get("input_device")
    return value if isinstance(value, str) else None


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
