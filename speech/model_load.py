"""Loading a local faster-whisper model folder (once per process, never from the network),
after checking that its ``config.json`` is one faster-whisper can use."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from starcoach.speech.errors import ModelUnavailable
from starcoach.speech.interrupt import InterruptibleWhisper


@functools.lru_cache(maxsize=4)
def load_whisper(model_dir: str, cpu_threads: int = 0, compute_type: str = "int8") -> Any:
    """Load (once per process) a faster-whisper model from a local folder, never the network.

    A folder whose files are damaged (a random or truncated ``model.bin``, a bad
    ``config.json`` or tokenizer) raises :class:`ModelUnavailable` naming the folder.
    """
    from faster_whisper import WhisperModel

    check_model_config(Path(model_dir))
    try:
        whisper = WhisperModel(
            model_dir,
            device="cpu",
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            local_files_only=True,
        )
    except Exception as exc:  # ctranslate2, tokenizers and json each raise their own
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelUnavailable(
            f"{model_dir}: the speech model cannot be loaded ({reason}); copy the whole "
            "model folder again or run `starcoach models download NAME`") from None
    whisper.model = InterruptibleWhisper(whisper.model)  # a cancelled decode stops mid-call
    return whisper


_INT_LISTS = ("suppress_ids", "suppress_ids_begin", "lang_ids")


def check_model_config(model_dir: Path) -> None:
    """Refuse a ``config.json`` whose fields have the wrong shape before CTranslate2 reads
    them: given, say, a string for ``alignment_heads`` it can crash the process (a
    segmentation fault, not an exception), so the person would get no line at all."""
    path = model_dir / "config.json"
    if not path.is_file():
        return  # CTranslate2 names a missing file itself
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelUnavailable(f"{model_dir}: config.json cannot be read ({str(exc)[:120]}); "
                               "copy the whole model folder again") from None

    def whole(v: object) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1 << 31

    problem = None
    if not isinstance(config, dict):
        problem = "it is not a JSON object"
    else:
        heads = config.get("alignment_heads")
        if heads is not None and not (isinstance(heads, list) and all(
                isinstance(h, list) and len(h) == 2 and all(whole(x) for x in h)
                for h in heads)):
            problem = "alignment_heads is not a list of [layer, head] pairs"
        for key in _INT_LISTS:
            value = config.get(key)
            if value is not None and not (isinstance(value, list)
                                          and all(whole(x) for x in value)):
                problem = f"{key} is not a list of token ids"
    if problem:
        raise ModelUnavailable(f"{model_dir}: the speech model's config.json is damaged "
                               f"({problem}); copy the whole model folder again")
