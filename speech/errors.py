"""Errors raised by the speech package; each message is one line fit for a terminal or dialog."""

from __future__ import annotations


class SpeechError(Exception):
    """Base class for every error the speech package reports to the user."""


class AudioError(SpeechError):
    """An audio file cannot be read: missing, empty, corrupt or not audio (CLI exit 2)."""


class ModelUnavailable(SpeechError):
    """No usable speech model on this machine; the message says how to get one (CLI exit 3).

    ``plain`` says the same for a window: no commands or flags (empty when only the
    terminal wording exists; the window then uses its own).
    """

    def __init__(self, message: str, *, plain: str = "") -> None:
        super().__init__(message)
        self.plain = plain


class DeviceError(SpeechError):
    """No input device, device lost mid-recording, or permission denied."""


class RecordingError(SpeechError):
    """Recorded audio could not be written (disk full, folder not writable)."""


class DiskFull(RecordingError):
    """The disk (or the person's quota) filled up while the audio was written: ENOSPC or
    EDQUOT. ``saved_s`` is how much of the recording is safely in the file."""

    def __init__(self, message: str, *, saved_s: float = 0.0) -> None:
        super().__init__(message)
        self.saved_s = saved_s


class DownloadError(SpeechError):
    """A model download failed (network, server, size mismatch); retrying resumes it."""


class DownloadCancelled(DownloadError):
    """The user cancelled a model download; what was fetched is kept for a retry."""
