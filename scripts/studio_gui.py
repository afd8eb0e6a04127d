"""Entry script of the frozen ``UptrendsStudio`` executable (the windowed Studio).

Used by ``build_installer.spec`` only; from a checkout, run ``uptrends-studio`` instead.
"""

from __future__ import annotations

import os
import sys

# The windowed executable is where the GUI starts, so it imports it directly.
from uptrends_studio.gui.app import run  # noqa: TID251

if __name__ == "__main__":
    # A windowed Windows executable has no console: sys.stdout and sys.stderr are None, and a
    # write (e.g. the --quit-after-start problem report) would raise. Send them nowhere instead.
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (open for the life of the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (open for the life of the process)
    sys.exit(run(sys.argv[1:]))
