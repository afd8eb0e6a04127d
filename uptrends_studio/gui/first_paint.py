"""Knowing when the window is really ready: the first rendered preview has been painted.

``--quit-after-start`` (the start-up measure of benchmarks and smoke tests) quits at that
moment, and ``benchmarks/bench_gui.py`` times it, so both measure the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from uptrends_studio.gui.main_window import MainWindow


class PaintWatch(QObject):
    """Calls back once, after the next paint event of ``widget`` has been handled."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback = callback
        self.fired = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self.fired and watched is self._widget and event.type() == QEvent.Type.Paint:
            self.fired = True
            self._widget.removeEventFilter(self)
            # Runs when the paint (and the backing-store flush it is part of) is over.
            QTimer.singleShot(0, self._callback)
        return False


def after_preview_painted(
    window: MainWindow,
    callback: Callable[[], None],
    on_updated: Callable[[], None] | None = None,
) -> None:
    """Call ``callback`` once the window's first computed preview has been painted.

    Call it before the event loop first runs after the window is built. ``on_updated``
    (benchmarks) is called when that first preview has been computed and handed to the view,
    before it is painted (at once when the window already holds it).
    """

    def watch_the_paint() -> None:
        if on_updated is not None:
            on_updated()
        PaintWatch(window.preview_pane.code_view("pretty").viewport(), callback)

    def updated(_preview: object) -> None:
        window.controller.updated.disconnect(updated)
        watch_the_paint()

    if window.controller.delivered:
        # The window waited for its first preview before being shown (``MainWindow``): its
        # first paint is the one that shows it.
        watch_the_paint()
    else:
        window.controller.updated.connect(updated)
