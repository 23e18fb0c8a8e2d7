"""The ``starcoach`` command: ``analyze`` an answer, speech tools, and (no arguments) the app.

Kept light to import: the rubric (numpy) loads only when a command needs it, and speech
libraries only when audio is involved, so ``starcoach analyze answer.json`` starts fast.

Whatever a command prints passes through a filter that replaces control characters, lone
surrogates and bidi overrides (text from an answer, a pack or the history can never drive
the terminal). Exit status: 0 done, 1 the output could not be written (a full disk or
closed pipe) or an unexpected fault, 2 bad usage or unreadable input, 3 no speech model.
Every failure is one line on stderr; ``STARCOACH_DEBUG=1`` adds the traceback of an
unexpected one.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

# Before anything can load onnxruntime: no usage telemetry leaves the machine (see
# starcoach/speech/__init__.py, which does the same for every other way in).
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from starcoach.desktop.history.cli import register as register_history
from starcoach.rubric.pack_schema import LEVELS
from starcoach.speech import cli as speech_cli

if TYPE_CHECKING:
    from starcoach.rubric.pack_schema import Catalogue
    from starcoach.rubric.packs import PackLibrary

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_NO_MODEL = 0, 1, 2, 3


class _SafeStream:
    """A text stream whose writes have terminal control characters replaced."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        # a terminal that cannot show "—" or "“" gets "?" rather than a crash
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]

    def write(self, text: str) -> int:
        from starcoach.rubric.safety import clean_stream

        self._stream.write(clean_stream(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other bad input
        self.exit(EXIT_USAGE, f"starcoach: error: {message}\n")


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    from starcoach.rubric.safety import one_line

    sys.stderr.write(f"starcoach: error: {one_line(message)}\n")
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="starcoach", description="Rehearse spoken STAR answers offline.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    an = sub.add_parser("analyze", help="analyse an answer (audio, .txt or .json words)")
    an.add_argument("input", type=Path, help="audio file, .txt transcript or .json timed words")
    which = an.add_mutually_exclusive_group()
    which.add_argument("--question", help="question id from a pack (default ownership-failure)")
    which.add_argument("--principle", help="Leadership Principle in kebab case, e.g. ownership")
    an.add_argument("--level", default="mid", choices=LEVELS)
    an.add_argument("--lens", help="focus lens id, e.g. outcome-first, dive-deep")
    an.add_argument("--model", help="speech model name or folder (audio input only)")
    an.add_argument("--json", action="store_true", help="print the JSON report")
    an.set_defaults(func=cmd_analyze)
    qs = sub.add_parser("questions", help="list the question bank")
    qs.add_argument("--principle", help="only this Leadership Principle (kebab case) or general")
    qs.add_argument("--json", action="store_true", help="print JSON")
    pick = qs.add_mutually_exclusive_group()
    pick.add_argument("--random", action="store_true", help="one question at random")
    pick.add_argument("--mock", type=int, metavar="N", help="a mock loop of N questions")
    pick.add_argument("--weakest", action="store_true",
                      help="questions aimed at the rules your past attempts failed most")
    qs.set_defaults(func=cmd_questions)
    qs_sub = qs.add_subparsers(dest="questions_command", parser_class=_Parser,
                               metavar="{import}")
    imp = qs_sub.add_parser("import", help="add your own question pack (a .toml file)")
    imp.add_argument("file", type=Path, help="the pack file (TOML)")
    imp.set_defaults(func=cmd_questions_import)
    speech_cli.register(sub)
    register_history(sub)
    return parser


def cmd_analyze(args: argparse.Namespace) -> int:
    from starcoach.rubric.analyze import analyze
    from starcoach.rubric.inputs import InputError, is_audio, read_answer
    from starcoach.rubric.pack_schema import PRINCIPLES, PackError

    path: Path = args.input
    if args.principle is not None and args.principle not in PRINCIPLES:
        return _fail(f"unknown principle {args.principle!r} (expected one of "
                     f"{', '.join(PRINCIPLES)})")
    duration = None
    try:
        if is_audio(path):
            words, duration = _transcribe(path, args.model)
            timing = "audio"
        else:
            words, timing = read_answer(path)
    except InputError as exc:
        return _fail(str(exc))
    except _ModelMissing as exc:
        return _fail(str(exc), EXIT_NO_MODEL)
    if not words:
        return _fail(f"{path}: no speech was recognised; nothing to analyse")
    try:
        cat = catalogue_of(args)
        report = analyze(words, question=args.question, principle=args.principle,
                         level=args.level, lens=args.lens, timing=timing, duration_s=duration,
                         catalogue=cat)
    except KeyError as exc:
        return _fail(str(exc.args[0]) if exc.args else str(exc))
    except PackError as exc:
        return _fail(str(exc))
    if args.json:
        from starcoach.rubric.serial import report_to_json

        sys.stdout.write(json.dumps(report_to_json(report), ensure_ascii=False) + "\n")
    else:
        from starcoach.desktop.wording import report_names
        from starcoach.rubric.render import render_text

        sys.stdout.write(render_text(report, names=report_names(cat)))
    return EXIT_OK


def cmd_questions(args: argparse.Namespace) -> int:
    from starcoach.rubric.pack_schema import PackError

    try:
        cat = catalogue_of(args)
    except PackError as exc:
        return _fail(str(exc))
    if args.principle is not None and args.principle not in cat.principles:
        return _fail(f"unknown principle {args.principle!r} (expected one of "
                     f"{', '.join(sorted(cat.principles))})")
    import random

    from starcoach.rubric import bank

    rng = random.Random()
    chosen = [q for q in cat.questions.values()
              if args.principle is None or q.principle == args.principle]
    if args.random:
        chosen = [bank.pick_random(cat, rng, args.principle)]
    elif args.mock is not None:
        if not 1 <= args.mock <= 20:
            return _fail("--mock takes between 1 and 20 questions")
        chosen = bank.mock_loop(cat, args.mock, rng,
                                [args.principle] if args.principle else None)
    elif args.weakest:
        import sqlite3

        from starcoach.desktop.attempts.store import HistoryError, HistoryStore

        try:
            with HistoryStore() as store:
                chosen = bank.weakest(cat, store.rule_failures())
        except (HistoryError, sqlite3.DatabaseError) as exc:
            return _fail(f"cannot read your history for --weakest: {exc}")
        if not chosen:
            sys.stderr.write("starcoach: no analysed attempts yet; practise a few questions "
                             "first\n")
    rows = [{"id": q.id, "principle": q.principle, "text": q.text, "pack": q.pack,
             "lenses": list(q.lenses)} for q in chosen]
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    if args.random or args.mock is not None or args.weakest:
        for n, r in enumerate(rows, 1):  # in the order to answer them
            sys.stdout.write(f"{n}. [{cat.principles[r['principle']]['name']}] {r['text']}\n"
                             f"   ({r['id']})\n")
        return EXIT_OK
    for principle in sorted({r["principle"] for r in rows}):
        sys.stdout.write(f"{cat.principles[principle]['name']}\n")
        for r in rows:
            if r["principle"] == principle:
                sys.stdout.write(f"  {r['id']:<44} {r['text']}\n")
    return EXIT_OK


def cmd_questions_import(args: argparse.Namespace) -> int:
    from starcoach.desktop.bank.imports import import_pack
    from starcoach.rubric.pack_schema import PackError

    library = library_of(args)
    try:
        dest = import_pack(args.file, library)
    except PackError as exc:
        return _fail(str(exc))
    cat = library.catalogue()
    ids = [q.id for q in cat.questions.values() if cat.packs.get(q.pack) == str(dest)]
    sys.stdout.write(f"Imported {len(ids)} question{'s' if len(ids) != 1 else ''} "
                     f"into {dest}\n")
    for qid in ids:
        sys.stdout.write(f"  {qid}\n")
    return EXIT_OK


def _user_library() -> PackLibrary:
    """Commands that read the question bank see the person's imported packs too, in this
    command's own library; a pack that can no longer be used is skipped with one line on
    stderr, never fatal."""
    from starcoach.desktop.bank.imports import open_user_library
    from starcoach.rubric.pack_schema import PackError
    from starcoach.rubric.packs import PackLibrary

    try:
        library, problems = open_user_library()
    except PackError:  # a bundled pack is broken: the command itself reports it
        return PackLibrary()
    for problem in problems:
        sys.stderr.write(f"starcoach: warning: skipped your pack {problem}\n")
    return library


def library_of(args: argparse.Namespace) -> PackLibrary:
    """The command's pack library (the bundled packs alone when it was given none)."""
    library = getattr(args, "library", None)
    if library is None:
        from starcoach.rubric.packs import PackLibrary

        library = args.library = PackLibrary()
    return library


def catalogue_of(args: argparse.Namespace) -> Catalogue:
    """The command's catalogue: the bundled packs and the person's (``PackError`` when a
    bundled pack is broken)."""
    return library_of(args).catalogue()


class _ModelMissing(Exception):
    pass


def _transcribe(path: Path, model: str | None):
    """Audio → words through ``speech``; its errors become one-line CLI errors."""
    from starcoach.rubric.inputs import InputError
    from starcoach.rubric.safety import FileProblem, regular_file_size
    from starcoach.speech.cli import transcribe_for_analyze
    from starcoach.speech.errors import AudioError, ModelUnavailable

    try:
        regular_file_size(path)
    except FileProblem as exc:
        raise InputError(f"{path}: {exc}") from None
    try:
        return transcribe_for_analyze(str(path), model)
    except ModelUnavailable as exc:
        raise _ModelMissing(str(exc)) from None
    except AudioError as exc:
        raise InputError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)  # type: ignore[assignment]
    try:
        args = parser.parse_args(argv)  # its errors name arguments: filtered too
        if args.command is not None:
            return _run_command(args)
    finally:
        sys.stdout, sys.stderr = out, err
    return launch_app()


def _run_command(args: argparse.Namespace) -> int:
    """Run one command; output that cannot be written and unexpected faults are one line."""
    try:
        if args.command in ("questions", "analyze", "history"):
            args.library = _user_library()
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EDQUOT):
            return _unexpected(exc)
        _silence_stdout()
        if exc.errno == errno.EPIPE:
            return EXIT_FAIL  # the reader went away (| head): nothing to say
        return _fail(f"cannot write the output: {exc.strerror or exc}", EXIT_FAIL)
    except KeyboardInterrupt:
        return 130
    except (Exception, RecursionError, MemoryError) as exc:
        return _unexpected(exc)


def _silence_stdout() -> None:
    """Point stdout at the null device so the interpreter's final flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(null)
    except (OSError, ValueError):
        pass


def _unexpected(exc: BaseException) -> int:
    if os.environ.get("STARCOACH_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    return _fail(f"unexpected {type(exc).__name__}: {exc} (set STARCOACH_DEBUG=1 for "
                 "details)", EXIT_FAIL)


def launch_app() -> int:
    try:
        from starcoach.desktop.app import run
    except ImportError as exc:  # a broken install: say what is missing, in one line
        return _fail(f"the window cannot start: {exc} (reinstall StarCoach; "
                     "`starcoach analyze` still works)", EXIT_FAIL)
    return int(run())


if __name__ == "__main__":
    sys.exit(main())
