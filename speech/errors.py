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


class DownloadError(SpeechError):
    """A model download failed (network, server, size mismatch); retrying resumes it."""


class DownloadCancelled(DownloadError):
    """The user cancelled a model download; what was fetched is kept for a retry."""
