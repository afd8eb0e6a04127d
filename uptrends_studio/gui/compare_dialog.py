"""Two test runs side by side: each one's requests and responses, the differences highlighted."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.delivery.history import RunRecord
from uptrends_studio.core.rendering.request_diff import diff_segments
from uptrends_studio.gui.code_view import CodeView, pretty_json
from uptrends_studio.gui.run_view import content_language, head_text, status_text


def run_text(record: RunRecord) -> str:
    """A run as text to compare: per step, the request then the response (JSON pretty)."""
    parts: list[str] = []
    for exchange in record.exchanges:
        request_body = exchange.request_body
        if content_language(exchange.request_headers) == "json":
            request_body = pretty_json(request_body) or request_body
        response_body = exchange.response_body or exchange.error
        if content_language(exchange.response_headers) == "json":
            response_body = pretty_json(response_body) or response_body
        parts.append(
            f"### Step {exchange.step_index + 1} · {exchange.step_name}\n"
            + head_text(f"{exchange.method} {exchange.url}", exchange.request_headers)
            + (f"\n\n{request_body}" if request_body else "")
            + "\n\n"
            + head_text(status_text(exchange), exchange.response_headers)
            + (f"\n\n{response_body}" if response_body else "")
        )
    return "\n\n".join(parts) or "Nothing was sent."


def run_title(record: RunRecord) -> str:
    """``2026-12-03 12:41:07 · Error · ✓ delivered · sample HTTPS monitor``."""
    when = datetime.fromisoformat(record.started_at).astimezone()
    outcome = "✓ delivered" if record.success else "✗ failed"
    return (
        f"{when:%Y-%m-%d %H:%M:%S} · {record.alert_type.value} · {outcome} · "
        f"sample {record.sample_name}"
    )


class CompareDialog(QDialog):
    """Two runs next to each other, what differs highlighted (request and response)."""

    def __init__(self, left: RunRecord, right: RunRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare two runs")
        self.resize(1100, 640)
        texts = [run_text(left), run_text(right)]
        ranges = diff_segments(texts)
        self.views: list[CodeView] = []
        self.titles: list[QLabel] = []
        grid = QGridLayout()
        for column, (record, text, marked) in enumerate(
            zip((left, right), texts, ranges, strict=True)
        ):
            title = QLabel(run_title(record))
            title.setWordWrap(True)
            view = CodeView(line_numbers=True)
            view.set_code(text, "http")
            view.set_extra_highlights(marked)
            grid.addWidget(title, 0, column)
            grid.addWidget(view, 1, column)
            self.titles.append(title)
            self.views.append(view)
        grid.setRowStretch(1, 1)
        self.summary = QLabel(
            "The two runs sent and received the same."
            if texts[0] == texts[1]
            else "Highlighted: what differs between the two runs."
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)
        layout.addWidget(buttons)
