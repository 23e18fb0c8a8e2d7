"""``python tests/speech/cli_harness.py ARGS``: the speech subcommands under a bare parser.

Stands in for ``starcoach`` (desktop/cli.py) so recording can run in a child process whose
PortAudio sees the test's ALSA fake microphone.
"""

from __future__ import annotations

import argparse
import sys

from starcoach.speech.cli import register


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="starcoach")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
