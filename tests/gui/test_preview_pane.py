"""The live preview pane: the request of the chosen alert type, its body badge, masking."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.model import (
    AlertType,
    Authentication,
    AuthType,
    Header,
    Integration,
    Step,
    Variable,
)
from uptrends_studio.core.document.samples import SampleSet, find_sample
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.core.rendering.preview import Preview, compute_preview
from uptrends_studio.core.secrets import MASK
from uptrends_studio.gui.code_view import (
    LARGE_TEXT_CHARS,
    LONG_LINE_CHARS,
    CodeView,
    pretty_json_head,
)
from uptrends_studio.gui.main_window import MainWindow
from uptrends_studio.gui.preview_pane import PreviewPane

API = "https://api.example.com/v2"
TOKEN = "tok-live-8f3a2c91e7"
CREATE_BODY = """{
  "type": "{{@alert.type}}",
  "incidentKey": "{{@incident.key}}",
  "monitor": "{{@JsonEncode({{@monitor.name}})}}",
  "timestamp": "{{@alert.timestamp}}"
}"""
RESOLVE_BODY = '{"type":"{{@alert.type}}","incidentKey":"{{@incident.key}}","resolved":true}'
JSON = Header("Content-Type", "application/json")
BEARER = Header("Authorization", "Bearer {{ApiToken}}")


def make_integration(
    *, create_body: str = CREATE_BODY, with_ok: bool = True, helper: bool = True
) -> Integration:
    """A create step (Error, Reminder), a resolve step (Ok) and a helper that runs first."""
    steps = [
        Step(
            "Create incident",
            alert_types=(AlertType.ERROR, AlertType.REMINDER),
            url="{{ApiUrl}}/incidents",
            headers=(JSON, BEARER),
            body=create_body,
        )
    ]
    if with_ok:
        steps.append(
            Step(
                "Resolve incident",
                alert_types=(AlertType.OK,),
                method="PUT",
                url="{{ApiUrl}}/incidents/{{@incident.key}}/resolve",
                headers=(JSON, BEARER),
                body=RESOLVE_BODY,
            )
        )
    if helper:
        steps.insert(
            0,
            Step(
                "Get access token",
                alert_types=(),
                url="{{ApiUrl}}/oauth/token",
                headers=(Header("Content-Type", "application/x-www-form-urlencoded"),),
                body="grant_type=client_credentials",
                authentication=Authentication(AuthType.BASIC, "uptrends-bot", "hunter22"),
            ),
        )
    return Integration(
        name="Incidents",
        variables=(
            Variable("ApiUrl", value=API),
            Variable("ApiToken", value=TOKEN, secret=True),
        ),
        steps=tuple(steps),
    )


def render(integration: Integration) -> tuple[Preview, SampleSet]:
    catalogue = load_catalogue()
    sample = find_sample(None, catalogue)
    return compute_preview(integration, sample, catalogue), sample


def make_pane(qtbot: QtBot, integration: Integration | None = None) -> PreviewPane:
    integration = integration or make_integration()
    preview, sample = render(integration)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(900, 700)
    pane.set_preview(preview, integration, sample)
    return pane


def test_error_shows_the_create_request_after_the_helper(qtbot: QtBot) -> None:
    pane = make_pane(qtbot)
    assert pane.alert_type() is AlertType.ERROR
    assert pane.request_count() == 2
    assert pane.current_text("url", 0) == f"POST {API}/oauth/token"
    assert pane.current_text("url") == f"POST {API}/incidents"
    assert (
        pane.current_text("headers")
        == f"Content-Type: application/json\nAuthorization: Bearer {MASK}"
    )
    assert json.loads(pane.current_text("raw"))["type"] == "Alert"


def test_set_alert_type_ok_shows_the_resolve_request(qtbot: QtBot) -> None:
    integration = make_integration()
    preview, _sample = render(integration)
    key = json.loads(preview.requests[AlertType.OK][-1].body)["incidentKey"]
    pane = make_pane(qtbot, integration)
    with qtbot.waitSignal(pane.alert_type_changed) as blocker:
        pane.set_alert_type(AlertType.OK)
    assert blocker.args == [AlertType.OK]
    assert pane.alert_type() is AlertType.OK
    assert pane.current_text("url") == f"PUT {API}/incidents/{key}/resolve"
    assert json.loads(pane.current_text("raw"))["type"] == "Ok"


def test_clicking_a_type_button_selects_it_and_reselecting_is_silent(qtbot: QtBot) -> None:
    pane = make_pane(qtbot)
    with qtbot.waitSignal(pane.alert_type_changed) as blocker:
        QTest.mouseClick(pane.type_button(AlertType.REMINDER), Qt.MouseButton.LeftButton)
    assert blocker.args == [AlertType.REMINDER]
    assert json.loads(pane.current_text("raw"))["type"] == "Reminder"
    with qtbot.assertNotEmitted(pane.alert_type_changed):
        pane.set_alert_type(AlertType.REMINDER)


def test_pretty_is_indented_and_raw_is_byte_exact(qtbot: QtBot) -> None:
    integration = make_integration()
    preview, _sample = render(integration)
    sent = preview.requests[AlertType.OK][-1].body
    pane = make_pane(qtbot, integration)
    pane.set_alert_type(AlertType.OK)
    assert pane.current_text("raw") == sent
    assert pane.current_text("pretty") == json.dumps(json.loads(sent), indent=2)
    assert pane.code_view("pretty").toPlainText() == pane.current_text("pretty")
    pane.body_tabs().setCurrentIndex(1)
    assert pane.code_view("raw").toPlainText() == sent


def test_badge_says_valid_json_for_a_good_body(qtbot: QtBot) -> None:
    pane = make_pane(qtbot)
    assert pane.current_text("badge") == "Valid JSON"


def test_badge_points_at_the_template_line_of_a_broken_body(qtbot: QtBot) -> None:
    broken = CREATE_BODY.replace('"timestamp": "{{@alert.timestamp}}"', '"timestamp": }')
    line_text = broken.split("\n")[4]
    pane = make_pane(qtbot, make_integration(create_body=broken))
    column = line_text.index("}") + 1
    assert pane.current_text("badge") == f"Invalid JSON — line 5, column {column}"
    assert pane.current_text("pretty") == pane.current_text("raw")  # shown as sent


def test_badge_says_text_body_without_a_json_content_type(qtbot: QtBot) -> None:
    integration = make_integration()
    plain = replace(integration.steps[1], headers=(BEARER,), body="alert {{@alert.type}}")
    pane = make_pane(qtbot, replace(integration, steps=(integration.steps[0], plain)))
    assert pane.current_text("badge") == "Text body"
    assert pane.current_text("raw") == "alert Alert"


def test_secrets_are_masked_until_revealed(qtbot: QtBot) -> None:
    pane = make_pane(qtbot)
    pane.show()
    qtbot.waitExposed(pane)
    assert TOKEN not in pane.current_text("headers")
    assert f"Bearer {MASK}" in pane.current_text("headers")
    assert "hunter22" not in pane.current_text("auth", 0)
    with qtbot.waitSignal(pane.reveal_toggled) as blocker:
        QTest.mouseClick(pane.reveal_checkbox(), Qt.MouseButton.LeftButton)
    assert blocker.args == [True]
    assert pane.reveal_secrets()
    assert f"Authorization: Bearer {TOKEN}" in pane.current_text("headers")
    # The password of the authentication settings stays masked even when revealed.
    assert pane.current_text("auth", 0) == (
        f"Basic authentication · username uptrends-bot · password {MASK}"
    )
    pane.set_reveal_secrets(False)
    assert TOKEN not in pane.current_text("headers")


def test_secret_inside_a_json_body_is_masked_in_pretty_and_raw(qtbot: QtBot) -> None:
    body = '{"token": "{{ApiToken}}", "type": "{{@alert.type}}"}'
    pane = make_pane(qtbot, make_integration(create_body=body))
    assert TOKEN not in pane.current_text("raw")
    assert TOKEN not in pane.current_text("pretty")
    assert json.loads(pane.current_text("pretty"))["token"] == MASK


def test_a_secret_encoded_by_the_template_is_masked_until_revealed(qtbot: QtBot) -> None:
    """Base64 of ``user:secret`` (hand-built Basic auth) shows as a mask, not as Base64."""
    body = '{"auth": "{{@Base64Encode(bot:{{ApiToken}})}}", "q": "{{@UrlEncode({{ApiToken}})}}"}'
    pane = make_pane(qtbot, make_integration(create_body=body))
    encoded = base64.b64encode(f"bot:{TOKEN}".encode()).decode()
    assert json.loads(pane.current_text("raw")) == {"auth": MASK, "q": MASK}
    assert encoded not in pane.current_text("pretty")
    pane.set_reveal_secrets(True)
    assert json.loads(pane.current_text("raw"))["auth"] == encoded


def test_a_type_no_step_has_ticked_says_nothing_is_sent(qtbot: QtBot) -> None:
    pane = make_pane(qtbot, make_integration(with_ok=False))
    pane.set_alert_type(AlertType.OK)
    assert pane.current_text("message") == (
        "No step has Ok ticked: Uptrends sends nothing for Ok alerts."
    )
    assert pane.request_count() == 0
    assert pane.current_text("badge") == ""
    assert pane.current_text("url") == ""
    pane.set_alert_type(AlertType.ERROR)
    assert pane.current_text("message") == ""
    assert pane.current_text("url") == f"POST {API}/incidents"


def test_a_preview_error_is_shown_in_a_banner(qtbot: QtBot) -> None:
    integration = make_integration()
    bad_sample = SampleSet(name="bad", timezone="Mars/Olympus")
    preview = compute_preview(integration, bad_sample, load_catalogue())
    assert preview.error
    pane = make_pane(qtbot)
    pane.set_preview(preview, integration, bad_sample)
    assert "Mars/Olympus" in pane.current_text("error")
    assert pane.current_text("url") == ""
    assert "sends nothing" not in pane.current_text("message")
    good, sample = render(integration)
    pane.set_preview(good, integration, sample)
    assert pane.current_text("error") == ""


def test_a_large_body_is_cut_and_show_all_loads_the_rest(qtbot: QtBot) -> None:
    items = ",".join(f'{{"id": {i}, "name": "item {i}"}}' for i in range(40_000))
    body = '{"type": "{{@alert.type}}", "items": [' + items + "]}"
    pane = make_pane(qtbot, make_integration(create_body=body))
    pane.show()
    qtbot.waitExposed(pane)
    view = pane.code_view("pretty")
    full = pane.current_text("pretty")
    assert len(full) > 1_000_000
    assert view.is_truncated()
    assert len(view.toPlainText()) <= LARGE_TEXT_CHARS
    assert full.startswith(view.toPlainText())
    assert "showing the first 200 KB" in view.truncation_message()
    assert view.show_all_button().isVisible()
    with qtbot.waitSignal(view.shown_all):
        QTest.mouseClick(view.show_all_button(), Qt.MouseButton.LeftButton)
    assert view.toPlainText() == full
    assert not view.is_truncated()
    assert not view.show_all_button().isVisible()


def test_a_1_mb_line_is_shown_cut_and_show_all_shows_it_whole(qtbot: QtBot) -> None:
    """A 1 MB value in one JSON string is one line: shown cut, never laid out whole."""
    long_value = "<p>" + "x" * 1_048_576 + "</p>"
    body = '{"type": "{{@alert.type}}", "page": "' + long_value + '", "after": 1}'
    pane = make_pane(qtbot, make_integration(create_body=body))
    pane.show()
    qtbot.waitExposed(pane)
    view = pane.code_view("pretty")
    full = pane.current_text("pretty")
    shown = view.toPlainText()
    assert len(shown) < 10_000
    assert max(len(line) for line in shown.split("\n")) < LONG_LINE_CHARS + 40
    page_line = next(line for line in shown.split("\n") if '"page"' in line)
    assert page_line.endswith("more characters]")
    assert f"{len(full.split(chr(10))[2]) - LONG_LINE_CHARS:,} more characters" in page_line
    assert '"after": 1' in shown  # the lines after the long one are all there
    assert "1 long line cut at 2,000 characters" in view.truncation_message()
    assert view.show_all_button().isVisible()
    with qtbot.waitSignal(view.shown_all):
        QTest.mouseClick(view.show_all_button(), Qt.MouseButton.LeftButton)
    assert view.toPlainText() == full
    assert not view.show_all_button().isVisible()


def test_highlights_after_a_cut_line_stay_on_their_characters(qtbot: QtBot) -> None:
    view = CodeView(long_line_chars=10)
    qtbot.addWidget(view)
    text = "short\n" + "a" * 50 + "\nmark here\n" + "b" * 30 + "\nend"
    view.set_code(text, "text")
    start = text.index("mark")
    view.set_extra_highlights([(start, start + 4), (text.index("end"), len(text))])
    shown = view.toPlainText()
    selected = [s.cursor.selectedText() for s in view.extraSelections()]
    assert selected == ["mark", "end"]
    assert shown.split("\n")[1] == "a" * 10 + " … [40 more characters]"


# -- the code view both widgets use ----------------------------------------------------------


def colour_at(view: CodeView, line: int, column: int) -> str:
    """The foreground colour the highlighter gave the character at ``line``/``column``."""
    block = view.document().findBlockByNumber(line)
    layout = block.layout()
    for format_range in layout.formats():
        if format_range.start <= column < format_range.start + format_range.length:
            fmt: QTextCharFormat = format_range.format
            return str(fmt.foreground().color().name())
    return ""


def test_json_keys_strings_and_numbers_get_different_colours(qtbot: QtBot) -> None:
    view = CodeView()
    qtbot.addWidget(view)
    view.set_code('{\n  "key": "value",\n  "n": 12\n}', "json")
    key, value, number = colour_at(view, 1, 3), colour_at(view, 1, 11), colour_at(view, 2, 8)
    assert "" not in (key, value, number)
    assert len({key, value, number}) == 3


def test_xml_tag_spanning_lines_keeps_its_state(qtbot: QtBot) -> None:
    view = CodeView()
    qtbot.addWidget(view)
    view.set_code('<alert\n    type="Ok">\n  text\n</alert>', "xml")
    attribute = colour_at(view, 1, 4)
    assert attribute
    assert attribute != colour_at(view, 2, 2)  # plain text after the tag closed
    assert colour_at(view, 2, 2) == ""


def test_http_head_and_body_are_coloured_as_such(qtbot: QtBot) -> None:
    view = CodeView()
    qtbot.addWidget(view)
    view.set_code('POST https://x/y\nContent-Type: application/json\n\n{"a": 1}', "http")
    assert colour_at(view, 0, 0) != colour_at(view, 0, 6) != ""
    assert colour_at(view, 1, 0) != ""
    assert colour_at(view, 3, 1) != ""  # the JSON key in the body


def test_extra_highlights_are_painted_and_unknown_languages_refused(qtbot: QtBot) -> None:
    view = CodeView()
    qtbot.addWidget(view)
    view.set_code("alpha beta gamma", "text")
    view.set_extra_highlights([(6, 10), (3, 3)])
    selections = view.extraSelections()
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in selections] == [(6, 10)]
    with pytest.raises(ValueError, match="unknown language"):
        view.set_code("x", "yaml")


def test_clicking_raw_preview_text_moves_the_editor_to_its_token(
    qtbot: QtBot, window: MainWindow
) -> None:
    """An author clicks "Alert" in the preview and lands on {{@alert.type}} in the body."""
    pane = window.preview_pane
    tabs = pane.body_tabs()
    raw = pane.code_view("raw")
    tabs.setCurrentWidget(raw)
    qtbot.waitUntil(lambda: '"type": "Alert"' in raw.toPlainText())
    position = raw.toPlainText().index('"Alert"') + 2
    cursor = raw.textCursor()
    cursor.setPosition(position)
    qtbot.mouseClick(raw.viewport(), Qt.MouseButton.LeftButton, pos=raw.cursorRect(cursor).center())
    assert window.current_tab() is window.customizations_tab
    body = window.customizations_tab.step_editor.body
    token = body.text().index("{{@alert.type}}")
    assert token <= body.textCursor().position() <= token + len("{{@alert.type}}")


def _formats(view: CodeView) -> list[list[tuple[int, int, str]]]:
    """Per line of the view, the coloured ranges: (start, length, colour)."""
    lines = []
    block = view.document().firstBlock()
    while block.isValid():
        lines.append(
            [
                (r.start, r.length, r.format.foreground().color().name())
                for r in block.layout().formats()
            ]
        )
        block = block.next()
    return lines


@pytest.mark.parametrize(
    ("language", "prefix"),
    [("json", ""), ("http", "POST http://x\nContent-Type: application/json\n\n")],
)
def test_a_view_updated_with_an_edited_text_shows_it_as_a_new_view_would(
    qtbot: QtBot, language: str, prefix: str
) -> None:
    """Updating a view changes only what differs: text and colours end up the same."""
    value: dict[str, list[object]] = {"items": [{"id": i, "name": f"item {i}"} for i in range(200)]}
    view = CodeView()
    qtbot.addWidget(view)
    view.show()
    edits = [
        lambda: value["items"].insert(7, {"new": [1, {"z": "q"}]}),
        lambda: value["items"].__setitem__(150, "a 🙂 and \n a line break"),
        lambda: value["items"].pop(3),
        lambda: value.__setitem__("tail", [True, None, 1.5]),
        lambda: value["items"].clear(),
    ]
    for edit in [lambda: None, *edits]:
        edit()
        text = prefix + json.dumps(value, indent=2, ensure_ascii=False)
        view.set_code(text, language)
        view.highlighter().finish()
        fresh = CodeView()
        qtbot.addWidget(fresh)
        fresh.set_code(text, language)
        fresh.highlighter().finish()
        assert view.toPlainText() == text
        assert _formats(view) == _formats(fresh)
        assert any(_formats(view))  # coloured at all


@pytest.mark.parametrize(
    "value",
    [
        {"items": [{"id": i, "name": f"item {i}"} for i in range(20_000)]},
        {"lines": ["x" * (i % 5000) for i in range(800)]},  # many long lines, shown cut
        {"page": "y" * 1_100_000, "after": [1, {"b": "c"}]},  # one 1 MB line
    ],
    ids=["many-items", "long-lines", "one-huge-line"],
)
def test_a_long_json_body_is_indented_as_far_as_shown_and_show_all_indents_the_rest(
    qtbot: QtBot, value: object
) -> None:
    body = json.dumps(value, separators=(",", ":"))
    whole = json.dumps(value, indent=2, ensure_ascii=False)
    head = pretty_json_head(body)
    assert head is not None
    assert whole.startswith(head.text)
    assert head.whole() == whole
    cut, full = CodeView(), CodeView()
    qtbot.addWidget(cut)
    qtbot.addWidget(full)
    cut.set_code(head.text, "json", whole=None if head.complete else head.whole)
    full.set_code(whole, "json")
    assert cut.toPlainText() == full.toPlainText()  # the same beginning, lines cut the same
    assert cut.is_truncated()
    assert cut.truncation_message().startswith(full.truncation_message().split(" of ")[0])
    assert cut.code() == whole
    cut.show_all()
    assert cut.toPlainText() == whole
