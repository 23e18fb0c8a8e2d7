"""``python -m starcoach.desktop`` runs the ``starcoach`` command."""

import sys

from starcoach.desktop.cli import main

sys.exit(main())
