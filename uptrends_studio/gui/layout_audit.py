"""Find clipped text and overlapping controls in a shown window (the layout test uses it).

A user notices three things on a cramped screen: a label cut short ("Erro"), a button narrower
than its text, and two controls drawn over each other. :func:`audit` walks the visible widgets
of a window and reports each of them with the widget's path, so a failing test says where.

A widget that shortens its text on purpose (eliding with "…", a tooltip with the full text) sets
the dynamic property ``ELIDES`` to ``True`` and is left out of the width checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QSplitterHandle,
    QTabBar,
    QToolBar,
    QWidget,
)

ELIDES = "elidesText"
"""Dynamic property: the widget shortens its text on purpose (skip the width checks)."""
OVERLAY = "layoutOverlay"
"""Dynamic property: the widget floats over its siblings on purpose (a badge, a popup)."""
TOLERANCE = 2
"""Pixels of slack for rounding in style metrics."""


@dataclass(frozen=True, slots=True)
class LayoutProblem:
    """One visible defect: what it is and which widget (a readable path)."""

    kind: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.where} — {self.detail}"


def widget_path(widget: QWidget) -> str:
    """``MainWindow/QTabWidget/TestTab/QPushButton 'Send'``: enough to find it in the code."""
    parts: list[str] = []
    current: QWidget | None = widget
    while current is not None and len(parts) < 6:
        name = current.objectName() or type(current).__name__
        text = _text(current)
        parts.append(f"{name} {text!r}" if text else name)
        current = current.parentWidget()
    return "/".join(reversed(parts))


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton):
        return widget.text()[:40]
    return ""


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _in_scroll_content(widget: QWidget) -> bool:
    """Inside a scroll area's content (it may be larger than the viewport on purpose)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _skip_width(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if current.property(ELIDES):
            return True
        current = current.parentWidget()
    return isinstance(widget.parentWidget(), QToolBar | QMenuBar | QTabBar)


def _squashed(widget: QWidget) -> LayoutProblem | None:
    """A control lower than its text (two radio buttons squeezed into one line's height)."""
    needed = widget.minimumSizeHint().height()
    if widget.height() + TOLERANCE < needed:
        return LayoutProblem(
            "squashed", widget_path(widget), f"{widget.height()} px high, needs {needed}"
        )
    return None


def _label_problem(label: QLabel) -> LayoutProblem | None:
    if label.wordWrap() or not label.text() or not label.pixmap().isNull():
        return None
    if label.hasScaledContents():
        return None
    needed = label.minimumSizeHint().width()
    if label.width() + TOLERANCE < needed:
        return LayoutProblem(
            "clipped label", widget_path(label), f"{label.width()} px wide, text needs {needed}"
        )
    return None


def _button_problem(button: QAbstractButton) -> LayoutProblem | None:
    if not button.text():
        return None
    needed = button.minimumSizeHint().width()
    if isinstance(button, QAbstractButton) and type(button).__name__ in {
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
    }:
        needed = max(needed, _text_width(button))
    if button.width() + TOLERANCE < needed:
        return LayoutProblem(
            "clipped button", widget_path(button), f"{button.width()} px wide, needs {needed}"
        )
    return None


def _text_width(button: QAbstractButton) -> int:
    """The width the button's text alone takes (a floor under its size hint)."""
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return button.fontMetrics().horizontalAdvance(text)


def _is_control(widget: QWidget) -> bool:
    return isinstance(widget, QAbstractButton | QLabel | QLineEdit | QComboBox) and not isinstance(
        widget, QSplitterHandle
    )


def audit(window: QWidget) -> list[LayoutProblem]:
    """Every clipped label or button and every pair of overlapping sibling controls."""
    problems: list[LayoutProblem] = []
    widgets = [w for w in window.findChildren(QWidget) if _shown(w)]
    for widget in widgets:
        if _skip_width(widget):
            continue
        problem: LayoutProblem | None = None
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
        if problem is not None:
            problems.append(problem)
        elif isinstance(widget, QLabel | QAbstractButton) and not _in_scroll_content(widget):
            problem = _squashed(widget)
            if problem is not None:
                problems.append(problem)
    problems.extend(_crowded_tab_bars(widgets))
    problems.extend(_overlaps(widgets))
    problems.extend(_outside_parent(widgets))
    return problems


def _crowded_tab_bars(widgets: list[QWidget]) -> list[LayoutProblem]:
    """A tab bar too narrow for its tabs (scroll arrows, a tab cut at the edge)."""
    found: list[LayoutProblem] = []
    for bar in widgets:
        if not isinstance(bar, QTabBar) or bar.count() == 0:
            continue
        needed = sum(bar.tabSizeHint(i).width() for i in range(bar.count()))
        if bar.width() + TOLERANCE < needed:
            found.append(
                LayoutProblem(
                    "crowded tabs", widget_path(bar), f"{bar.width()} px wide, tabs need {needed}"
                )
            )
    return found


def _overlaps(widgets: list[QWidget]) -> list[LayoutProblem]:
    by_parent: dict[int, list[QWidget]] = {}
    for widget in widgets:
        parent = widget.parentWidget()
        if parent is None or widget.isWindow() or isinstance(parent, QAbstractScrollArea):
            continue  # a scroll area's viewport, bars and corner are its own business
        if widget.property(OVERLAY):
            continue
        by_parent.setdefault(id(parent), []).append(widget)
    found: list[LayoutProblem] = []
    for siblings in by_parent.values():
        for i, first in enumerate(siblings):
            for second in siblings[i + 1 :]:
                shared = first.geometry().intersected(second.geometry())
                if shared.width() > TOLERANCE and shared.height() > TOLERANCE:
                    found.append(
                        LayoutProblem(
                            "overlap",
                            widget_path(first),
                            f"overlaps {widget_path(second)} by {_size(shared)}",
                        )
                    )
    return found


def _outside_parent(widgets: list[QWidget]) -> list[LayoutProblem]:
    """Controls drawn partly outside their parent (cut off at its edge)."""
    found: list[LayoutProblem] = []
    for widget in widgets:
        parent = widget.parentWidget()
        if parent is None or widget.isWindow() or not _is_control(widget):
            continue
        if _in_scroll_content(widget) or _skip_width(widget):
            continue
        inside = parent.rect().intersected(widget.geometry())
        if inside.width() + TOLERANCE < widget.width() or inside.height() + TOLERANCE < min(
            widget.height(), widget.sizeHint().height()
        ):
            found.append(
                LayoutProblem(
                    "cut off",
                    widget_path(widget),
                    f"{_size(widget.geometry())} at the edge of a {_size(parent.rect())} parent",
                )
            )
    return found


def _size(rect: QRect) -> str:
    return f"{rect.width()}x{rect.height()}"
