"""Entry script for the PyInstaller bundle: the same as the ``starcoach`` console script.

``starcoach`` with no arguments opens the app; ``starcoach analyze …`` and the other
subcommands behave exactly as the installed command (see README.md and packaging/README.md).
"""

import sys

from starcoach.desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
