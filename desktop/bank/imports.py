"""A person's own question packs: validated, copied into ``<data folder>/packs/``, loaded.

A pack is a TOML file and only ever TOML: the loader parses it with ``tomllib`` and copies
strings and numbers out of it, so a pack can never run code, however its text looks.
Importing checks the file against everything already loaded (the bundled packs and the
packs imported before), so a malformed pack is refused with one line
``"<file>: <field>: <problem>"`` and nothing is copied. A pack imported earlier that has
since become unusable (edited by hand, truncated) is skipped at start and reported, never
fatal. The packs join a :class:`~starcoach.rubric.packs.PackLibrary` the caller holds (the
window's, or one command's): :func:`open_user_library`. Qt-free: the CLI and the app share
it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from starcoach.rubric.pack_reader import check_pack, read_pack_id
from starcoach.rubric.pack_schema import MAX_PACK_BYTES, PackError
from starcoach.rubric.packs import PackLibrary, load_catalogue
from starcoach.rubric.safety import FileProblem, read_bounded
from starcoach.speech.settings import user_packs_dir

PACK_SUFFIX = ".toml"


MAX_USER_PACKS = 200  # loaded at every start; the rest are reported, not read
MAX_USER_PACK_BYTES = 4 * 1024 * 1024  # all of them together (a few seconds to parse)


def _all_pack_paths() -> list[Path]:
    folder = user_packs_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"*{PACK_SUFFIX}") if p.is_file())


def user_pack_paths() -> list[Path]:
    """The imported pack files StarCoach loads, in a stable (name) order: at most
    ``MAX_USER_PACKS`` of them and ``MAX_USER_PACK_BYTES`` together."""
    out, total = [], 0
    for path in _all_pack_paths()[:MAX_USER_PACKS]:
        with contextlib.suppress(OSError):  # an unreadable one is reported when read
            size = path.stat().st_size
            if size <= MAX_PACK_BYTES:  # an oversized one is refused unread: no cost
                total += size
        if total > MAX_USER_PACK_BYTES:
            break
        out.append(path)
    return out


def activate_user_packs(library: PackLibrary) -> list[str]:
    """Make ``library`` include the imported packs; returns one line per pack that had to
    be skipped (``"<file>: <field>: <problem>"``), empty when all loaded."""
    loaded = user_pack_paths()
    problems = library.set_extra(loaded)
    extra = _all_pack_paths()[len(loaded):]
    if extra:
        problems.append(f"{user_packs_dir()}: more packs than StarCoach loads (at most "
                        f"{MAX_USER_PACKS}, {MAX_USER_PACK_BYTES // 1024 // 1024} MiB in all); "
                        f"{len(extra)} from {extra[0].name} on were left out")
    return problems


def _pack_id_or_none(path: Path) -> str | None:
    try:
        return read_pack_id(path)
    except PackError:
        return None


def _destination(source: Path, pack_id: str, existing: list[Path]) -> Path:
    """Where the import goes: over the imported pack with the same id (re-importing an
    edited pack updates it), else the source's name, numbered if another pack has it."""
    for path in existing:
        if _pack_id_or_none(path) == pack_id:
            return path
    folder = user_packs_dir()
    stem = source.stem or "pack"
    candidate = folder / f"{stem}{PACK_SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{PACK_SUFFIX}"
        n += 1
    return candidate


def open_user_library() -> tuple[PackLibrary, list[str]]:
    """A library of the bundled and the imported packs, and the problems of those skipped
    (see :func:`activate_user_packs`)."""
    library = PackLibrary()
    return library, activate_user_packs(library)


def import_pack(source: Path | str, library: PackLibrary | None = None) -> Path:
    """Validate ``source`` and copy it into the user packs folder; returns the copy.

    Raises ``PackError("<file>: <field>: <problem>")`` naming ``source`` when it cannot
    be used (not TOML, a missing or mistyped field, an unknown principle, lens or rule, a
    question id that already exists); then nothing is copied. A pack with the same
    ``[pack] id`` as one imported before replaces it; any other pack never overwrites a
    file: a taken name gets a number. ``library``, when given, includes the pack on return.
    """
    source = Path(source)
    try:
        data = read_bounded(source, MAX_PACK_BYTES)
    except FileProblem as exc:
        raise PackError(f"{source}: cannot read: {exc}") from None
    pack_id = read_pack_id(source, data)
    existing = user_pack_paths()
    dest = _destination(source, pack_id, existing)
    others = [p for p in existing if p != dest]
    against = load_catalogue(others, problems=[])  # a broken earlier import never blocks
    check_pack(source, against, data)
    _write_atomically(dest, data)
    if library is not None:
        activate_user_packs(library)
    return dest


def _write_atomically(dest: Path, data: bytes) -> None:
    """Write ``data`` to ``dest`` through a ``.partial`` beside it, renamed into place once
    complete; on any failure (a full disk, a read-only folder) the partial file is removed,
    ``dest`` is left as it was and ``PackError`` names it."""
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise PackError(f"{dest}: cannot save the pack: {exc.strerror or exc}; nothing was "
                        "imported") from None
