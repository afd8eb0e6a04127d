"""The staged start: what the window builds before its first paint, and what right after.

Before the first preview is painted the window holds only its shell, the tab on screen and the
preview. Everything else is a :class:`LazyPage` (built when it is first needed) or a step of
:class:`StagedStart`, which runs the steps one per turn of the event loop once the first preview
has been painted, so the window answers input between them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    """A place in the window (a tab page, a dock) whose widget is built on first use.

    ``factory`` builds the widget (importing its module then). It runs once: when something asks
    for :meth:`widget` (the window's property, a tab becoming current), or at the latest when the
    staged start reaches it. ``on_built`` is then called with the widget, to connect it and
    bring it up to date with what happened meanwhile.
    """

    def __init__(
        self,
        factory: Callable[[], QWidget],
        on_built: Callable[[QWidget], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._factory: Callable[[], QWidget] | None = factory
        self._on_built = on_built
        self._widget: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)

    def is_built(self) -> bool:
        """True once the widget exists."""
        return self._widget is not None

    def built_widget(self) -> QWidget | None:
        """The widget if it exists, without building it."""
        return self._widget

    def widget(self) -> QWidget:
        """The widget, built now if it does not exist yet."""
        if self._widget is None:
            factory, self._factory = self._factory, None
            assert factory is not None, "LazyPage factory re-entered while building"
            widget = factory()
            self._widget = widget
            self._layout.addWidget(widget)
            if self.isVisible():
                widget.show()
            if self._on_built is not None:
                self._on_built(widget)
        return self._widget


class StagedStart(QObject):
    """Runs the window's remaining start-up steps, one per turn of the event loop.

    :meth:`begin` schedules them (the window calls it once its first preview is painted);
    :meth:`finish_now` runs whatever is left at once (closing the window early, tests).

    Signals:
        finished(): every step has run.
    """

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[Callable[[], object]] = []
        self._begun = False
        self._done = False
        self._waiting: list[Callable[[], None]] = []

    def add(self, step: Callable[[], object]) -> None:
        """Add a step; once the start has finished it runs at once."""
        if self._done:
            step()
        else:
            self._steps.append(step)

    def when_finished(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once every step has run (now, if they have)."""
        if self._done:
            callback()
        else:
            self._waiting.append(callback)

    def is_finished(self) -> bool:
        """True once every step has run."""
        return self._done

    def begin(self) -> None:
        """Start running the steps, one per event-loop turn (the first one after this turn)."""
        if self._begun:
            return
        self._begun = True
        QTimer.singleShot(0, self, self._next)

    def finish_now(self) -> None:
        """Run every remaining step now."""
        while self._steps:
            self._steps.pop(0)()
        self._finish()

    def _next(self) -> None:
        if self._steps:
            self._steps.pop(0)()
        if self._steps:
            QTimer.singleShot(0, self, self._next)
        else:
            self._finish()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()
        self.finished.emit()
