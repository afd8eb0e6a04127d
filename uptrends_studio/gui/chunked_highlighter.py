"""A syntax highlighter that colours a large text in chunks, keeping the window responsive."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QSyntaxHighlighter, QTextDocument

_EVERY_LINE = 2**31 - 1
"""A :attr:`ChunkedHighlighter.chunk_limit` past any line: every line is coloured when edited."""


class ChunkedHighlighter(QSyntaxHighlighter):
    """Colours the first lines of a text at once and the rest in chunks from a timer.

    Qt highlights every block of a new text synchronously. A subclass's ``highlightBlock``
    returns early for blocks at or past :attr:`chunk_limit` (marking them pending, and starting
    :meth:`start_chunks`); each tick of a zero-interval timer moves the limit on by
    ``chunk_lines`` lines and re-highlights from there (Qt continues while block states
    change). Subclasses say when every line is done in :meth:`is_finished`.

    Signals: none.
    """

    def __init__(self, document: QTextDocument, *, first_lines: int, chunk_lines: int) -> None:
        super().__init__(document)
        self._first_lines = first_lines
        self._chunk_lines = chunk_lines
        self.chunk_limit = first_lines
        """Blocks from this number on are not highlighted yet."""
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_timer_timeout)

    def is_finished(self) -> bool:
        """True when no line waits for the chunked highlighting."""
        raise NotImplementedError

    def reset_chunks(self) -> None:
        """Start over from the top: the first lines at once, the rest in chunks."""
        self._timer.stop()
        self.chunk_limit = self._first_lines

    def colour_edits_at_once(self) -> None:
        """From now until :meth:`reset_chunks`, colour every line an edit adds or changes.

        For a text whose lines are all coloured (:meth:`is_finished`) and that is then edited
        in place: Qt re-highlights the changed lines, and none of them is left pending.
        """
        self._timer.stop()
        self.chunk_limit = _EVERY_LINE

    def start_chunks(self) -> None:
        """Keep colouring in chunks until every line is done."""
        if not self._timer.isActive():
            self._timer.start()

    def stop_chunks(self) -> None:
        """Pause the chunked colouring (e.g. while hidden)."""
        self._timer.stop()

    def finish(self) -> None:
        """Highlight all remaining lines now (tests and screenshots)."""
        while not self.is_finished():
            self._on_timer_timeout()

    def _on_timer_timeout(self) -> None:
        document = self.document()
        if document is None or self.is_finished():
            self._timer.stop()
            return
        first = document.findBlockByNumber(self.chunk_limit)
        self.chunk_limit += self._chunk_lines
        self.rehighlightBlock(first)
        if self.is_finished():
            self._timer.stop()
