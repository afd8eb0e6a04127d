"""The render budget: how much work rendering one alert message may take, in one place.

Every costly call of the template language (a regex, hash, HMAC or JWT user-defined function,
and the rendering of an HMAC or JWT key) asks the message's :class:`RenderBudget` first. A
regex search gets the time that is left as its timeout, so a catastrophic pattern stops when
the message's budget is spent, not after a fixed time per call. Once the budget is spent,
every later costly call in the message is skipped with a diagnostic at its token; the rest of
the message still renders.

Rendered HMAC and JWT keys are memoised per budget (per alert message), so a key built from
other functions' results is computed once instead of once per use (which grows exponentially
with depth). Results of the pure functions are memoised by function and input (argument and
rendered key) in ``results``, which the budgets of one check or preview share: the same call in
the Reminder message reuses the Error message's result, and a call that needed more than a
whole budget is not run again.

A budget can carry a cancel event (the window sets it on a newer edit or on quit); the
evaluator then stops with :class:`RenderCancelled` at its next token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

DEFAULT_RENDER_SECONDS = 2.0
"""Total time the costly calls of one alert message may take (``--budget`` overrides it)."""


class RenderCancelled(Exception):  # noqa: N818 - an event, not an error: nobody wants the result
    """Rendering was cancelled (a newer edit, the window closing); the result is not wanted."""


class RenderBudget:
    """Deadline, cancel event and memo of the rendering of one alert message.

    Args:
        seconds: The total time the costly calls may take, counted from construction.
        cancel: When set, the next check raises :class:`RenderCancelled`.
        clock: Monotonic seconds (tests pass a fake clock).
        results: Results of pure function calls, shared with the budgets of the other
            messages of the same check (default: this budget's own).

    Attributes:
        memo: Rendered keys of this message, by function, template and call path.
        results: Pure function results by (function, argument, key, header).
        spent_at: ``(function, field)`` of the call during which the budget ran out, or
            ``None`` while there is time left.
    """

    def __init__(
        self,
        seconds: float = DEFAULT_RENDER_SECONDS,
        *,
        cancel: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
        results: dict[Hashable, object] | None = None,
    ) -> None:
        self.seconds = seconds
        self._cancel = cancel
        self._clock = clock
        self._deadline = clock() + seconds
        self.memo: dict[Hashable, object] = {}
        self.results: dict[Hashable, object] = {} if results is None else results
        self.spent_at: tuple[str, str] | None = None

    @property
    def cancelled(self) -> bool:
        """True once the cancel event is set."""
        return self._cancel is not None and self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise :class:`RenderCancelled` when the work was cancelled."""
        if self._cancel is not None and self._cancel.is_set():
            raise RenderCancelled

    def remaining(self) -> float:
        """Seconds left (0 when spent)."""
        if self.spent_at is not None:
            return 0.0
        return max(0.0, self._deadline - self._clock())

    def spent(self, function: str, field: str) -> bool:
        """True when no time is left; the first caller to find so is recorded in ``spent_at``."""
        self.check_cancelled()
        if self.spent_at is None and self._clock() >= self._deadline:
            self.spent_at = (function, field)
        return self.spent_at is not None

    def mark_spent(self, function: str, field: str) -> None:
        """Record that the budget ran out during ``function`` in ``field`` (a timed-out call)."""
        if self.spent_at is None:
            self.spent_at = (function, field)

    def describe(self) -> str:
        """``2 s`` (the budget, for messages)."""
        return f"{self.seconds:g} s"
