"""Entry point for ``python -m uptrends_studio``."""

import sys

from uptrends_studio.cli import main

sys.exit(main(sys.argv[1:]))
