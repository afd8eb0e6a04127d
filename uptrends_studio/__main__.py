"""Entry point for ``python -m uptrends_studio`` (the same as the ``uptrends-studio`` command)."""

import sys

from uptrends_studio.launcher import main

sys.exit(main(sys.argv[1:]))
