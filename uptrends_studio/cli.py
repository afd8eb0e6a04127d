"""The headless subcommands of ``uptrends-studio``: render, check, send, export, receive, samples.

This module imports the core only, never Qt or the GUI: ``render`` and ``check`` run without a
display. ``uptrends_studio.launcher`` decides whether a command line is for this parser or
for the Studio window.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from uptrends_studio import __version__
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import AlertType, Integration
from uptrends_studio.core.document.sample_files import find_sample_with_secrets
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.language.budget import DEFAULT_RENDER_SECONDS
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.rendering.messages import RenderedRequest, Renderer
from uptrends_studio.core.secret_store import (
    FALLBACK_MESSAGE,
    LazyStore,
    NoteLevel,
    SecretNote,
)
from uptrends_studio.core.secrets import Masker, masked_request, masker_for, secret_values
from uptrends_studio.paths import resource_path

if TYPE_CHECKING:  # imported lazily at run time: render and check need no HTTP stack
    from uptrends_studio.core.delivery.history import ExchangeRecord, RunRecord
    from uptrends_studio.core.delivery.sending import SendOptions

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

DEMO = "demo"
SNIPPET_FORMATS = ("curl", "httpie", "powershell", "python")
EXPORT_FORMATS = (*SNIPPET_FORMATS, "uptrends-checklist", "html", "markdown")
PRINT_CAP = 64 * 1024
"""Characters of a request or response body ``send`` prints; the rest is summarised."""


_Subparsers = argparse._SubParsersAction
"""What ``add_subparsers`` returns (argparse names no public type for it)."""


def _build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser; with ``command``, the parser of that one subcommand.

    A command line that starts with ``command`` parses exactly as with the full parser (the
    top-level options come before a command, so there are none), but building one subcommand
    instead of all of them saves a good part of the CLI's start: argparse looks up its
    translations and terminal width for every parser and option.
    """
    parser = argparse.ArgumentParser(
        prog="uptrends-studio",
        description="Design, preview and check Uptrends custom integrations. With no "
        "subcommand, opens the Studio window (on FILE, or on the built-in demo).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in _SUBCOMMANDS.items():
        if command is None or name == command:
            add(sub)
    return parser


def _add_render_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
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
    _add_budget_option(render)
    render.add_argument(
        "--reveal",
        action="store_true",
        help="print secret values (secret variables, vault fields, passwords) instead of ******",
    )


def _add_check_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
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
    _add_budget_option(check)
    check.add_argument(
        "--reveal", action="store_true", help="show secret values in messages instead of ******"
    )


def _add_samples_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    samples = sub.add_parser("samples", help="list the built-in sample sets")
    samples.set_defaults(command="samples")


def _add_receive_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
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
    receive.add_argument(
        "--integration",
        metavar="FILE",
        help="mask the secret values of this integration (every form: JSON-escaped, "
        "URL-encoded, Base64, ...) in what is printed",
    )
    receive.add_argument("--sample", "-s", help="sample set for --integration (default: https)")
    receive.add_argument("--reveal", action="store_true", help="print secret values unmasked")


def _add_send_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    send = sub.add_parser(
        "send",
        help="send an alert type's steps for real and print each exchange",
        description="Send the steps that run for an alert type (or the Error, Reminder, Ok "
        "lifecycle) for real and print each exchange as it completes. Secrets are masked unless "
        "--reveal. Exit 0 when every step succeeded, 1 when one failed, 2 for unusable input. "
        "The run is stored in the test history unless --no-history or --dry-run.",
    )
    send.add_argument("file", help=f"an *.integration.json file, or '{DEMO}'")
    send.add_argument(
        "--type",
        "-t",
        dest="alert_type",
        default="error",
        help="error, reminder, ok, or lifecycle (Error, the reminders, then Ok; default: error)",
    )
    send.add_argument("--sample", "-s", help="sample set name or path (default: https)")
    send.add_argument("--reminders", default="1", help="reminders sent in a lifecycle (default: 1)")
    send.add_argument(
        "--timeout",
        default="30",
        help="seconds to wait for a connection or an answer (default: 30)",
    )
    send.add_argument(
        "--insecure", action="store_true", help="do not verify TLS certificates (tests only)"
    )
    send.add_argument("--ca-bundle", metavar="PEM", help="a PEM file of CA certificates to trust")
    send.add_argument(
        "--proxy",
        metavar="URL|none|system",
        help="send through this proxy (http://user:password@host:port), 'none' to ignore the "
        "system proxy settings, or 'system' (HTTP_PROXY/HTTPS_PROXY/NO_PROXY; the default)",
    )
    send.add_argument(
        "--no-redirects", action="store_true", help="do not follow redirects (report them)"
    )
    send.add_argument(
        "--location-trusted",
        action="store_true",
        help="on a redirect to another scheme, host or port, send the credentials on too (as "
        "curl --location-trusted); without it they are left behind",
    )
    send.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send nothing"
    )
    send.add_argument(
        "--to-receiver",
        metavar="PORT",
        help="send every step to the local receiver on this port instead of its own URL "
        "(path kept; the file is not changed), e.g. a customer's setup without their endpoint",
    )
    send.add_argument("--reveal", action="store_true", help="print secret values unmasked")
    send.add_argument(
        "--no-history", action="store_true", help="do not store the run in the test history"
    )


def _add_export_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    export = sub.add_parser(
        "export",
        help="export requests as snippets, the Uptrends checklist, or a handover sheet",
        description="Export the requests of an alert type as curl, HTTPie, PowerShell or Python "
        "snippets (helper steps first), the checklist of what to type into Uptrends, or a "
        "self-contained handover sheet (HTML or Markdown, with the latest test results). "
        "Secrets are masked unless --reveal.",
    )
    export.add_argument("file", help=f"an *.integration.json file, or '{DEMO}'")
    export.add_argument(
        "--as",
        dest="export_format",
        required=True,
        metavar="FORMAT",
        help=f"what to export: {', '.join(EXPORT_FORMATS)}",
    )
    export.add_argument(
        "--type",
        "-t",
        dest="alert_type",
        default="error",
        help="for snippets: error, reminder or ok (default: error)",
    )
    export.add_argument("--sample", "-s", help="sample set name or path (default: https)")
    export.add_argument("--reveal", action="store_true", help="include secret values unmasked")
    export.add_argument(
        "--output", "-o", metavar="PATH", help="write to this file instead of printing"
    )


def _add_budget_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--budget",
        metavar="SECONDS",
        default=str(DEFAULT_RENDER_SECONDS),
        help="time the regex, hash and JWT functions of one alert message may take in all "
        f"(default: {DEFAULT_RENDER_SECONDS:g}); later calls are skipped with an error",
    )


def _budget(args: argparse.Namespace) -> float:
    return _number("--budget", args.budget, float, 0)


def _add_uptrends_parser(sub: _Subparsers[argparse.ArgumentParser]) -> None:
    uptrends = sub.add_parser(
        "uptrends",
        help="read monitors and alerts of an Uptrends account (read-only) and make samples",
        description="Read-only access to an Uptrends account through the API v4, with an API "
        "account from UPTRENDS_API_USERNAME and UPTRENDS_API_PASSWORD (or the keyring, saved "
        "from the window). UPTRENDS_API_URL changes the base URL. Exit 0 on success, 1 when "
        "the API refuses or cannot be reached, 2 on bad input.",
    )
    actions = uptrends.add_subparsers(dest="uptrends_command", metavar="ACTION", required=True)
    actions.add_parser("monitors", help="one line per monitor: GUID, type, name")
    alerts = actions.add_parser(
        "alerts", help="one line per alert: id, type, time, incident key, description"
    )
    alerts.add_argument("monitor", metavar="MONITOR_GUID")
    alerts.add_argument(
        "--days", type=int, default=30, metavar="N", help="the last N days (default: 30)"
    )
    alerts.add_argument("--reminders", action="store_true", help="list Reminder alerts too")
    sample = actions.add_parser(
        "sample",
        help="write a *.sample.json made from a real alert (default: the latest Error alert)",
    )
    sample.add_argument("monitor", metavar="MONITOR_GUID")
    sample.add_argument("--alert", metavar="ALERT_ID", help="the alert to replay")
    sample.add_argument("--output", "-o", required=True, metavar="FILE", help="file to write")


_SUBCOMMANDS: dict[str, Callable[[_Subparsers[argparse.ArgumentParser]], None]] = {
    "render": _add_render_parser,
    "check": _add_check_parser,
    "samples": _add_samples_parser,
    "receive": _add_receive_parser,
    "send": _add_send_parser,
    "export": _add_export_parser,
    "uptrends": _add_uptrends_parser,
}
"""Each subcommand and what adds its parser, in the order ``--help`` lists them."""


def _one_line(text: str) -> str:
    return " ".join(_printable(text).split())


def _uptrends(args: argparse.Namespace) -> int:
    """``uptrends monitors|alerts|sample``: 0 done, 1 the API refused, 2 bad input."""
    from uptrends_studio.core.account.alert_samples import fetch_sample
    from uptrends_studio.core.account.uptrends_api import (
        PASSWORD_ENV,
        USERNAME_ENV,
        ApiError,
        UptrendsClient,
        base_url_from,
        credentials_from,
    )
    from uptrends_studio.core.document.sample_files import save_sample_with_secrets
    from uptrends_studio.core.errors import UsageError

    where = f"uptrends-studio uptrends {args.uptrends_command}"
    try:
        base_url = base_url_from(os.environ)
        credentials = credentials_from(os.environ, LazyStore().get)
        if credentials is None:
            raise UsageError(
                f"no Uptrends API account: set {USERNAME_ENV} and {PASSWORD_ENV} (or sign in "
                "from the window: Sample > From Uptrends…)"
            )
        out = sys.stdout
        with UptrendsClient(credentials, base_url) as client:
            if args.uptrends_command == "monitors":
                for monitor in client.monitors():
                    out.write(
                        f"{monitor.guid}  {monitor.monitor_type:16} {_one_line(monitor.name)}\n"
                    )
            elif args.uptrends_command == "alerts":
                for alert in client.alerts(
                    args.monitor, days=args.days, include_reminders=args.reminders
                ):
                    out.write(
                        f"{alert.id}  {alert.alert_type:8} {alert.timestamp:19}  "
                        f"{alert.incident_key or '-'}  {_one_line(alert.error_description)}\n"
                    )
            else:
                made = fetch_sample(client, args.monitor, args.alert)
                save_sample_with_secrets(made, Path(args.output), store=None)
                out.write(f"wrote {args.output}: {made.name}\n")
    except ApiError as exc:
        sys.stderr.write(f"{where}: {exc}\n")
        return EXIT_PROBLEMS
    except StudioError as exc:
        sys.stderr.write(f"{where}: {exc}\n")
        return EXIT_BAD_INPUT
    return EXIT_OK


def _integration_path(name: str) -> Path:
    return resource_path("demo.integration.json") if name == DEMO else Path(name)


def _warn_about_secrets(where: str, notes: Sequence[SecretNote]) -> None:
    """Print the notes about missing secret values (not the no-keyring one: nothing is saved)."""
    for note in notes:
        if note.level is NoteLevel.WARNING and note.message != FALLBACK_MESSAGE:
            sys.stderr.write(f"uptrends-studio: {where}: {note}\n")


def _load_integration(path_arg: str) -> Integration:
    """The integration named on the command line (a file, or ``demo``), secrets looked up."""
    path = _integration_path(path_arg)
    loaded = integration_file.load_with_secrets(path, store=LazyStore(), env=os.environ)
    _warn_about_secrets(DEMO if path_arg == DEMO else str(path), loaded.notes)
    return loaded.integration


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
    integration = _load_integration(args.file)
    if args.alert_type.strip().lower() == "all":
        types = list(AlertType)
    else:
        try:
            types = [AlertType.parse(args.alert_type)]
        except ValueError as exc:
            sys.stderr.write(f"uptrends-studio render: {exc}\n")
            return EXIT_BAD_INPUT
    renderer = Renderer(integration, catalogue, budget_seconds=_budget(args))
    requests = [r for t in types for r in renderer.render_alert(t, sample)]
    for request in requests:
        for diagnostic in request.diagnostics:
            if diagnostic.code == "render-budget":  # the output holds a call sent as written
                sys.stderr.write(f"uptrends-studio render: {diagnostic.format(args.file)}\n")
    if not args.reveal:
        masker = masker_for(integration, sample, requests)
        requests = [masked_request(r, masker) for r in requests]
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
    from uptrends_studio.core.checks.integration import check_integration, exit_status

    path = _integration_path(args.file)
    integration = _load_integration(args.file)
    diagnostics = check_integration(integration, sample, catalogue, budget_seconds=_budget(args))
    shown = str(path) if args.file != DEMO else DEMO
    # The evaluator never quotes a secret-derived value; this catches a secret typed literally.
    masker = Masker() if args.reveal else masker_for(integration, sample)
    for diagnostic in diagnostics:
        sys.stdout.write(masker.mask(diagnostic.format(shown)) + "\n")
    counts = {
        s: sum(1 for d in diagnostics if d.severity.value == s)
        for s in ("error", "warning", "note")
    }
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    sys.stderr.write(f"{shown}: {summary} (sample: {sample.name})\n")
    return exit_status(diagnostics, strict=args.strict)


def _samples(catalogue: Catalogue) -> int:
    from uptrends_studio.core.document.samples import SUFFIX, builtin_sample_paths, load_sample

    for path in builtin_sample_paths():
        sample = load_sample(path, catalogue)
        sys.stdout.write(
            f"{path.name.removesuffix(SUFFIX):16} {sample.name}: {sample.description}\n"
        )
    return EXIT_OK


def _receive_masker(args: argparse.Namespace) -> Masker:
    """The secrets of ``--integration`` (with what its requests compute from them)."""
    if not args.integration:
        return Masker()
    catalogue = load_catalogue()
    integration = _load_integration(args.integration)
    loaded = find_sample_with_secrets(args.sample, catalogue, store=LazyStore(), env=os.environ)
    renderer = Renderer(integration, catalogue)
    requests = [r for t in AlertType for r in renderer.render_alert(t, loaded.sample)]
    return masker_for(integration, loaded.sample, requests)


def _receive(args: argparse.Namespace) -> int:
    """Run the loopback receiver, printing each request, until SIGINT or SIGTERM."""
    import queue
    import signal
    import threading
    from types import FrameType

    from uptrends_studio.core.delivery.receiver import (
        DEFAULT_RESPONSE,
        CapturedRequest,
        Receiver,
        ReceiverResponse,
        format_capture,
    )
    from uptrends_studio.core.errors import UsageError

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
    masker = Masker() if args.reveal else _receive_masker(args)
    out = sys.stdout
    shown = 0

    def show(capture: CapturedRequest) -> None:
        nonlocal shown
        shown += 1
        out.write(masker.mask(format_capture(capture)) + "\n\n")
        out.flush()

    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        # Only a flag: an exception raised here could land inside the queue's lock and leave
        # it held, and stopping would then wait on it for ever.
        nonlocal stopping
        stopping = True

    main_thread = threading.current_thread() is threading.main_thread()
    receiver.start()
    previous_term = signal.signal(signal.SIGTERM, on_signal) if main_thread else None
    previous_int = signal.signal(signal.SIGINT, on_signal) if main_thread else None
    try:
        out.write(f"Listening on {receiver.url} (loopback only). Press Ctrl+C to stop.\n")
        out.flush()
        while not stopping:  # a signal is noticed within the 0.2 s wait
            try:
                capture = arrived.get(timeout=0.2)
            except queue.Empty:
                continue
            show(capture)
    except KeyboardInterrupt:  # not on the main thread: Python's own Ctrl+C
        pass
    finally:
        if main_thread:  # a second Ctrl+C while stopping must not give a traceback
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        receiver.stop()
        if main_thread:
            signal.signal(signal.SIGINT, previous_int or signal.SIG_DFL)
            signal.signal(signal.SIGTERM, previous_term or signal.SIG_DFL)
    while not arrived.empty():
        show(arrived.get_nowait())
    out.write(f"{shown} request{'s' if shown != 1 else ''} received\n")
    out.flush()
    return EXIT_OK


def _number(option: str, text: str, kind: type[int] | type[float], minimum: float) -> float:
    """Parse a numeric option; a bad value raises a one-line :class:`UsageError`."""
    from uptrends_studio.core.errors import UsageError

    try:
        value = kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise UsageError(f"{option} {text!r} is not {what}") from None
    if not value >= minimum:  # also refuses NaN
        raise UsageError(f"{option} {text!r} must be at least {minimum:g}")
    return value


def _send_options(args: argparse.Namespace) -> SendOptions:
    from uptrends_studio.app.proxy import ProxyChoice
    from uptrends_studio.core.delivery.sending import SendOptions
    from uptrends_studio.core.errors import UsageError

    timeout = _number("--timeout", args.timeout, float, 0.001)
    ca_bundle = args.ca_bundle or ""
    if ca_bundle and not Path(ca_bundle).is_file():
        raise UsageError(f"--ca-bundle {ca_bundle!r}: no such file")
    options = SendOptions(
        timeout=timeout,
        verify_tls=not args.insecure,
        ca_bundle=ca_bundle,
        follow_redirects=not args.no_redirects,
        trust_redirects=args.location_trusted,
    )
    choice = ProxyChoice() if args.proxy is None else ProxyChoice.parse(args.proxy)
    return choice.apply(options)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """Control characters (say, a terminal escape sequence in a response) shown escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _print_body(text: str, total: int | None, out: TextIO) -> None:
    shown = text[:PRINT_CAP]
    out.write(_printable(shown))
    if not shown.endswith("\n"):
        out.write("\n")
    size = total if total is not None else len(text)
    if len(text) > PRINT_CAP or size > len(text):
        out.write(
            f"[... body of {size} {'bytes' if total is not None else 'characters'}: "
            f"the first {PRINT_CAP // 1024} KB at most are printed]\n"
        )


def _print_exchange(record: ExchangeRecord, label: str, out: TextIO) -> None:
    role = " (helper step)" if record.helper else ""
    out.write(f"### {label}: step {record.step_index + 1} '{record.step_name}'{role}\n")
    out.write(f"> {record.method} {_printable(record.url)}\n")
    for name, value in record.request_headers:
        out.write(f"> {name}: {_printable(value)}\n")
    out.write(">\n")
    if record.request_body:
        _print_body(record.request_body, None, out)
    out.write("\n")
    if record.status is not None:
        out.write(f"< {record.status} {record.reason}".rstrip() + "\n")
        for name, value in record.response_headers:
            out.write(f"< {name}: {_printable(value)}\n")
        out.write("<\n")
        if record.response_body:
            _print_body(record.response_body, record.body_size, out)
    for status, url, note in record.hops:
        out.write(f"# via {status} {_printable(url)}\n")
        if note:
            out.write(f"#   {_printable(note)}\n")
    if record.status is not None:
        out.write(
            f"# {record.status} {record.reason}".rstrip()
            + f" in {record.total_ms:.0f} ms (first byte {record.first_byte_ms:.0f} ms, "
            f"body {record.download_ms:.0f} ms)\n"
        )
    for name, value, problem in record.variables:
        out.write(
            f"# {{{{{name}}}}} = {value}\n" if not problem else f"# {{{{{name}}}}}: {problem}\n"
        )
    if record.error:
        out.write(f"! {record.error}\n")
    out.write("\n")


def _failure(record: RunRecord) -> str:
    """Why a run failed, in one line (from the record, so secrets stay masked)."""
    if record.nothing_selected:
        return f"no step has {record.alert_type.value} ticked: nothing was sent"
    if record.stopped:
        return record.stopped
    for exchange in record.exchanges:
        if exchange.success:
            continue
        name = f"step {exchange.step_index + 1} ('{exchange.step_name}')"
        if exchange.error:
            return f"{name} failed: {exchange.error}"
        if exchange.status is not None and exchange.status >= 400:
            return f"{name} answered {exchange.status} {exchange.reason}".rstrip()
        problems = "; ".join(f"{{{{{n}}}}}: {p}" for n, _, p in exchange.variables if p)
        return f"{name} did not give its response variables: {problems}"
    return "the run failed"


def _check_urls(
    integration: Integration,
    catalogue: Catalogue,
    sample: SampleSet,
    order: Sequence[AlertType],
) -> None:
    """Refuse a run whose step URL cannot be sent (``http://[::1``, ``http://a..b/``).

    A URL that holds a response variable of an earlier step is known only while sending; the
    send itself reports it then.

    Raises:
        UsageError: one line naming the step and what is wrong with its URL.
    """
    from uptrends_studio.core.delivery.sending import url_problem
    from uptrends_studio.core.errors import UsageError
    from uptrends_studio.core.rendering.messages import placeholders

    pending = tuple(placeholders(integration).values())
    renderer = Renderer(integration, catalogue)
    for alert_type in dict.fromkeys(order):
        requests = renderer.render_alert(alert_type, sample)
        for request in requests:
            if any(text in request.url for text in pending):
                continue
            problem = url_problem(request.url)
            if problem is not None:
                masker = masker_for(integration, sample, requests)  # a key in the URL
                raise UsageError(
                    f"step {request.step_index + 1} '{request.step_name}' "
                    f"({alert_type.value}): {masker.mask(problem)}; nothing was sent"
                )


def _send(args: argparse.Namespace, catalogue: Catalogue, sample: SampleSet) -> int:
    """Send for real (or print with --dry-run); exit 0 when every step succeeded, else 1."""
    from uptrends_studio.app.test_run import RunPlan, TestRun, to_receiver
    from uptrends_studio.app.workspace import ChosenSample, OpenFile, Workspace
    from uptrends_studio.core.delivery.history import default_history_dir
    from uptrends_studio.core.delivery.runs import StepRun
    from uptrends_studio.core.errors import UsageError

    kind = args.alert_type.strip().lower()
    lifecycle = kind == "lifecycle"
    reminders = int(_number("--reminders", args.reminders, int, 0)) if lifecycle else 0
    try:
        alert_type = AlertType.ERROR if lifecycle else AlertType.parse(kind)
    except ValueError:
        raise UsageError(
            f"unknown --type {args.alert_type!r}: use error, reminder, ok or lifecycle"
        ) from None
    port = (
        int(_number("--to-receiver", args.to_receiver, int, 1))
        if args.to_receiver is not None
        else None
    )
    if port is not None and port > 65535:
        raise UsageError(f"--to-receiver {port}: a port is 1 to 65535")
    plan = RunPlan(alert_type, lifecycle, reminders, options=_send_options(args), to_receiver=port)
    integration = _load_integration(args.file)
    masker = masker_for(integration, sample)
    out = sys.stdout
    if args.dry_run:
        out.write("# dry run: nothing is sent\n\n")
        renderer = Renderer(integration, catalogue)
        for each in plan.order:
            requests = renderer.render_alert(each, sample)
            if not requests:
                out.write(f"### {each.value}: no step has {each.value} ticked; nothing is sent\n\n")
            for each_request in requests:
                request = to_receiver(port)(each_request) if port is not None else each_request
                _print_request(request if args.reveal else masked_request(request, masker), out)
        return EXIT_OK

    _check_urls(integration, catalogue, sample, plan.order)
    workspace = Workspace(
        OpenFile(integration, _integration_path(args.file)),
        ChosenSample(sample),
        catalogue,
        history_root=default_history_dir(),
    )
    run = TestRun(workspace, plan)

    def on_step(step: StepRun) -> None:
        _print_exchange(run.step_record(step, reveal=args.reveal), run.step_label(step), out)
        out.flush()

    if run.rerouted:
        out.write(f"# {run.rerouted}\n\n")
    try:
        run.run(on_step)
    except KeyboardInterrupt:
        sys.stderr.write("uptrends-studio send: interrupted; the run is not stored\n")
        return EXIT_INTERRUPTED

    shown = run.records(reveal=args.reveal)
    numbered = 0
    for record in shown:
        name = record.alert_type.value
        if record.alert_type is AlertType.REMINDER and reminders > 1:
            numbered += 1
            name = f"Reminder {numbered}"
        if record.nothing_selected:
            out.write(f"### {name}: no step has it ticked; nothing is sent\n\n")
        else:
            outcome = "delivered" if record.success else f"failed: {_failure(record)}"
            out.write(f"== {name}: {outcome}\n")
    if lifecycle:
        out.write(f"== incident key: {run.key_check_text(reveal=args.reveal)}\n")
    out.flush()
    if not args.no_history:
        problem = run.store()
        if problem:
            sys.stderr.write(f"uptrends-studio send: warning: {problem}\n")

    failed = next(
        (r for r in shown if not r.success and not (lifecycle and r.nothing_selected)), None
    )
    if failed is not None:
        prefix = f"{failed.alert_type.value}: " if lifecycle else ""
        sys.stderr.write(f"uptrends-studio send: {prefix}{_failure(failed)}\n")
        return EXIT_PROBLEMS
    if lifecycle and not run.success:
        reason = run.stopped() or run.key_check_text()
        sys.stderr.write(f"uptrends-studio send: {reason}\n")
        return EXIT_PROBLEMS
    return EXIT_OK


def _snippets(
    integration: Integration,
    catalogue: Catalogue,
    sample: SampleSet,
    args: argparse.Namespace,
) -> str:
    from uptrends_studio.core.errors import UsageError
    from uptrends_studio.core.exports.snippets import SnippetFormat, comment_text, export_request

    try:
        alert_type = AlertType.parse(args.alert_type)
    except ValueError as exc:
        raise UsageError(f"--type: {exc}") from None
    requests = Renderer(integration, catalogue).render_alert(alert_type, sample)
    if not requests:
        raise UsageError(
            f"no step has {alert_type.value} ticked, so nothing is sent for it: "
            "choose another --type"
        )
    masker = Masker() if args.reveal else masker_for(integration, sample, requests)
    fmt = SnippetFormat(args.export_format.strip().lower())
    parts = []
    for request in requests:
        role = (
            "a helper step, run it first"
            if request.helper
            else f"sends the {alert_type.value} message"
        )
        lines = [f"Step {request.step_index + 1} '{request.step_name}': {role}"]
        taken = integration.steps[request.step_index].response_variables
        if taken:
            names = ", ".join(f"{{{{{v.name}}}}}" for v in taken)
            lines.append(
                f"Its answer gives {names}; the later steps hold a placeholder "
                f"<... from step {request.step_index + 1}> for it: replace it by hand"
            )
        shown = request if args.reveal else masked_request(request, masker)
        comments = "".join(f"# {comment_text(line)}\n" for line in lines)
        parts.append(comments + export_request(shown, fmt))
    return "\n".join(parts)


def _latest_records(path: Path) -> list[RunRecord]:
    """The newest stored run of each alert type, oldest first (none when unreadable)."""
    from uptrends_studio.core.delivery.history import History, default_history_dir

    return History(default_history_dir(), str(path.resolve())).latest_per_type()


def _export(args: argparse.Namespace, catalogue: Catalogue, sample: SampleSet) -> int:
    from uptrends_studio.core.document.jsonfile import write_text_atomic
    from uptrends_studio.core.errors import UsageError
    from uptrends_studio.core.exports.checklist import checklist, checklist_text
    from uptrends_studio.core.exports.handover import handover

    fmt = args.export_format.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--as {args.export_format!r} is not one of {', '.join(EXPORT_FORMATS)}")
    integration = _load_integration(args.file)
    if fmt in SNIPPET_FORMATS:
        text = _snippets(integration, catalogue, sample, args)
    elif fmt == "uptrends-checklist":
        secrets = [] if args.reveal else secret_values(integration, sample)
        sections = checklist(integration, secrets, reveal=args.reveal)
        text = checklist_text(sections, title=integration.name)
    else:
        text = handover(
            integration,
            sample,
            catalogue,
            records=_latest_records(_integration_path(args.file)),
            fmt="html" if fmt == "html" else "markdown",
            source=args.file,
            reveal=args.reveal,
        )
    if args.output:
        try:
            write_text_atomic(Path(args.output), text)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        return EXIT_OK
    sys.stdout.write(text)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = args_list[0] if args_list else None
    parser = _build_parser(first if first in _SUBCOMMANDS else None)
    args = parser.parse_args(args_list)
    if args.command is None:  # e.g. only an option of the window: nothing to run here
        parser.print_usage(sys.stderr)
        sys.stderr.write(
            "uptrends-studio: give a command, or run it without arguments for the window\n"
        )
        return EXIT_BAD_INPUT
    try:
        if args.command == "receive":
            return _receive(args)
        if args.command == "uptrends":
            return _uptrends(args)
        catalogue = load_catalogue()
        if args.command == "samples":
            return _samples(catalogue)
        loaded_sample = find_sample_with_secrets(
            args.sample, catalogue, store=LazyStore(), env=os.environ
        )
        _warn_about_secrets(args.sample or "sample", loaded_sample.notes)
        sample = loaded_sample.sample
        if args.command == "render":
            return _render(args, catalogue, sample)
        if args.command == "send":
            return _send(args, catalogue, sample)
        if args.command == "export":
            return _export(args, catalogue, sample)
        return _check(args, catalogue, sample)
    except StudioError as exc:
        sys.stderr.write(f"uptrends-studio {args.command}: {exc}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK
