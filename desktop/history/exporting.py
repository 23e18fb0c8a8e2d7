"""Writing an attempt out in one format: the one place the CLI and the history view share.

PDF export needs Qt (``history.pdf``), so this module is outside the Qt-free store and
exports; it imports the PDF writer only when asked for a PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starcoach.desktop.attempts.export import ExportError, to_html, to_markdown
from starcoach.rubric.pack_schema import Catalogue

EXPORT_FORMATS = ("pdf", "html", "md", "flac")


def write_export(store: Any, attempt_id: int, fmt: str, target: Path,
                 catalogue: Catalogue | None = None) -> Path:
    """Write attempt ``attempt_id`` as ``fmt`` (pdf, html, md, or its flac audio) to
    ``target`` (a file, or a folder to put ``attempt-<id>.<fmt>`` in); returns the file.
    ``catalogue`` names the question (none: the bundled packs).

    Raises :class:`ExportError` (no report, no audio, unknown format), ``OSError`` (cannot
    write) or ``AttemptNotFound``.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (use {', '.join(EXPORT_FORMATS)})")
    attempt = store.get(attempt_id)
    target = Path(target)
    if target.is_dir():
        target = target / f"attempt-{attempt.id}.{fmt}"
    if fmt == "flac":
        from starcoach.desktop.attempts.audio import copy_audio

        source = store.audio_file(attempt.id)
        if source is None:
            raise ExportError(f"attempt {attempt.id} has no audio file")
        return copy_audio(source, target)
    from starcoach.desktop.attempts.numbering import attempt_number

    number = attempt_number(store, attempt.summary)
    if fmt == "pdf":
        try:
            from starcoach.desktop.history.pdf import write_pdf
        except ImportError:
            raise ExportError("PDF export is not available in this installation (its Qt "
                              "part is missing); export HTML or Markdown instead") from None
        return write_pdf(attempt, target, number, catalogue)
    text = (to_markdown(attempt, number, catalogue) if fmt == "md"
            else to_html(attempt, number, catalogue))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
