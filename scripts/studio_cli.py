"""Entry script of the frozen ``uptrends-studio`` console executable (``render``, ``check``, ...).

Used by ``build_installer.spec`` only; it is the ``uptrends-studio`` console script of the
package. With no subcommand it opens the Studio window, like the installed command.
"""

from __future__ import annotations

from uptrends_studio.launcher import console_main

if __name__ == "__main__":
    console_main()
