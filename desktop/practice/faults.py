"""Known faults while practising, each with its own plain-language message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    kind: str  # no-microphone | permission | device-lost | model-missing | other
    title: str
    text: str


def device_fault(message: str, *, mid_answer: bool = False) -> Fault:
    """Turn a speech ``DeviceError``/``RecordingError`` message into what a person reads."""
    lowered = message.lower()
    if mid_answer or "lost" in lowered or "stopped delivering" in lowered:
        return Fault("device-lost", "The microphone stopped",
                     "The microphone stopped working during your answer (was it unplugged?). "
                     "Everything you said up to then is saved, and it is analysed below.")
    if "denied" in lowered or "permission" in lowered:
        return Fault("permission", "Microphone access is blocked",
                     "StarCoach is not allowed to use the microphone. Allow it in your "
                     "system's privacy settings for the microphone, then press Space again.")
    if "no microphone" in lowered or "not available" in lowered or "no input device" in lowered:
        return Fault("no-microphone", "No microphone found",
                     "No microphone was found. Connect one (or switch it on), check it is "
                     "chosen in Settings, then press Space again.")
    if "disk is full" in lowered or "cannot write" in lowered or "cannot create" in lowered:
        return Fault("disk", "The recording could not be saved",
                     f"StarCoach could not save the recording: {message}")
    return Fault("other", "The microphone could not be used",
                 f"The microphone could not be used: {message}")


def model_missing(detail: str = "") -> Fault:
    text = ("No speech model is installed yet, so StarCoach cannot hear your answer. "
            "Download one (once), or choose a model folder you copied.")
    return Fault("model-missing", "Speech model needed", text + (f"\n\n{detail}" if detail else ""))
