"""The live preview recomputes off the UI thread after edits and only reports the newest."""

from __future__ import annotations

import gc
import json
import time
from dataclasses import replace

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.core.rendering.preview import Preview
from uptrends_studio.gui.code_view import PrettyJson
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.preview_controller import PreviewController
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.paths import resource_path


def make() -> tuple[IntegrationDocument, SampleState, PreviewController]:
    catalogue = load_catalogue()
    document = IntegrationDocument(integration_file.load(resource_path("demo.integration.json")))
    samples = SampleState(find_sample(None, catalogue), "https")
    return document, samples, PreviewController(document, samples, catalogue, debounce_ms=0)


def test_edit_produces_a_new_preview_with_the_edit(qtbot: QtBot) -> None:
    document, _samples, controller = make()
    step = document.integration.steps[0]
    with qtbot.waitSignal(controller.updated, timeout=5000) as blocker:
        document.apply(
            replace(document.integration, steps=(replace(step, url="{{ApiUrl}}/v2"),)), "Edit"
        )
    preview = blocker.args[0]
    assert isinstance(preview, Preview)
    assert preview.requests[AlertType.OK][0].url == "http://127.0.0.1:8787/alerts/v2"
    assert json.loads(preview.requests[AlertType.OK][0].body)["alert"]["type"] == "Ok"


def test_only_the_newest_of_a_burst_of_edits_is_delivered(qtbot: QtBot) -> None:
    document, _samples, controller = make()
    step = document.integration.steps[0]
    received: list[Preview] = []
    controller.updated.connect(received.append)
    for number in range(5):
        document.apply(
            replace(document.integration, steps=(replace(step, url=f"{{{{ApiUrl}}}}/{number}"),)),
            "Edit",
        )
        controller.refresh_now()
    qtbot.waitUntil(lambda: bool(received) and not controller._runner.is_busy(), timeout=5000)
    assert received[-1].requests[AlertType.ERROR][0].url.endswith("/4")
    assert all(p.requests[AlertType.ERROR][0].url.endswith("/4") for p in received)


def test_unusable_sample_shows_an_error_not_a_crash(qtbot: QtBot) -> None:
    _document, samples, controller = make()
    broken = replace(samples.sample, values={"@alert.timestampUtc": "yesterday"})
    with qtbot.waitSignal(controller.updated, timeout=5000) as blocker:
        samples.set_sample(broken, edited=True)
    preview = blocker.args[0]
    assert "'yesterday' is not an ISO 8601 time" in preview.error
    assert preview.requests == {}


def test_a_newer_edit_cancels_a_slow_render_and_its_result_comes_quickly(qtbot: QtBot) -> None:
    from uptrends_studio.core.document.model import RegexFunction

    document, _samples, controller = make()
    step = document.integration.steps[0]
    # 300 distinct searches of 20-80 ms each: 10 s and more of work, far below the budget.
    slow = "".join(f"{{{{evil({'a' * 22}!{i})}}}}" for i in range(300))
    evil = RegexFunction("evil", "(a|aa)+$")
    received: list[Preview] = []
    controller.updated.connect(received.append)
    document.apply(
        replace(
            document.integration,
            functions=(evil,),
            steps=(replace(step, url="{{ApiUrl}}/slow", body=slow),),
        ),
        "Slow edit",
    )
    controller.refresh_now()
    qtbot.wait(300)  # the slow render is under way
    started = time.monotonic()
    document.apply(
        replace(document.integration, functions=(), steps=(replace(step, url="{{ApiUrl}}/fast"),)),
        "Fast edit",
    )
    qtbot.waitUntil(lambda: bool(received), timeout=8000)
    assert time.monotonic() - started < 8  # not after the slow render's 10 s and more
    assert [p.requests[AlertType.ERROR][0].url for p in received] == [
        "http://127.0.0.1:8787/alerts/fast"
    ]
    qtbot.waitUntil(lambda: not controller._runner.is_busy(), timeout=8000)  # it stopped too


def test_preview_keeps_up_while_the_user_types_without_a_pause(qtbot: QtBot) -> None:
    """The debounce restarts with every key; the maximum wait still shows the newer text."""
    catalogue = load_catalogue()
    document = IntegrationDocument(integration_file.load(resource_path("demo.integration.json")))
    samples = SampleState(find_sample(None, catalogue), "https")
    # A debounce that never ends during the test: only the maximum wait can start a render.
    controller = PreviewController(
        document, samples, catalogue, debounce_ms=600_000, max_wait_ms=40
    )
    typed: list[int] = []
    received: list[str] = []
    controller.updated.connect(
        lambda preview: received.append(preview.requests[AlertType.ERROR][0].url)
    )
    typing = _typist(document, typed)
    typing.setInterval(5)
    typing.start()
    qtbot.waitUntil(lambda: len(received) >= 3, timeout=10_000)
    typing.stop()
    # Three previews arrived while keys kept coming, each showing a later keystroke.
    numbers = [int(url.rsplit("/", 1)[1]) for url in received[:3]]
    assert numbers == sorted(numbers)
    assert numbers[0] < numbers[2] <= len(typed)


def _typist(document: IntegrationDocument, typed: list[int]) -> QTimer:
    """A timer that types one more character into the first step's URL at every tick."""
    step = document.integration.steps[0]

    def type_a_key() -> None:
        typed.append(len(typed))
        document.apply(
            replace(
                document.integration, steps=(replace(step, url=f"{{{{ApiUrl}}}}/{len(typed)}"),)
            ),
            "Edit",
            merge_key="url",
        )

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(type_a_key)
    return timer


def test_while_typing_previews_come_max_wait_apart_not_max_wait_after_the_first_key(
    qtbot: QtBot,
) -> None:
    """The maximum wait paces previews from the last one delivered, minus the computing time.

    The user pauses after a preview, then types without stopping (a key every 50 ms, so the
    debounce never ends). The next preview comes about ``max_wait_ms`` after the previous one:
    the pause counts towards the wait. Counted from the first key, as before, it came
    ``max_wait_ms`` after the pause, plus the computing time.
    """
    catalogue = load_catalogue()
    document = IntegrationDocument(integration_file.load(resource_path("demo.integration.json")))
    samples = SampleState(find_sample(None, catalogue), "https")
    max_wait, pause = 1000, 0.8
    controller = PreviewController(
        document, samples, catalogue, debounce_ms=150, max_wait_ms=max_wait
    )
    delivered: list[tuple[float, str]] = []
    controller.updated.connect(
        lambda preview: delivered.append(
            (time.monotonic(), preview.requests[AlertType.ERROR][0].url)
        )
    )
    controller.refresh_now()
    qtbot.waitUntil(lambda: len(delivered) == 1, timeout=5000)
    qtbot.wait(round(pause * 1000))
    typed: list[int] = []
    typing = _typist(document, typed)
    typing.start()
    qtbot.waitUntil(lambda: len(delivered) == 2, timeout=10_000)
    typing.stop()
    (first, _url), (second, url) = delivered
    assert 1 <= int(url.rsplit("/", 1)[1]) <= len(typed)  # shows a key typed meanwhile
    # About max_wait apart (it would be pause + max_wait = 1.8 s and more, counted as before).
    assert second - first < max_wait / 1000 + pause / 2


def test_a_lone_edit_after_a_pause_still_waits_for_the_debounce(qtbot: QtBot) -> None:
    """The maximum wait never starts a computation sooner than the debounce would."""
    catalogue = load_catalogue()
    document = IntegrationDocument(integration_file.load(resource_path("demo.integration.json")))
    samples = SampleState(find_sample(None, catalogue), "https")
    debounce = 500
    controller = PreviewController(
        document, samples, catalogue, debounce_ms=debounce, max_wait_ms=700
    )
    delivered: list[float] = []
    controller.updated.connect(lambda _preview: delivered.append(time.monotonic()))
    controller.refresh_now()
    qtbot.waitUntil(lambda: len(delivered) == 1, timeout=5000)
    qtbot.wait(400)  # the paced deadline (700 ms after the preview) would be in 300 ms
    step = document.integration.steps[0]
    edited = time.monotonic()
    document.apply(
        replace(document.integration, steps=(replace(step, url="{{ApiUrl}}/lone"),)), "Edit"
    )
    assert not controller.is_idle()  # the edit waits for its preview
    qtbot.waitUntil(lambda: len(delivered) == 2, timeout=5000)
    assert delivered[1] - edited >= 0.9 * debounce / 1000  # Qt's coarse timer: up to 5% early
    assert controller.is_idle()


def test_typing_in_a_large_body_keeps_only_the_newest_indented_bodies(qtbot: QtBot) -> None:
    """The indented bodies of older previews are let go (megabytes each with 1 MB bodies)."""
    document, _samples, controller = make()
    step = document.integration.steps[0]
    padding = ",".join(f'{{"n": {i}, "note": "some words here"}}' for i in range(8000))
    received: list[Preview] = []
    controller.updated.connect(received.append)
    for number in range(6):
        body = f'{{"type": "{{{{@alert.type}}}}", "edit": {number}, "padding": [{padding}]}}'
        with qtbot.waitSignal(controller.updated, timeout=10_000):
            document.apply(replace(document.integration, steps=(replace(step, body=body),)), "Edit")
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, PrettyJson) and len(o.source) > 300_000]
    newest = {r.body for requests in (received[-1].masked or {}).values() for r in requests}
    assert alive  # the newest preview's bodies are ready for the views
    assert {o.source for o in alive} <= newest
