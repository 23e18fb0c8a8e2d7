"""Known faults while practising, each named for what happened and saying what was kept.

A full disk is a full disk (``ENOSPC``/``EDQUOT`` writing the recording, SQLite's "disk is
full" saving the attempt), a lost microphone is a lost microphone: the kind comes from the
error's type and errno, never from guessing at its words.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass

from starcoach.rubric.clock import clock

_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
_SQLITE_FULL = 13  # SQLITE_FULL: "database or disk is full"


@dataclass(frozen=True)
class Fault:
    kind: str  # no-microphone | permission | device-lost | disk-full | disk | model-missing | other
    title: str
    text: str




def is_disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is the disk or the quota running out."""
    from starcoach.speech.errors import DiskFull

    seen = 0
    while exc is not None and seen < 8:
        if isinstance(exc, DiskFull):
            return True
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return True
        if isinstance(exc, sqlite3.Error) and (
                getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL
                or "disk is full" in str(exc).lower()):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _kept(saved_s: float, what: str) -> str:
    if saved_s < 0.5:
        return f"Nothing of your {what} could be saved"
    return f"The first {clock(saved_s)} of your {what} was saved"


def recording_fault(exc: BaseException, saved_s: float, *, what: str = "answer") -> Fault:
    """The recording stopped by itself mid-``what`` ("answer", "reply"); ``saved_s`` seconds
    of it are in the file."""
    from starcoach.speech.errors import DeviceError

    kept = _kept(saved_s, what)
    if is_disk_full(exc):
        return Fault("disk-full", "Your disk is full",
                     f"Your disk is full. {kept}; free some space and press Space to try "
                     "again.")
    if isinstance(exc, DeviceError):
        analysed = ", and it is analysed below" if saved_s >= 0.5 else ""
        return Fault("device-lost", "The microphone stopped",
                     f"The microphone stopped working during your {what} (was it "
                     f"unplugged?). {kept}{analysed}. Connect it again and press Space to "
                     "try again.")
    return Fault("disk", "The recording could not be written",
                 f"StarCoach could not write your recording to the disk. {kept}; check that "
                 "the StarCoach data folder can be written, then press Space to try again.")


def save_fault(exc: BaseException, saved_s: float) -> Fault:
    """The answer was recorded and analysed, but the attempt could not be saved to history."""
    recording = f"The recording ({clock(saved_s)}) is kept" if saved_s >= 0.5 else \
        "Nothing was recorded"
    if is_disk_full(exc):
        return Fault("disk-full", "Your disk is full",
                     f"Your disk is full, so this review could not be saved to your history. "
                     f"{recording}; free some space, then transcribe it again from History.")
    return Fault("other", "The review could not be saved",
                 f"This review could not be saved to your history. {recording}; it can be "
                 "transcribed again from History.")


def start_fault(exc: BaseException) -> Fault:
    """Recording could not start (nothing was recorded)."""
    if is_disk_full(exc):
        return Fault("disk-full", "Your disk is full",
                     "Your disk is full, so nothing was recorded. Free some space and press "
                     "Space to try again.")
    return device_fault(str(exc))


def device_fault(message: str) -> Fault:
    """Turn a microphone ``DeviceError``/``RecordingError`` at start into what a person
    reads (nothing was recorded yet)."""
    lowered = message.lower()
    if "denied" in lowered or "permission" in lowered:
        return Fault("permission", "Microphone access is blocked",
                     "StarCoach is not allowed to use the microphone. Allow it in your "
                     "system's privacy settings for the microphone, then press Space again.")
    if "no microphone" in lowered or "not available" in lowered or "no input device" in lowered:
        return Fault("no-microphone", "No microphone found",
                     "No microphone was found. Connect one (or switch it on), check it is "
                     "chosen in Settings, then press Space again.")
    if "cannot write" in lowered or "cannot create" in lowered:
        return Fault("disk", "The recording could not be saved",
                     "StarCoach could not create the recording's file. Check that the "
                     "StarCoach data folder can be written, then press Space again.")
    return Fault("other", "The microphone could not be used",
                 "The microphone could not be used. Check that it is connected and chosen "
                 "in Settings, then press Space again.")


def model_missing(detail: str = "") -> Fault:
    text = ("No speech model is installed yet, so StarCoach cannot hear your answer. "
            "Download one (once), or choose a model folder you copied.")
    return Fault("model-missing", "Speech model needed", text + (f"\n\n{detail}" if detail else ""))
