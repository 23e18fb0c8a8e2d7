"""Audio files of attempts: how long a (possibly cut-off) recording is, copying one out."""

from __future__ import annotations

import shutil
from pathlib import Path


def recorded_seconds(path: Path) -> float:
    """Seconds of audio that decode from ``path``; 0.0 when nothing does (or it is missing).

    A recording killed mid-write decodes up to the damage, so this is what was kept.
    """
    from starcoach.speech.audio import SAMPLE_RATE, decode_audio
    from starcoach.speech.errors import AudioError

    try:
        return decode_audio(path).size / SAMPLE_RATE
    except AudioError:
        return 0.0


def copy_audio(source: Path, target: Path) -> Path:
    """Copy an attempt's FLAC to ``target`` (a file, or a folder to put it in)."""
    if target.is_dir():
        target = target / source.name
    if target.suffix.lower() != source.suffix.lower():
        target = target.with_suffix(source.suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
