"""Runtime hook of the frozen ``uptrends-studio`` console executable only (see the spec).

It stands in for PyInstaller's own PySide6 runtime hook, which the window executable keeps:
that hook imports ``PySide6.QtCore`` at start (to check for an embedded ``qt.conf``), so every
``uptrends-studio render``, ``check`` or ``--version`` would load the Qt libraries. Here only the
plugin search path is set, as that hook sets it, and nothing of Qt is imported. When the
command line opens the window, importing PySide6 registers the wheel's own ``qt.conf`` (prefix
``PySide6/Qt`` in the bundle), which is what PyInstaller's hook checks for first and then leaves
alone. Its other settings are for QML and QtNetwork's OpenSSL, which the bundle leaves out.
"""

import os
import sys


def _set_qt_plugin_path() -> None:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is None:  # not frozen: nothing to set
        return
    if sys.platform.startswith("win"):
        qt = os.path.join(bundle, "PySide6")
    else:
        qt = os.path.join(bundle, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")


_set_qt_plugin_path()
