"""Downloading a speech model from the model hub into the model store, resumably.

A download in progress lives under ``<models folder>/.partial/<name>/`` and resumes (HTTP
Range) from where it stopped; the model becomes installed (the completion marker written,
the folder moved into place) only when every file arrived whole. This is the only module
that touches the network.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path

from starcoach.speech.errors import DownloadCancelled, DownloadError
from starcoach.speech.models import KNOWN_MODELS, MARKER, installed_path
from starcoach.speech.settings import models_dir

DEFAULT_ENDPOINT = "https://huggingface.co"
MODEL_FILE_PATTERNS = (
    "config.json",
    "preprocessor_config.json",
    "model.bin",
    "tokenizer.json",
    "vocabulary.*",
)

Progress = Callable[[int, int], None]

def _endpoint(endpoint: str | None) -> str:
    return (endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def _open(url: str, headers: dict[str, str] | None = None, timeout: float = 30.0):
    request = urllib.request.Request(url, headers={"User-Agent": "starcoach", **(headers or {})})
    return urllib.request.urlopen(request, timeout=timeout)


def remote_files(repo: str, endpoint: str | None = None) -> list[tuple[str, int]]:
    """(file name, size) of the model files in ``repo`` on the hub."""
    url = f"{_endpoint(endpoint)}/api/models/{repo}/tree/main"
    try:
        with _open(url) as response:
            listing = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DownloadError(f"cannot list {repo} at {_endpoint(endpoint)} ({exc})") from None
    files = []
    for entry in listing:
        if entry.get("type") != "file":
            continue
        path = entry["path"]
        if any(fnmatch(path, pattern) for pattern in MODEL_FILE_PATTERNS):
            size = int((entry.get("lfs") or {}).get("size") or entry.get("size") or 0)
            files.append((path, size))
    if not any(name == "model.bin" for name, _ in files):
        raise DownloadError(f"{repo} has no model.bin; is it a faster-whisper model?")
    return files


def download_model(
    name: str,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    endpoint: str | None = None,
    repo: str | None = None,
    chunk_size: int = 1 << 16,
) -> Path:
    """Fetch model ``name`` into the store, reporting ``progress(done_bytes, total_bytes)``.

    ``cancel.set()`` from another thread stops it with :class:`DownloadCancelled`; bytes
    already fetched are kept and a later call resumes (HTTP Range). The model becomes
    installed (marker written, folder moved into place) only when every file is whole.
    """
    if repo is None:
        known = KNOWN_MODELS.get(name)
        if known is None:
            raise DownloadError(f"unknown model {name!r}; known: {', '.join(KNOWN_MODELS)}")
        repo = known.repo
    final = models_dir() / name
    if installed_path(name):
        return final
    files = remote_files(repo, endpoint)
    total = sum(size for _, size in files)
    partial = models_dir() / ".partial" / name
    try:
        partial.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot write to {partial.parent} ({exc.strerror})") from None
    done = sum(
        (partial / f).stat().st_size if (partial / f).is_file() else _part_size(partial, f)
        for f, _ in files
    )
    if progress:
        progress(done, total)
    base = _endpoint(endpoint)
    for file_name, size in files:
        target = partial / file_name
        if target.is_file() and target.stat().st_size == size:
            continue
        done = _fetch(
            f"{base}/{repo}/resolve/main/{urllib.parse.quote(file_name)}",
            partial / (file_name + ".part"),
            target,
            size,
            done,
            total,
            progress,
            cancel,
            chunk_size,
        )
    (partial / MARKER).write_text(json.dumps({"repo": repo, "bytes": total}), encoding="utf-8")
    if final.exists():
        shutil.rmtree(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, final)
    return final


def _part_size(folder: Path, file_name: str) -> int:
    part = folder / (file_name + ".part")
    return part.stat().st_size if part.is_file() else 0


def _fetch(
    url: str,
    part: Path,
    target: Path,
    size: int,
    done: int,
    total: int,
    progress: Progress | None,
    cancel: threading.Event | None,
    chunk_size: int,
) -> int:
    """Download ``url`` into ``part`` (resuming), then rename it to ``target``."""
    have = part.stat().st_size if part.is_file() else 0
    if size and have > size:
        done -= have
        part.unlink()
        have = 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        with _open(url, headers) as response:
            if have and response.status != 206:  # server ignored the range: start over
                done -= have
                have = 0
                mode = "wb"
            else:
                mode = "ab"
            with open(part, mode) as out:
                while True:
                    if cancel is not None and cancel.is_set():
                        raise DownloadCancelled("download cancelled; run it again to resume")
                    chunk = response.read(chunk_size)
                    if not chunk:
                        break
                    out.write(chunk)
                    have += len(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
    except DownloadCancelled:
        raise
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and size and have == size:
            pass  # already complete
        else:
            raise DownloadError(f"download failed: {url} ({exc.code} {exc.reason})") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"download interrupted ({reason}); run it again to resume") from None
    except OSError as exc:
        raise DownloadError(f"cannot write {part} ({exc.strerror or exc})") from None
    if size and part.stat().st_size != size:
        raise DownloadError(
            f"{target.name}: got {part.stat().st_size} of {size} bytes; run it again to resume"
        )
    os.replace(part, target)
    return done
