"""Benchmark of the template engine, side by side with Jinja2.

What it measures, for two templates:

* ``default``: the default "all variables" template, i.e. the body of the built-in demo
  integration ``resources/demo.integration.json`` (one step, a JSON body with every system
  variable, free text wrapped in ``@JsonEncode``, a custom field, an escalation-level variable
  and a mapping-function call);
* ``1MB``: the demo body plus about 1 MB of literal JSON text with a few hundred tokens (taken
  from the demo body) spread through it, built here; it is still valid JSON after rendering.

and for each of them:

* ``Studio parse``: ``uptrends_studio.core.language.parser.parse`` of the body;
* ``Studio render x3``: ``Renderer.render_alert`` for Error, Reminder and Ok with the default
  built-in sample (``find_sample(None, catalogue)``), templates already parsed (a primed
  ``Renderer``). Note that ``render_step`` includes the body checks (free-text scan and JSON
  validation of the rendered body);
* ``Studio parse+render x3``: the same with a new ``Renderer`` per call, so the body is parsed
  once per call: the Studio's equivalent of Jinja2's compile + render;
* ``Studio full check``: ``checks.check_integration(integration, sample, catalogue)`` (parse,
  render, diagnostics and JSON validation for all three types), with a fresh ``Integration``
  object per call (equal value, new objects, made before the sample and not timed) so no parse
  cache kept with an object can be reused;
* ``Jinja2 render x3``: an equivalent Jinja2 template, compiled once, rendered for the three
  alert types (for reference);
* ``Jinja2 compile+render x3``: ``Environment.from_string`` of the equivalent template and three
  renders, per call.

The equivalent Jinja2 template is made from the Studio's parse tree: ``{{@alert.type}}`` becomes
``{{ v["@alert.type"] }}``, ``{{@JsonEncode({{X}})}}`` becomes ``{{ v["X"] | tojson_inner }}``
(a registered filter with the same escaping), ``{{@CustomField(Name)}}`` becomes
``{{ cf["Name"] }}``, a predefined variable ``{{Team}}`` becomes ``{{ p["Team"] }}`` and a mapping
function call ``{{severity({{@alert.type}})}}`` becomes ``{{ udf["severity"](v["@alert.type"]) }}``.
Jinja2 gets the per-type values as ready-made dicts (building them is not timed); the Studio
resolves the sample inside ``render_alert``. Before timing, the script checks that both engines
produce identical text for every alert type, that it is JSON and that the Studio reports no
diagnostics; a failed check is printed as a warning.

Method: every measurement is warmed up and calibrated to a number of loops per sample, then the
script runs rounds in which every measurement of a template takes one sample, in rotating order,
so machine noise hits the Studio and Jinja2 alike. The garbage collector is off while a sample is
timed (as ``timeit`` does) and runs between rounds. Times are ``time.perf_counter_ns`` per call;
the table shows the median and the minimum over the rounds. Ratios are studio / jinja of the
medians (lower is better for the Studio). Targets (from the issue) are printed with PASS/MISS;
the exit status is always 0: this is a benchmark, not a test.

Run (from the project root)::

    .venv/bin/python benchmarks/bench_engine.py            # full run, under about a minute
    .venv/bin/python benchmarks/bench_engine.py --quick    # smoke run for CI, a few seconds
    .venv/bin/python benchmarks/bench_engine.py --profile  # also cProfile the full checks
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import jinja2

from uptrends_studio.core.checks.integration import check_integration
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    Integration,
    MappingFunction,
    VariableMode,
)
from uptrends_studio.core.document.samples import SampleSet, alert_data, find_sample
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.language.parser import Node, Text, Token, iter_tokens, parse
from uptrends_studio.core.rendering.messages import Renderer
from uptrends_studio.paths import resource_path

DEMO_PATH = resource_path("demo.integration.json")
BIG_SIZE = 1_000_000
"""Characters of the large template (the demo body is part of it)."""
BIG_TOKEN_EVERY = 7
"""Every this many filler entries carries a token."""
TARGET_NS = {"default": 2_000_000, "1MB": 100_000_000}
"""Full-check targets of the issue, per template."""


@dataclass(frozen=True, slots=True)
class Mode:
    """How long to measure."""

    name: str
    min_sample_ns: int
    """Loops per sample are chosen so one sample takes at least this long."""
    budget_ns: Mapping[str, int]
    """Time spent in measurement rounds, per template."""
    min_rounds: int
    max_rounds: int


FULL = Mode("full", 10_000_000, {"default": 10_000_000_000, "1MB": 25_000_000_000}, 5, 500)
QUICK = Mode("quick", 2_000_000, {"default": 600_000_000, "1MB": 1_500_000_000}, 3, 20)


# -- the templates ----------------------------------------------------------------------------

_WORDS = (
    *("lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed"),
    *("do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna"),
    *("aliqua", "booking", "service", "checkpoint", "latency", "upstream", "pool", "retry"),
    *("gateway", "timeout", "resolved", "escalation", "monitor", "dashboard", "region"),
)


def big_body(demo_body: str) -> str:
    """The demo body plus a ``padding`` array of literal JSON objects, to ``BIG_SIZE`` chars.

    Every ``BIG_TOKEN_EVERY``-th object has a ``value`` field holding one of the demo body's
    top-level tokens (in rotation), inside a JSON string as in the demo, so the rendered text
    stays valid JSON.
    """
    head = demo_body.rstrip()
    if not head.endswith("}"):
        raise ValueError("the demo body is not a JSON object")
    head = head[:-1].rstrip() + ',\n  "padding": [\n'
    tail = "\n  ]\n}"
    tokens = [
        demo_body[node.start : node.end]
        for node in parse(demo_body).nodes
        if isinstance(node, Token)
    ]
    rng = random.Random(20250304)
    entries: list[str] = []
    size = len(head) + len(tail)
    index = 0
    while size < BIG_SIZE:
        note = " ".join(rng.choice(_WORDS) for _ in range(60))
        entry = f'    {{"seq": {index}, "ok": {str(index % 3 == 0).lower()}, "note": "{note}"'
        if index % BIG_TOKEN_EVERY == 0:
            entry += f', "value": "{tokens[(index // BIG_TOKEN_EVERY) % len(tokens)]}"'
        entry += "}"
        entries.append(entry)
        size += len(entry) + 2
        index += 1
    return head + ",\n".join(entries) + tail


def with_body(integration: Integration, body: str) -> Integration:
    """``integration`` with the body of its (only) step replaced."""
    (step,) = integration.steps
    return replace(integration, steps=(replace(step, body=body),))


def fresh(integration: Integration) -> Integration:
    """An equal but new ``Integration`` value (new ``Integration`` and ``Step`` objects)."""
    return replace(integration, steps=tuple(replace(step) for step in integration.steps))


# -- the equivalent Jinja2 template -----------------------------------------------------------


def json_inner(value: object) -> str:
    """The ``tojson_inner`` filter: JSON string escaping without the quotes (as @JsonEncode)."""
    return json.dumps(str(value), ensure_ascii=False)[1:-1]


def _jinja_literal(text: str) -> str:
    if "{{" in text or "{%" in text or "{#" in text or text.endswith("{"):
        if "endraw" in text:
            raise ValueError("literal text cannot be put in a Jinja2 raw block")
        return "{% raw %}" + text + "{% endraw %}"
    return text


def _jinja_args(nodes: Sequence[Node]) -> str:
    parts = [json.dumps(n.text) if isinstance(n, Text) else _jinja_expr(n) for n in nodes]
    return " ~ ".join(parts) if parts else '""'


def _jinja_expr(token: Token) -> str:
    name = token.name
    if token.args is None:
        return f"{'v' if name.startswith('@') else 'p'}[{json.dumps(name)}]"
    if name == "@JsonEncode":
        return f"({_jinja_args(token.args)}) | tojson_inner"
    if name == "@CustomField" and all(isinstance(n, Text) for n in token.args):
        return f"cf[{json.dumps(''.join(n.text for n in token.args if isinstance(n, Text)))}]"
    if not name.startswith("@"):
        return f"udf[{json.dumps(name)}]({_jinja_args(token.args)})"
    raise ValueError(f"no Jinja2 equivalent for {name}")


def jinja_source(template_text: str) -> str:
    """The Jinja2 equivalent of an Uptrends template (the tokens this script uses)."""
    parts: list[str] = []
    for node in parse(template_text).nodes:
        if isinstance(node, Text):
            parts.append(_jinja_literal(node.text))
        else:
            parts.append("{{ " + _jinja_expr(node) + " }}")
    return "".join(parts)


def _mapping(function: MappingFunction) -> Callable[[str], str]:
    table: dict[str, str] = {}
    for entry in function.mapping:
        table.setdefault(entry.source, entry.target)
    return lambda text: table.get(text, text)


def jinja_contexts(
    integration: Integration, sample: SampleSet, catalogue: Catalogue
) -> list[dict[str, object]]:
    """The render context of each alert type: the values the Studio would use."""
    predefined: dict[str, str] = {}
    for variable in integration.variables:
        if variable.mode is VariableMode.ESCALATION_LEVEL:
            predefined[variable.name] = sample.escalation_level.get(variable.name, "")
        elif variable.vault is None:
            predefined[variable.name] = variable.value
    udf = {f.name: _mapping(f) for f in integration.functions if isinstance(f, MappingFunction)}
    return [
        {
            "v": dict(alert_data(sample, alert_type, catalogue).values),
            "p": predefined,
            "cf": dict(sample.custom_fields),
            "udf": udf,
        }
        for alert_type in ALERT_TYPES
    ]


def jinja_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined
    )
    env.filters["tojson_inner"] = json_inner
    return env


# -- measuring --------------------------------------------------------------------------------


@dataclass(slots=True)
class Bench:
    """One measurement: ``func`` is called ``loops`` times per sample.

    ``setup``, if given, is called with ``loops`` before each sample, outside the timing.
    """

    label: str
    func: Callable[[], object]
    setup: Callable[[int], None] | None = None
    loops: int = 1
    estimate_ns: float = 0.0
    times: list[float] = field(default_factory=list)
    """Nanoseconds per call, one value per round."""

    def run(self, loops: int) -> float:
        """Nanoseconds per call over ``loops`` calls, garbage collector off."""
        if self.setup is not None:
            self.setup(loops)
        func = self.func
        enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.perf_counter_ns()
            for _ in range(loops):
                func()
            elapsed = time.perf_counter_ns() - start
        finally:
            if enabled:
                gc.enable()
        return elapsed / loops

    def calibrate(self, min_sample_ns: int) -> None:
        self.run(1)  # warm-up
        self.estimate_ns = min(self.run(1) for _ in range(2))
        self.loops = max(1, int(min_sample_ns // max(self.estimate_ns, 1.0)))

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)


def measure(benches: list[Bench], mode: Mode, template: str) -> int:
    """Calibrate, then run interleaved rounds; returns the number of rounds."""
    for bench in benches:
        bench.calibrate(mode.min_sample_ns)
    per_round = sum(b.loops * b.estimate_ns for b in benches)
    rounds = int(mode.budget_ns[template] // max(per_round, 1.0))
    rounds = min(max(rounds, mode.min_rounds), mode.max_rounds)
    for number in range(rounds):
        shift = number % len(benches)
        for bench in benches[shift:] + benches[:shift]:
            bench.times.append(bench.run(bench.loops))
        gc.collect()
    return rounds


def fmt(ns: float) -> str:
    if ns < 1_000:
        return f"{ns:.0f} ns"
    if ns < 1_000_000:
        return f"{ns / 1_000:.1f} us"
    if ns < 1_000_000_000:
        return f"{ns / 1_000_000:.2f} ms"
    return f"{ns / 1_000_000_000:.2f} s"


# -- the run ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Case:
    """One template under test, its integration and the derived Jinja2 template."""

    name: str
    description: str
    integration: Integration
    jinja: str
    benches: dict[str, Bench] = field(default_factory=dict)
    rounds: int = 0


def verify(
    case: Case, sample: SampleSet, catalogue: Catalogue, env: jinja2.Environment
) -> list[str]:
    """Problems with the comparison: Studio diagnostics, differing output, invalid JSON.

    They are printed as warnings (the figures are then less meaningful), not raised: the run
    still ends with exit status 0.
    """
    problems = [d.format(case.name) for d in check_integration(case.integration, sample, catalogue)]
    renderer = Renderer(case.integration, catalogue)
    compiled = env.from_string(case.jinja)
    contexts = jinja_contexts(case.integration, sample, catalogue)
    for alert_type, context in zip(ALERT_TYPES, contexts, strict=True):
        (request,) = renderer.render_alert(alert_type, sample)
        if request.body != compiled.render(context):
            problems.append(f"{case.name}: Studio and Jinja2 output differ ({alert_type.value})")
        try:
            json.loads(request.body)
        except ValueError as exc:
            problems.append(f"{case.name}: rendered body is not JSON ({alert_type.value}): {exc}")
    return problems


def build_benches(
    case: Case, sample: SampleSet, catalogue: Catalogue, env: jinja2.Environment
) -> list[Bench]:
    integration = case.integration
    body = integration.steps[0].body
    primed = Renderer(integration, catalogue)
    primed.render_alert(ALERT_TYPES[0], sample)
    contexts = jinja_contexts(integration, sample, catalogue)
    compiled = env.from_string(case.jinja)

    def studio_render() -> None:
        for alert_type in ALERT_TYPES:
            primed.render_alert(alert_type, sample)

    def studio_parse_render() -> None:
        renderer = Renderer(integration, catalogue)
        for alert_type in ALERT_TYPES:
            renderer.render_alert(alert_type, sample)

    pool: list[Integration] = []

    def fill_pool(loops: int) -> None:
        pool[:] = [fresh(integration) for _ in range(loops)]

    def studio_check() -> None:
        check_integration(pool.pop(), sample, catalogue)

    def jinja_render() -> None:
        for context in contexts:
            compiled.render(context)

    def jinja_compile_render() -> None:
        template = env.from_string(case.jinja)
        for context in contexts:
            template.render(context)

    benches = [
        Bench("Studio parse", lambda: parse(body)),
        Bench("Studio render x3 (parsed)", studio_render),
        Bench("Studio parse+render x3", studio_parse_render),
        Bench("Studio full check", studio_check, fill_pool),
        Bench("Jinja2 render x3 (compiled)", jinja_render),
        Bench("Jinja2 compile+render x3", jinja_compile_render),
    ]
    case.benches = {b.label: b for b in benches}
    return benches


def print_case(case: Case) -> None:
    print(f"\n[{case.name}] {case.description}; {case.rounds} rounds")
    print(f"  {'measurement':<30} {'median':>11} {'min':>11} {'loops/sample':>13}")
    for bench in case.benches.values():
        print(
            f"  {bench.label:<30} {fmt(bench.median):>11} {fmt(bench.best):>11} {bench.loops:>13}"
        )


def print_summary(cases: list[Case]) -> None:
    print("\nStudio vs Jinja2 (medians; ratio = studio / jinja, lower is better for the Studio)")
    header = (
        f"  {'template':<9} {'parse+render':>13} {'full check':>11} {'jinja c+r':>11} "
        f"{'ratio p+r':>10} {'ratio check':>12}"
    )
    print(header)
    for case in cases:
        b = case.benches
        jinja = b["Jinja2 compile+render x3"].median
        parse_render = b["Studio parse+render x3"].median
        check = b["Studio full check"].median
        print(
            f"  {case.name:<9} {fmt(parse_render):>13} {fmt(check):>11} {fmt(jinja):>11} "
            f"{parse_render / jinja:>10.2f} {check / jinja:>12.2f}"
        )
    print("\nTargets (median full check)")
    for case in cases:
        check = case.benches["Studio full check"].median
        limit = TARGET_NS[case.name]
        verdict = "PASS" if check < limit else "MISS"
        print(f"  {case.name:<9} full check < {fmt(limit):<10} {fmt(check):>11}   {verdict}")
    for case in cases:
        check = case.benches["Studio full check"].median
        jinja = case.benches["Jinja2 compile+render x3"].median
        verdict = "PASS" if check < jinja else "MISS"
        print(
            f"  {case.name:<9} full check < Jinja2 compile+render x3 ({fmt(jinja)})"
            f" {fmt(check):>11}   {verdict}"
        )


def profile(cases: list[Case], sample: SampleSet, catalogue: Catalogue, quick: bool) -> None:
    for case in cases:
        calls = 5 if case.name == "1MB" else 200
        calls = max(1, calls // 10) if quick else calls
        integrations = [fresh(case.integration) for _ in range(calls)]
        profiler = cProfile.Profile()
        profiler.enable()
        for integration in integrations:
            check_integration(integration, sample, catalogue)
        profiler.disable()
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.strip_dirs().sort_stats(key).print_stats(12)
            lines = out.getvalue().splitlines()
            start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
            print(f"\ncProfile of {calls} full checks, [{case.name}], sorted by {key}:")
            print("\n".join(line for line in lines[start:] if line.strip()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few repetitions (CI smoke run)")
    parser.add_argument("--profile", action="store_true", help="cProfile the full checks too")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    started = time.perf_counter()

    print(f"Uptrends Studio engine benchmark ({mode.name} mode)")
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), {sys.executable}"
    )
    print(
        f"Machine: {platform.platform()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, processor {platform.processor() or 'unknown'}"
    )
    print(f"Jinja2 {jinja2.__version__}")

    catalogue = load_catalogue()
    sample = find_sample(None, catalogue)
    demo = integration_file.load(DEMO_PATH)
    demo_body = demo.steps[0].body
    env = jinja_environment()
    cases: list[Case] = []
    problems: list[str] = []
    for name, body, what in (
        ("default", demo_body, 'the "all variables" demo body'),
        ("1MB", big_body(demo_body), "demo body + ~1 MB of literal JSON"),
    ):
        nodes = parse(body).nodes
        top = sum(1 for node in nodes if isinstance(node, Token))
        case = Case(
            name,
            f"{what}: {len(body):,} chars, {top} tokens ({len(iter_tokens(nodes))} with "
            f"nested ones), sample {sample.name!r}",
            with_body(demo, body),
            jinja_source(body),
        )
        problems += verify(case, sample, catalogue, env)
        cases.append(case)
    for problem in problems:
        print(f"WARNING: {problem}")
    if not problems:
        print("Checked: Studio and Jinja2 render identical text; the Studio reports no problems.")

    for case in cases:
        case.rounds = measure(build_benches(case, sample, catalogue, env), mode, case.name)
        print_case(case)
    print_summary(cases)
    if args.profile:
        profile(cases, sample, catalogue, args.quick)
    print(f"\nTotal run time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
