"""Terminal commands for speech: ``models``, ``devices``, ``record``; audio for ``analyze``.

Importing this module is cheap: faster-whisper, PortAudio and PyAV load inside the commands.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from starcoach.speech.errors import (
    AudioError,
    DeviceError,
    DownloadCancelled,
    DownloadError,
    ModelUnavailable,
    SpeechError,
)

if TYPE_CHECKING:
    from starcoach.rubric.model import Word

__all__ = ["AudioError", "ModelUnavailable", "register", "transcribe_for_analyze"]


def transcribe_for_analyze(path: str, model: str | None) -> tuple[list[Word], float]:
    """Timed words (fillers included) and duration in seconds of the audio file ``path``.

    Raises :class:`AudioError` (unreadable audio, exit 2) before loading any model, and
    :class:`ModelUnavailable` (exit 3) when no local model matches ``model``.
    """
    from starcoach.speech.audio import decode_audio
    from starcoach.speech.transcribe import TranscribeOptions, Transcriber

    audio = decode_audio(path)
    options = TranscribeOptions()
    cap = os.environ.get("STARCOACH_MAX_NEW_TOKENS")  # benchmarks with random-weight models
    if cap and cap.isdigit():
        options = TranscribeOptions(max_new_tokens=int(cap))
    transcriber = Transcriber(model, options)
    try:
        transcript = transcriber.transcribe(audio)
    except (RuntimeError, ValueError, KeyError, IndexError, TypeError) as exc:
        # the audio decoded, so this is the model's files (a config.json that loads but
        # cannot drive the decoder, a vocabulary that does not match the weights)
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelUnavailable(
            f"{transcriber.model_dir}: the speech model failed while transcribing "
            f"({reason}); copy the whole model folder again or run `starcoach models "
            "download NAME`") from None
    return transcript.words, transcript.duration


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``models``, ``devices`` and ``record`` to the ``starcoach`` command line."""
    p = subparsers.add_parser("models", help="list, download or choose speech models")
    sub = p.add_subparsers(dest="models_command", metavar="{list,download,use}")
    sub.add_parser("list", help="installed and known models with sizes (the default)")
    d = sub.add_parser("download", help="fetch a model (needs internet once)")
    d.add_argument("name", help="model name, e.g. base.en")
    u = sub.add_parser("use", help="choose the model the app and `analyze` use")
    u.add_argument("model", help="a model name, a model folder, or `builtin` (tiny.en)")
    p.set_defaults(func=cmd_models)

    p = subparsers.add_parser("devices", help="list microphones")
    p.set_defaults(func=cmd_devices)

    p = subparsers.add_parser("record", help="record the microphone to an audio file")
    p.add_argument("out", help="output file (.flac)")
    p.add_argument("--seconds", type=float, default=None, help="stop after N seconds")
    p.add_argument("--device", default=None, help="device index or name (see `devices`)")
    p.set_defaults(func=cmd_record)


def _err(message: str) -> None:
    print(f"starcoach: {message}", file=sys.stderr)


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


# -- models ------------------------------------------------------------------------------------


def cmd_models(args: argparse.Namespace) -> int:
    command = getattr(args, "models_command", None)
    if command == "download":
        return _download(args.name)
    if command == "use":
        return _use(args.model)
    from starcoach.speech import builtin
    from starcoach.speech.models import list_models, model_label, models_dir
    from starcoach.speech.settings import chosen_model

    chosen = chosen_model()
    print(f"{'model':<18} {'size':>8}  {'status':<13} note")
    for row in list_models():
        status = "installed" if row.installed else "not installed"
        size = _size(row.size_bytes) if row.installed else f"~{_size(row.size_bytes)}"
        note = row.note if row.known else f"custom ({row.path})"
        if row.builtin and row.installed:
            note = f"built in, default ({row.path})"
        print(f"{row.name:<18} {size:>8}  {status:<13} {note}")
    print(f"\nin use: {model_label(chosen)}"
          + ("" if chosen else " (choose another: starcoach models use NAME|FOLDER)"))
    print(f"models folder: {models_dir()}")
    state = builtin.check()
    if not state.available:
        _err(state.problem)
    return 0


def _use(model: str) -> int:
    from starcoach.speech import builtin
    from starcoach.speech.models import model_label, resolve_model
    from starcoach.speech.settings import choose_model

    if model in ("builtin", "built-in", builtin.NAME):
        try:
            resolve_model(builtin.NAME)
        except ModelUnavailable as exc:
            _err(str(exc))
            return 3
        choose_model(None)
        print(f"using {builtin.LABEL}")
        return 0
    try:
        path = resolve_model(model)
    except ModelUnavailable as exc:
        _err(str(exc))
        return 3
    value = str(path) if Path(model).expanduser().is_dir() else model
    try:
        choose_model(value)
    except OSError as exc:
        _err(f"cannot save the choice ({exc.strerror or exc})")
        return 1
    print(f"using {model_label(value)} ({path}) in the app and `starcoach analyze`")
    return 0


def _download(name: str) -> int:
    from starcoach.speech.model_download import download_model

    cancel = threading.Event()
    outcome: dict[str, object] = {}
    tty = sys.stderr.isatty()
    last = {"pct": -1}

    def progress(done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 0
        if not tty and pct // 10 == last["pct"] // 10:
            return
        if tty or pct != last["pct"]:
            bar = "#" * (pct // 4) + "." * (25 - pct // 4)
            start, end = ("\r", "") if tty else ("", "\n")
            line = f"{name} [{bar}] {pct:3d}%  {_size(done)} / {_size(total)}"
            sys.stderr.write(f"{start}{line}{end}")
            sys.stderr.flush()
        last["pct"] = pct

    def work() -> None:
        try:
            outcome["path"] = download_model(name, progress=progress, cancel=cancel)
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="download", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        cancel.set()
        worker.join()
        sys.stderr.write("\n")
        _err("download cancelled; run the same command again to resume")
        return 130
    if tty:
        sys.stderr.write("\n")
    error = outcome.get("error")
    if isinstance(error, DownloadCancelled):
        _err(str(error))
        return 130
    if isinstance(error, DownloadError):
        _err(str(error))
        return 1
    if error is not None:
        raise error  # type: ignore[misc]
    print(f"installed {name} in {outcome['path']}")
    return 0


# -- devices and recording -----------------------------------------------------------------


def cmd_devices(args: argparse.Namespace) -> int:
    from starcoach.speech.devices import list_input_devices, remembered_device

    try:
        devices = list_input_devices()
    except DeviceError as exc:
        _err(str(exc))
        return 2
    if not devices:
        _err("no microphone found")
        return 2
    remembered = remembered_device()
    for d in devices:
        marks = ("*" if d.is_default else " ") + ("R" if d.name == remembered else " ")
        print(
            f"{marks} {d.index:>3}  {d.name}  ({d.channels} ch, {d.default_rate} Hz, {d.host_api})"
        )
    print("\n* system default   R remembered choice")
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from starcoach.speech.audio import MAX_AUDIO_S
    from starcoach.speech.devices import remember_device
    from starcoach.speech.recorder import Recorder

    seconds = args.seconds
    if seconds is not None and not (math.isfinite(seconds) and 0 < seconds <= MAX_AUDIO_S):
        _err(f"--seconds must be more than 0 and at most {MAX_AUDIO_S:g} (one hour)")
        return 2
    out = Path(args.out)
    if out.suffix.lower() != ".flac":
        out = out.with_suffix(".flac")
        _err(f"recording as FLAC: {out}")
    tty = sys.stderr.isatty()

    def meter(db: float) -> None:
        if tty:
            n = max(0, min(30, int((db + 60) / 2)))
            sys.stderr.write(f"\r[{'=' * n}{' ' * (30 - n)}] {recorder.duration:6.1f} s")

    recorder = Recorder(out, device=args.device, on_level=meter,
                        limit_s=seconds if seconds is not None else MAX_AUDIO_S)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        try:
            recorder.start()
        except SpeechError as exc:
            _err(str(exc))
            return 2
        if args.device is not None and recorder.device is not None:
            try:
                remember_device(recorder.device.name)
            except OSError as exc:  # a full disk must not stop the recording
                _err(f"warning: could not remember {recorder.device.name!r} as your "
                     f"microphone ({exc.strerror or exc}); recording anyway")
        what = (f"{seconds:g} s" if seconds else
                f"until Ctrl-C, at most {MAX_AUDIO_S / 60:g} minutes")
        name = recorder.device.name if recorder.device else "input"
        print(f"recording from {name} to {out} ({what})", file=sys.stderr)
        while not stop.is_set() and not recorder.wait(0.1):
            pass
        result = recorder.stop()
    finally:
        signal.signal(signal.SIGINT, previous)
    if tty:
        sys.stderr.write("\n")
    if result.error is not None:
        _err(str(result.error))
        return 1
    print(f"saved {result.duration:.1f} s to {result.path}")
    return 0
