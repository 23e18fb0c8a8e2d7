"""Guards for hostile input shared by the answer readers and the pack loader.

Reading a file is bounded (a regular file only, at most ``limit`` bytes: a device or FIFO
named ``answer.txt`` is refused before it is opened), nesting is measured before a parser
recurses into it, and text headed for a terminal or a report has its control characters,
lone surrogates and bidirectional overrides replaced so it cannot move the cursor, change
colours or reorder what a person reads.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

REPLACEMENT = "\ufffd"
# C0 controls but tab and newline, DEL, C1 controls, lone surrogates, bidi embeddings,
# overrides and isolates, and the line/paragraph separators some terminals honour.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                     "\u202a-\u202e\u2066-\u2069]")
_UNSAFE_STREAM = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                            "\u202a-\u202e\u2066-\u2069]")  # a stream: \r allowed too
_UNSAFE_INLINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                            "\u202a-\u202e\u2066-\u2069]")


class FileProblem(Exception):
    """A file that cannot be read safely; ``str()`` is the reason (without the path)."""


def regular_file_size(path: Path) -> int:
    """The size of ``path`` if it is a regular file (links followed); otherwise
    :class:`FileProblem` saying what it is instead. Never opens the file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise FileProblem("is a link to a file that does not exist") from None
        raise FileProblem("no such file") from None
    except OSError as exc:
        raise FileProblem(f"cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem("is not a regular file (a device, pipe or socket)")
    return info.st_size


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refusing anything over ``limit`` bytes.

    Raises :class:`FileProblem` for a missing file, a folder, a device, a FIFO or socket, a
    file that is too large, and any OS error; never blocks on a FIFO, never reads forever.
    """
    size = regular_file_size(path)
    if size > limit:
        raise FileProblem(f"is too long: {size:,} bytes (limit {limit:,})")
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise FileProblem(f"cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:  # grew while we looked
        raise FileProblem(f"is too long: over {limit:,} bytes (limit {limit:,})")
    return data


def clean_text(text: str, *, inline: bool = False) -> str:
    """``text`` with every character that could drive a terminal replaced by U+FFFD.

    ``inline`` also replaces tabs and newlines (for one-line messages and single words).
    """
    pattern = _UNSAFE_INLINE if inline else _UNSAFE
    return pattern.sub(REPLACEMENT, text)


def clean_stream(text: str) -> str:
    """``text`` for a terminal stream: like :func:`clean_text`, but ``\\r`` (progress
    lines) passes too."""
    return _UNSAFE_STREAM.sub(REPLACEMENT, text)


def first_unsafe(text: str) -> str | None:
    """The first control character, lone surrogate or bidi override in ``text`` (tabs and
    newlines allowed), as ``U+XXXX``; ``None`` when there is none."""
    match = _UNSAFE.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"


def one_line(text: str, limit: int = 2_000) -> str:
    """``text`` made safe for one terminal line and clipped to ``limit`` characters."""
    text = clean_text(str(text), inline=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tree_depth(value: object) -> int:
    """How deeply lists and dicts nest in a parsed value (iterative: any depth is safe)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest
