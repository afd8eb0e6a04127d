"""Import from cURL / HTTP: live parsing, the summary or error banner, and the step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from uptrends_studio.core.delivery.request_import import parse_request_text
from uptrends_studio.core.document.model import ALERT_TYPES, AuthType, Header
from uptrends_studio.gui.import_dialog import (
    ImportRequestDialog,
    describe_body,
    error_spans,
    word_spans,
)

PAGERDUTY_BODY = """{
  "payload": {
    "summary": "DISK at 99% on machine prod-datapipe03.example.com",
    "severity": "critical",
    "source": "prod-datapipe03.example.com"
  },
  "routing_key": "samplekeyhere",
  "event_action": "trigger"
}"""
PAGERDUTY_CURL = f"""curl --request POST \\
  --url https://events.pagerduty.com/v2/enqueue \\
  --header 'Content-Type: application/json' \\
  --header 'Accept: application/json' \\
  -u svc-uptrends:pa55word -k \\
  --data '{PAGERDUTY_BODY}'"""


def _dialog(qtbot: QtBot, debounce_ms: int = 0) -> ImportRequestDialog:
    dialog = ImportRequestDialog(debounce_ms=debounce_ms)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _paste(qtbot: QtBot, dialog: ImportRequestDialog, text: str) -> bool:
    with qtbot.waitSignal(dialog.parsed, timeout=2000) as parsed:
        dialog.set_text(text)
    result = parsed.args[0] if parsed.args else False
    assert isinstance(result, bool)
    return result


def test_pagerduty_curl_gives_a_summary_and_the_step(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    assert not dialog.add_button.isEnabled()
    assert dialog.hint_label.text().startswith("Paste a curl command from the target's API docs")

    assert _paste(qtbot, dialog, PAGERDUTY_CURL)

    size = len(PAGERDUTY_BODY.encode("utf-8"))
    assert dialog.summary_label.isVisible()
    assert dialog.summary_label.text() == (
        f"POST https://events.pagerduty.com/v2/enqueue · 2 headers · JSON body ({size} bytes)"
        " · Basic auth"
    )
    assert not dialog.error_banner.isVisible()
    assert dialog.notes_label.isVisible()
    assert "-k (skip the TLS certificate check) was not imported." in dialog.notes_label.text()
    assert dialog.add_button.isEnabled()

    dialog.name_edit.setText("Trigger incident")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    step = dialog.step()
    assert step is not None
    assert step.name == "Trigger incident"
    assert step.method == "POST"
    assert step.url == "https://events.pagerduty.com/v2/enqueue"
    assert step.headers == (
        Header("Content-Type", "application/json"),
        Header("Accept", "application/json"),
    )
    assert json.loads(step.body)["routing_key"] == "samplekeyhere"
    assert step.alert_types == ALERT_TYPES
    assert step.authentication.type is AuthType.BASIC
    assert step.authentication.username == "svc-uptrends"


def test_data_from_a_file_is_refused_and_the_file_is_not_read(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file.json").write_text('{"token": "NEVER-READ-THIS"}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the file is there to be read, if anything tried
    dialog = _dialog(qtbot)
    text = (
        "curl -X POST https://hooks.example.com/alert \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        "  -d @file.json"
    )

    assert not _paste(qtbot, dialog, text)

    assert dialog.error_banner.isVisible()
    banner = dialog.error_banner.text()
    assert "-d (argument 7)" in banner
    assert "'@file.json'" in banner
    assert "reads the body from a file" in banner
    assert not dialog.add_button.isEnabled()
    assert not dialog.summary_label.isVisible()
    assert dialog.step() is None
    [(start, end)] = dialog.error_ranges()
    assert text[start:end] == "-d @file.json"
    assert [s.cursor.selectedText() for s in dialog.text_edit.extraSelections()] == [
        "-d @file.json"
    ]
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert not [label for label in labels if "NEVER-READ-THIS" in label]

    # Enter does not add a step that cannot be imported.
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()


def test_raw_http_request_is_imported(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    raw = (
        "POST /v2/enqueue HTTP/1.1\n"
        "Host: events.pagerduty.com\n"
        "Content-Type: application/json\n"
        "Content-Length: 27\n"
        "\n"
        '{"event_action": "trigger"}'
    )

    assert _paste(qtbot, dialog, raw)

    assert dialog.summary_label.text() == (
        "POST https://events.pagerduty.com/v2/enqueue · 1 header · JSON body (27 bytes)"
    )
    assert not dialog.notes_label.isVisible()
    step = dialog.step()
    assert step is not None
    assert step.name == "Imported step"
    assert step.url == "https://events.pagerduty.com/v2/enqueue"
    assert step.headers == (Header("Content-Type", "application/json"),)
    assert step.body == '{"event_action": "trigger"}'


def test_bad_header_line_is_underlined(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    raw = "POST https://x.example.com/hook HTTP/1.1\nContent-Type application/json\n\n{}"

    assert not _paste(qtbot, dialog, raw)

    assert dialog.error_text().startswith("Cannot import: line 2:")
    [(start, end)] = dialog.error_ranges()
    assert raw[start:end] == "Content-Type application/json"


def test_unclosed_quote_is_underlined_at_its_position(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    text = 'curl https://x.example.com/hook \\\n  -d \'{"a": 1}'

    assert not _paste(qtbot, dialog, text)

    assert "line 2, column 6" in dialog.error_text()
    [(start, _end)] = dialog.error_ranges()
    assert text[start] == "'"
    assert start == text.index("'")


def test_typing_is_parsed_after_the_pause_and_clearing_hides_everything(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)
    with qtbot.waitSignal(dialog.parsed, timeout=2000):
        qtbot.keyClicks(dialog.text_edit, "curl https://api.example.com/ping")
    assert dialog.add_button.isEnabled()
    assert dialog.summary_label.text() == "GET https://api.example.com/ping · no headers · no body"

    with qtbot.waitSignal(dialog.parsed, timeout=2000):
        dialog.text_edit.clear()
    assert not dialog.add_button.isEnabled()
    assert not dialog.summary_label.isVisible()
    assert not dialog.error_banner.isVisible()


def test_add_parses_text_still_waiting_for_the_pause(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot, debounce_ms=60_000)
    dialog.set_text("curl -X PUT https://api.example.com/status -d 'state=down'")
    assert not dialog.add_button.isEnabled()

    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
    step = dialog.step()
    assert step is not None
    assert (step.method, step.body) == ("PUT", "state=down")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("curl -X POST 'a b' \"c d\"", ["curl", "-X", "POST", "'a b'", '"c d"']),
        ("$ curl x \\\n  -H 'A: 1'", ["curl", "x", "-H", "'A: 1'"]),
        ('curl x ^\r\n  -d "{\\"a\\": 1}"', ["curl", "x", "-d", '"{\\"a\\": 1}"']),
        ("curl x # a comment\n  -k", ["curl", "x", "-k"]),
    ],
)
def test_word_spans_follow_the_importer(text: str, words: list[str]) -> None:
    spans = word_spans(text)
    assert spans is not None
    assert [text[start:end] for start, end in spans] == words


def test_argument_not_matching_the_message_underlines_nothing() -> None:
    # The message names -d and its value, but argument 1 of this text is something else.
    text = "curl x -d @a.json"
    assert error_spans(text, "-d (argument 1) '@a.json' reads the body from a file") == []
    assert error_spans(text, "-d (argument 3) '@a.json' reads the body from a file") == [(7, 17)]


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("curl https://x.test -d 'a=1&b=2'", "form"),
        ("curl https://x.test -H 'Content-Type: text/plain' -d 'hello'", "text"),
        ("curl https://x.test -H 'Content-Type: text/plain' -d '{\"a\": 1}'", "text"),
        ("curl https://x.test -H 'Content-Type:' -d '{\"a\": 1}'", "JSON"),
        ("curl https://x.test -H 'Content-Type: application/soap+xml' -d '<a/>'", "XML"),
        ("curl https://x.test --json '{\"a\": 1}'", "JSON"),
    ],
)
def test_body_kind_in_the_summary(command: str, kind: str) -> None:
    assert describe_body(parse_request_text(command)) == kind
