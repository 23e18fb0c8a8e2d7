"""``starcoach history``: list, show, export, re-analyse and delete stored attempts.

Importing this module is cheap (the store loads inside the commands) and nothing on these
paths imports Qt except ``export --format pdf``.

Exit status: 0 done; 1 something could not be written or re-analysed; 2 bad usage, or a
history that cannot be read (a database from a newer StarCoach, a folder or dangling link
where the file should be, a read-only folder, a damaged attempt), always as one line.
Damaged attempts are left out of ``list`` and ``reanalyse --all`` with a warning each.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from starcoach.rubric.clock import clock

if TYPE_CHECKING:
    from starcoach.desktop.attempts.store import HistoryStore
    from starcoach.rubric.pack_schema import Catalogue

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXPORT_FORMATS = ("pdf", "html", "md", "flac")  # history.exporting's, without importing it


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``history`` and its subcommands to the ``starcoach`` command line."""
    p = subparsers.add_parser("history", help="stored attempts: list, show, export, reanalyse")
    p.set_defaults(func=lambda args: _usage(p))
    sub = p.add_subparsers(dest="history_command", metavar="{list,show,export,reanalyse,delete}")

    ls = sub.add_parser("list", help="attempts, newest first")
    ls.add_argument("--question", help="only this question id")
    ls.add_argument("--principle", help="only this Leadership Principle (kebab case)")
    ls.add_argument("--since", help="only attempts started on or after this date (YYYY-MM-DD)")
    ls.add_argument("--search", help="text in the transcript or notes")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=cmd_list)

    sh = sub.add_parser("show", help="one attempt's report")
    sh.add_argument("id", type=int, help="attempt id (see `history list`)")
    sh.add_argument("--json", action="store_true", help="print the stored attempt as JSON")
    sh.set_defaults(func=cmd_show)

    ex = sub.add_parser("export", help="write an attempt's report (pdf, html, md) or its audio")
    ex.add_argument("id", type=int, help="attempt id")
    ex.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    ex.add_argument("-o", "--output", type=Path, help="output file or folder "
                    "(default attempt-ID.FORMAT here)")
    ex.set_defaults(func=cmd_export)

    re_ = sub.add_parser("reanalyse", help="re-judge stored words with the current rubric")
    re_.add_argument("id", type=int, nargs="?", help="attempt id")
    re_.add_argument("--all", action="store_true", help="every attempt with a transcript")
    re_.set_defaults(func=cmd_reanalyse)

    de = sub.add_parser("delete", help="delete an attempt and its audio")
    de.add_argument("id", type=int, help="attempt id")
    de.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    de.set_defaults(func=cmd_delete)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    from starcoach.rubric.safety import one_line

    sys.stderr.write(f"starcoach: error: {one_line(message)}\n")
    return code


def _warn(message: str) -> None:
    from starcoach.rubric.safety import one_line

    sys.stderr.write(f"starcoach: warning: {one_line(message)}\n")


class _Abort(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _open() -> HistoryStore:
    """The user's store, recordings left by a crash recovered; set-aside notices on stderr."""
    from starcoach.desktop.attempts.store import HistoryError, HistoryStore

    try:
        store = HistoryStore()
    except HistoryError as exc:
        raise _Abort(_fail(str(exc), EXIT_USAGE)) from None
    if store.notice:
        _warn(store.notice)
    try:
        recovered = store.recover()
    except HistoryError as exc:  # busy elsewhere: the command itself can still read
        _warn(str(exc))
        recovered = []
    if recovered:
        ids = ", ".join(str(i) for i in recovered)
        sys.stderr.write(f"starcoach: recovered interrupted recording(s): {ids}\n")
    return store


def _run(func, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from starcoach.desktop.attempts.store import AttemptNotFound

    try:
        store = _open()
    except _Abort as abort:
        return abort.code
    import sqlite3

    from starcoach.desktop.attempts.records import HistoryBusy, HistoryError

    try:
        return int(func(store, args))
    except AttemptNotFound as exc:
        return _fail(str(exc))
    except HistoryBusy as exc:
        return _fail(str(exc), EXIT_FAIL)
    except HistoryError as exc:
        return _fail(str(exc))
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return _fail(f"the history database {store.path} is busy (another StarCoach is "
                         "writing to it); try again in a moment", EXIT_FAIL)
        return _fail(f"the history database {store.path} cannot be read: {exc}")
    except sqlite3.DatabaseError as exc:
        return _fail(f"the history database {store.path} cannot be read: {exc}")
    finally:
        store.close()




def _local(started_at: str) -> str:
    from starcoach.desktop.wording import local_datetime

    return local_datetime(started_at) or started_at


def _catalogue(args: argparse.Namespace) -> Catalogue | None:
    """The command's catalogue (its library: the bundled and the person's packs), if any."""
    from starcoach.rubric.pack_schema import PackError

    library = getattr(args, "library", None)
    try:
        return library.catalogue() if library is not None else None
    except PackError:  # a broken bundled pack: the history still lists
        return None


def _about(question: str | None, principle: str | None, cat: Catalogue | None) -> str:
    from starcoach.desktop.wording import principle_name, question_title

    if question:
        return question_title(question, cat)
    return f"{principle_name(principle)} answer" if principle else "answer"


def _clipped(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# -- commands -----------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
            if since.tzinfo is None:
                since = since.astimezone()  # local time; year 1 or 9999 can overflow here
        except (ValueError, OverflowError, OSError):
            return _fail(f"--since {args.since!r}: expected a date like 2025-01-31")
    return _run(lambda store, a: _list(store, a, since), args)


def _list(store: HistoryStore, args: argparse.Namespace, since: datetime | None) -> int:
    rows = store.list(question=args.question, principle=args.principle, since=since,
                      text=args.search)
    for problem in store.skipped:
        _warn(f"skipped damaged {problem}")
    if args.json:
        sys.stdout.write(json.dumps([r.to_json() for r in rows], ensure_ascii=False) + "\n")
        return EXIT_OK
    if not rows:
        print("no attempts stored yet" if not any(
            (args.question, args.principle, since, args.search)) else "no matching attempts")
        return EXIT_OK
    from starcoach.desktop.wording import level_name, status_text

    cat = _catalogue(args)
    print(f"{'id':>5}  {'recorded':<18}  {'question':<40} {'level':<15} "
          f"{'length':>6}  {'status':<17}  {'verdict':<13} findings")
    for r in rows:
        what = _clipped(_about(r.question, r.principle, cat), 40)
        findings = "" if r.finding_count is None else str(r.finding_count)
        print(f"{r.id:>5}  {_local(r.started_at):<18}  {what:<40} {level_name(r.level):<15} "
              f"{clock(r.duration_s):>6}  {status_text(r.status):<17}  "
              f"{(r.verdict or '—'):<13} {findings}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    return _run(_show, args)


def _show(store: HistoryStore, args: argparse.Namespace) -> int:
    attempt = store.get(args.id)
    if args.json:
        sys.stdout.write(json.dumps(attempt.to_json(), ensure_ascii=False) + "\n")
        return EXIT_OK
    from starcoach.desktop.attempts.numbering import attempt_number
    from starcoach.desktop.wording import model_name, status_text

    s, cat = attempt.summary, _catalogue(args)
    print(f"Attempt {attempt_number(store, s)} at “{_about(s.question, s.principle, cat)}” "
          f"(history id {s.id})")
    print(f"{_local(s.started_at)} · {status_text(s.status)} · {clock(s.duration_s)} long"
          + (f" · speech model {model_name(s.model)}" if s.model else ""))
    print(f"audio: {attempt.audio_path if attempt.audio_path else '—'}")
    if s.notes:
        print(f"notes: {s.notes}")
    print()
    if attempt.report is None:
        print("no report yet: this recording has not been transcribed and analysed")
        return EXIT_OK
    from starcoach.desktop.wording import report_names
    from starcoach.rubric.render import render_text
    from starcoach.rubric.serial import report_from_json

    try:
        text = render_text(report_from_json(attempt.report), names=report_names(cat))
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        return _fail(f"attempt {s.id}: the stored report is damaged ({type(exc).__name__}: "
                     f"{exc}); `starcoach history reanalyse {s.id}` rebuilds it")
    sys.stdout.write(text)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    return _run(_export, args)


def _export(store: HistoryStore, args: argparse.Namespace) -> int:
    from starcoach.desktop.attempts.export import ExportError
    from starcoach.desktop.attempts.records import AttemptNotFound
    from starcoach.desktop.history.exporting import write_export

    target: Path = args.output or Path(f"attempt-{args.id}.{args.format}")
    try:
        target = write_export(store, args.id, args.format, target, _catalogue(args))
    except AttemptNotFound as exc:  # a KeyError: before the damaged-report catch below
        return _fail(str(exc))
    except ExportError as exc:
        return _fail(str(exc), EXIT_FAIL)
    except OSError as exc:
        return _fail(f"cannot write {target}: {exc.strerror or exc}", EXIT_FAIL)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        return _fail(f"attempt {args.id}: the stored report is damaged ({type(exc).__name__}: "
                     f"{exc}); `starcoach history reanalyse {args.id}` rebuilds it")
    print(f"wrote {target}")
    return EXIT_OK


def cmd_reanalyse(args: argparse.Namespace) -> int:
    if (args.id is None) == (not args.all):
        return _fail("give one attempt id or --all")
    return _run(_reanalyse, args)


def _reanalyse(store: HistoryStore, args: argparse.Namespace) -> int:
    results = store.reanalyse(None if args.all else args.id, catalogue=_catalogue(args))
    failed = 0
    for r in results:
        if r.error:
            failed += 1
            _warn(f"attempt {r.id}: not re-analysed: {r.error}")
        else:
            print(f"attempt {r.id}: rubric {r.old_version or '—'} → {r.new_version}")
    if not results:
        print("no attempts with a transcript to re-analyse")
    return EXIT_FAIL if failed else EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    return _run(_delete, args)


def _delete(store: HistoryStore, args: argparse.Namespace) -> int:
    from starcoach.desktop.attempts.records import AttemptDamaged

    try:
        s = store.get(args.id).summary
        what = f"{_about(s.question, s.principle, _catalogue(args))}, {_local(s.started_at)}"
    except AttemptDamaged:  # a damaged attempt can still be deleted
        what = "damaged"
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail(f"not deleting attempt {args.id} without confirmation: pass --yes")
        answer = input(f"Delete attempt {args.id} ({what}) and its audio? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("kept")
            return EXIT_OK
    store.delete(args.id)
    print(f"deleted attempt {args.id}")
    return EXIT_OK
