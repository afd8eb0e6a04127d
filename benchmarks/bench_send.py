"""Benchmark of a test send, side by side with a bare ``requests`` call to the same receiver.

What it measures, against the built-in loopback receiver (``core/delivery/receiver.py``)
answering 200:

* ``Studio send``: ``core.sending.send`` of the demo's rendered Error request (2.8 KB JSON body)
  on a shared ``requests.Session``: building the request, sending, reading the capped body and
  making the immutable :class:`Exchange` with the wire request;
* ``Studio run_alert``: ``core.runs.run_alert`` for the demo's Error message: rendering the step
  with the sample, then the send above (what the Test tab's worker does);
* ``requests.post``: the same URL, headers and body sent with ``session.post`` and the body read,
  for reference (the floor any Python client on ``requests`` pays).

Rounds rotate the three measurements so machine noise hits them alike; the table shows the
median and minimum per call and the ratio of medians to ``requests.post``. The exit status is
always 0: this is a benchmark, not a test.

Run (from the project root)::

    .venv/bin/python benchmarks/bench_send.py          # about 10 s
    .venv/bin/python benchmarks/bench_send.py --quick  # smoke run for CI
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from uptrends_studio.core.delivery.receiver import Receiver
from uptrends_studio.core.delivery.runs import run_alert
from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions, new_session, send
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.core.rendering.messages import Renderer
from uptrends_studio.paths import resource_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="few rounds (CI smoke run)")
    args = parser.parse_args()
    rounds, loops = (5, 5) if args.quick else (30, 20)

    catalogue = load_catalogue()
    sample = find_sample(None, catalogue)
    with Receiver(keep=10) as receiver:
        demo = integration_file.load(resource_path("demo.integration.json"))
        variables = tuple(
            replace(v, value=f"{receiver.url}alerts") if v.name == "ApiUrl" else v
            for v in demo.variables
        )
        integration = replace(demo, variables=variables)
        [request] = Renderer(integration, catalogue).render_alert(AlertType.ERROR, sample)
        options = SendOptions(timeout=10, proxy_mode=ProxyMode.NONE)
        session = new_session()
        session.trust_env = False
        body = request.body.encode("utf-8")

        def studio_send() -> None:
            exchange = send(request, options, session=session)
            assert exchange.success

        def studio_run() -> None:
            run = run_alert(
                integration, sample, AlertType.ERROR, catalogue, options, session=session
            )
            assert run.success

        def bare() -> None:
            response = session.post(request.url, headers=dict(request.headers), data=body)
            assert response.status_code == 200
            _ = response.content

        measurements: dict[str, Callable[[], None]] = {
            "Studio send": studio_send,
            "Studio run_alert": studio_run,
            "requests.post": bare,
        }
        for function in measurements.values():
            for _ in range(loops):
                function()
        samples: dict[str, list[float]] = {name: [] for name in measurements}
        names = list(measurements)
        for round_index in range(rounds):
            order = names[round_index % len(names) :] + names[: round_index % len(names)]
            for name in order:
                started = time.perf_counter_ns()
                for _ in range(loops):
                    measurements[name]()
                samples[name].append((time.perf_counter_ns() - started) / loops / 1e6)
        session.close()

    reference = statistics.median(samples["requests.post"])
    print(f"Test send to the local receiver, {rounds} rounds x {loops} calls (ms per call)")
    print(f"{'measurement':<20}{'median':>10}{'min':>10}{'ratio':>8}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<20}{median:>10.3f}{min(values):>10.3f}{median / reference:>8.2f}")


if __name__ == "__main__":
    main()
