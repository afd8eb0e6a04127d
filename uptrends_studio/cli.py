"""The ``uptrends-studio`` command: headless subcommands, or the Studio window.

This module imports the core only; the GUI is imported lazily when no subcommand is given, so
``render`` and ``check`` run without Qt installed or a display.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from uptrends_studio import __version__
from uptrends_studio.core import integration_file
from uptrends_studio.core.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.checks import check_integration, exit_status
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.messages import RenderedRequest, Renderer
from uptrends_studio.core.model import AlertType
from uptrends_studio.core.samples import SampleSet, find_sample
from uptrends_studio.core.secrets import masked_request, secret_values
from uptrends_studio.paths import resource_path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2

DEMO = "demo"


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uptrends-studio",
        description="Design, preview and check Uptrends custom integrations. With no "
        "subcommand, opens the Studio window (on FILE, or on the built-in demo).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    render = sub.add_parser(
        "render",
        help="print the exact requests Uptrends would send for an alert type",
        description="Print the exact requests Uptrends would send for an alert type.",
    )
    render.add_argument("file", help=f"an *.integration.json file, or '{DEMO}'")
    render.add_argument(
        "--type",
        "-t",
        dest="alert_type",
        default="error",
        help="error, reminder or ok (default: error); 'all' renders the three in turn",
    )
    render.add_argument(
        "--sample",
        "-s",
        help="built-in sample name (https, edge-cases, ...) or "
        "a *.sample.json path (default: https)",
    )
    render.add_argument("--format", "-f", choices=("text", "json"), default="text")
    render.add_argument(
        "--reveal",
        action="store_true",
        help="print secret values (secret variables, vault fields, passwords) instead of ******",
    )

    check = sub.add_parser(
        "check",
        help="report problems for all three alert types",
        description="Report problems in an integration for all three alert types, as "
        "FILE:FIELD:LINE:COL: severity: message [code]. Exit 1 on an error (or a warning with "
        "--strict), 0 otherwise, 2 for an unreadable file.",
    )
    check.add_argument("file", help=f"an *.integration.json file, or '{DEMO}'")
    check.add_argument("--sample", "-s", help="sample set name or path (default: https)")
    check.add_argument("--strict", action="store_true", help="warnings also fail")

    samples = sub.add_parser("samples", help="list the built-in sample sets")
    samples.set_defaults(command="samples")

    receive = sub.add_parser(
        "receive",
        help="run a local webhook receiver on 127.0.0.1 and print each request it gets",
        description="Listen on 127.0.0.1 (loopback only) and print every request that "
        "arrives, until Ctrl+C. Point an integration's URL at it to see what is sent.",
    )
    receive.add_argument("--port", "-p", default="8787", help="TCP port (default: 8787)")
    receive.add_argument("--status", default="200", help="status code to answer (default: 200)")
    receive.add_argument(
        "--body", default='{"received": true}', help="response body (default: %(default)s)"
    )
    receive.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="response header, repeatable; replaces the default Content-Type: application/json "
        "when it names Content-Type",
    )
    receive.add_argument(
        "--delay", default="0", help="seconds to wait before answering (default: 0)"
    )
    return parser


def _integration_path(name: str) -> Path:
    return resource_path("demo.integration.json") if name == DEMO else Path(name)


def _print_request(request: RenderedRequest, out: TextIO) -> None:
    role = " (helper step)" if request.helper else ""
    out.write(
        f"### {request.alert_type.value}: step {request.step_index + 1} "
        f"'{request.step_name}'{role}\n"
    )
    out.write(f"{request.method} {request.url}\n")
    for name, value in request.headers:
        out.write(f"{name}: {value}\n")
    if request.auth_type.value != "None":
        out.write(
            f"# authentication: {request.auth_type.value}, user {request.username}, "
            f"password {request.password}\n"
        )
    out.write("\n")
    if request.body:
        out.write(request.body)
        if not request.body.endswith("\n"):
            out.write("\n")
    out.write("\n")


def _render(args: argparse.Namespace, catalogue: Catalogue, sample: SampleSet) -> int:
    integration = integration_file.load(_integration_path(args.file))
    if args.alert_type.strip().lower() == "all":
        types = list(AlertType)
    else:
        try:
            types = [AlertType.parse(args.alert_type)]
        except ValueError as exc:
            sys.stderr.write(f"uptrends-studio render: {exc}\n")
            return EXIT_BAD_INPUT
    renderer = Renderer(integration, catalogue)
    requests = [r for t in types for r in renderer.render_alert(t, sample)]
    if not args.reveal:
        secrets = secret_values(integration, sample)
        requests = [masked_request(r, secrets) for r in requests]
    out = sys.stdout
    if args.format == "json":
        out.write(json.dumps([r.to_json() for r in requests], indent=2, ensure_ascii=False))
        out.write("\n")
        return EXIT_OK
    for alert_type in types:
        selected = [r for r in requests if r.alert_type is alert_type]
        if not selected:
            out.write(
                f"### {alert_type.value}: no step has {alert_type.value} ticked; "
                "nothing is sent\n\n"
            )
        for request in selected:
            _print_request(request, out)
    return EXIT_OK


def _check(args: argparse.Namespace, catalogue: Catalogue, sample: SampleSet) -> int:
    path = _integration_path(args.file)
    integration = integration_file.load(path)
    diagnostics = check_integration(integration, sample, catalogue)
    shown = str(path) if args.file != DEMO else DEMO
    for diagnostic in diagnostics:
        sys.stdout.write(diagnostic.format(shown) + "\n")
    counts = {
        s: sum(1 for d in diagnostics if d.severity.value == s)
        for s in ("error", "warning", "note")
    }
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    sys.stderr.write(f"{shown}: {summary} (sample: {sample.name})\n")
    return exit_status(diagnostics, strict=args.strict)


def _samples(catalogue: Catalogue) -> int:
    from uptrends_studio.core.samples import SUFFIX, builtin_sample_paths, load_sample

    for path in builtin_sample_paths():
        sample = load_sample(path, catalogue)
        sys.stdout.write(
            f"{path.name.removesuffix(SUFFIX):16} {sample.name}: {sample.description}\n"
        )
    return EXIT_OK


def _receive(args: argparse.Namespace) -> int:
    """Run the loopback receiver, printing each request, until SIGINT or SIGTERM."""
    import queue
    import signal
    import threading
    from types import FrameType

    from uptrends_studio.core.errors import UsageError
    from uptrends_studio.core.receiver import (
        DEFAULT_RESPONSE,
        CapturedRequest,
        Receiver,
        ReceiverResponse,
        format_capture,
    )

    def number(option: str, text: str, kind: type[int] | type[float]) -> float:
        try:
            return kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise UsageError(f"{option} {text!r} is not {what}") from None

    extra: list[tuple[str, str]] = []
    for text in args.header:
        name, colon, value = text.partition(":")
        if not colon or not name.strip():
            raise UsageError(f"--header {text!r} is not of the form 'Name: value'")
        extra.append((name.strip(), value.strip()))
    replaced = {name.lower() for name, _ in extra}
    response = ReceiverResponse(
        status=int(number("--status", args.status, int)),
        headers=tuple(h for h in DEFAULT_RESPONSE.headers if h[0].lower() not in replaced)
        + tuple(extra),
        body=args.body,
        delay=number("--delay", args.delay, float),
    )
    arrived: queue.Queue[CapturedRequest] = queue.Queue()
    receiver = Receiver(
        port=int(number("--port", args.port, int)), response=response, on_capture=arrived.put
    )
    out = sys.stdout
    shown = 0

    def show(capture: CapturedRequest) -> None:
        nonlocal shown
        shown += 1
        out.write(format_capture(capture) + "\n\n")
        out.flush()

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    main_thread = threading.current_thread() is threading.main_thread()
    receiver.start()
    previous = signal.signal(signal.SIGTERM, on_sigterm) if main_thread else None
    try:
        out.write(f"Listening on {receiver.url} (loopback only). Press Ctrl+C to stop.\n")
        out.flush()
        while True:
            try:
                show(arrived.get(timeout=0.2))
            except queue.Empty:
                continue
    except KeyboardInterrupt:
        pass
    finally:
        if main_thread:  # a second Ctrl+C while stopping must not give a traceback
            previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        receiver.stop()
        if main_thread:
            signal.signal(signal.SIGINT, previous_int or signal.SIG_DFL)
            signal.signal(signal.SIGTERM, previous or signal.SIG_DFL)
    while not arrived.empty():
        show(arrived.get_nowait())
    out.write(f"{shown} request{'s' if shown != 1 else ''} received\n")
    out.flush()
    return EXIT_OK


def _open_gui(argv: Sequence[str]) -> int:
    try:
        # The one place the CLI reaches the GUI, lazily, so headless commands never load Qt.
        gui_app = importlib.import_module("uptrends_studio.gui.app")
    except ImportError as exc:
        sys.stderr.write(
            f"uptrends-studio: the Studio window is not available ({exc}); "
            "use 'uptrends-studio render demo' or 'uptrends-studio check FILE'\n"
        )
        return EXIT_BAD_INPUT
    result: int = gui_app.run(list(argv))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    commands = {"render", "check", "samples", "receive", "-h", "--help", "--version"}
    if not args_list or args_list[0] not in commands:
        return _open_gui(args_list)
    parser = _build_parser()
    args = parser.parse_args(args_list)
    try:
        if args.command == "receive":
            return _receive(args)
        catalogue = load_catalogue()
        if args.command == "samples":
            return _samples(catalogue)
        sample = find_sample(args.sample, catalogue)
        if args.command == "render":
            return _render(args, catalogue, sample)
        return _check(args, catalogue, sample)
    except StudioError as exc:
        sys.stderr.write(f"uptrends-studio {args.command}: {exc}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK


def console_main() -> None:
    """Console-script entry point."""
    sys.exit(main())
