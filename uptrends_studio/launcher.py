"""The ``uptrends-studio`` command: a headless subcommand, or the Studio window.

The one module that chooses between the two front ends, above both: ``cli`` never imports the
GUI, and the GUI is imported here only when the window is asked for, so the headless commands
never load Qt.

* no argument, or only the window's own options → the Studio on its built-in demo;
* an existing file as the first argument → the Studio on that file;
* anything else goes to the command-line parser, which runs a subcommand or says what is
  wrong (an unknown word exits 2 with the list of commands, taken from the parser itself).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

WINDOW_OPTIONS = frozenset({"--quit-after-start"})
"""Options of the window itself (not of any subcommand)."""


def wants_window(args: Sequence[str]) -> bool:
    """Whether ``args`` ask for the Studio window rather than a subcommand."""
    rest = [arg for arg in args if arg not in WINDOW_OPTIONS]
    if not rest:
        return True
    first = rest[0]
    if first.startswith("-"):
        return False
    try:
        return Path(first).is_file()
    except (OSError, ValueError):  # a name the file system cannot even look up
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the window or a subcommand; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_window(args):
        try:
            from uptrends_studio.gui.app import run
        except ImportError as exc:
            sys.stderr.write(
                f"uptrends-studio: the Studio window is not available ({exc}); "
                "use 'uptrends-studio render demo' or 'uptrends-studio check FILE'\n"
            )
            return 2
        return run(args)
    first = args[0]
    if not first.startswith("-") and (first.endswith(".json") or "/" in first or "\\" in first):
        sys.stderr.write(f"uptrends-studio: no such file: {first}\n")
        return 2
    from uptrends_studio.cli import main as cli_main

    return cli_main(args)


def console_main() -> None:
    """Console-script entry point (``uptrends-studio``)."""
    sys.exit(main())
