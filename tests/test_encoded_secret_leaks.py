"""No recoverable form of a secret reaches any output or any file, however it was encoded.

The secrets hold ``" / & + é \\ %`` and a space, so every encoding changes them. The integration
uses them the ways real templates do: ``@UrlEncode`` in the URL, ``@Base64Encode`` of the value
and of ``user:value`` (hand-built Basic credentials) in headers, ``@JsonEncode`` and a mapping
function in the body, and a Basic authentication password (the HTTP client builds
``Authorization: Basic base64(user:password)``). The target is a real loopback server that
echoes the request back, as httpbin does, and the local receiver runs as ``receive``.

The real command line then runs ``render`` (text and JSON), ``check``, every ``export``
format, ``send`` (its output and the history it writes; once more through a 307 redirect to
another host, which must receive none of the secrets) and ``receive``; the log filter is
fed the echoed answer. Every output and every file under the test folder (the HOME and the
data folder included) is searched for each form: raw, JSON-escaped (also twice), URL-encoded
(both hex cases, ``+`` and ``%20``), HTML-escaped, and Base64 of the value and of
``user:value``.
"""

from __future__ import annotations

import base64
import html
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from tests.http_server import serve
from tests.support import run_studio
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    AlertType,
    Authentication,
    AuthType,
    Header,
    Integration,
    MappingEntry,
    MappingFunction,
    Step,
    Variable,
)
from uptrends_studio.core.document.sample_edit import add_vault_item
from uptrends_studio.core.document.sample_files import save_sample_with_secrets
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.logs import register_secrets, setup_logging, shutdown_logging
from uptrends_studio.core.secret_store import (
    MemoryStore,
    step_password_env_name,
    variable_env_name,
    vault_password_env_name,
)
from uptrends_studio.core.secrets import MASK, plausible_usernames, secret_values

SECRET_VARIABLE = 'k"e/y&1+é\\ %2-variable'
SECRET_PASSWORD = 'p"w/d&2+é\\ %3-password'
SECRET_VAULT = 'v"a/u&3+é\\ %4-vault'
SECRETS = (SECRET_VARIABLE, SECRET_PASSWORD, SECRET_VAULT)
USERS = ("svc", "svc-user")
VAULT_ITEM = "0f8e2c1a-2222-4d2b-9a55-6b2f7d9e0c13"
EXPORTS = ("curl", "httpie", "powershell", "python", "uptrends-checklist", "html", "markdown")


def _b64(data: str) -> set[str]:
    raw = base64.b64encode(data.encode()).decode()
    return {raw.rstrip("="), base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")}


def recoverable_forms(secret: str) -> dict[str, str]:
    """Each form of ``secret`` someone could turn back into it, by a name for the report."""
    forms = {"raw": secret, "html": html.escape(secret)}
    for ascii_only in (True, False):
        once = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
        forms[f"json(ascii={ascii_only})"] = once
        forms[f"json-twice(ascii={ascii_only})"] = json.dumps(once, ensure_ascii=ascii_only)[1:-1]
    for safe in ("", "/"):
        encoded = quote(secret, safe=safe)
        forms[f"url-upper(safe={safe!r})"] = encoded
        forms[f"url-lower(safe={safe!r})"] = encoded.lower()
        forms[f"url-plus(safe={safe!r})"] = encoded.replace("%20", "+")
    forms["url-quote-plus"] = quote_plus(secret)
    for index, form in enumerate(sorted(_b64(secret))):
        forms[f"base64-{index}"] = form
    for user in USERS:
        for index, form in enumerate(sorted(_b64(f"{user}:{secret}"))):
            forms[f"base64({user}:…)-{index}"] = form
    return forms


def leaks_in(text: str) -> list[str]:
    return [
        f"{secret[:5]}… as {name}"
        for secret in SECRETS
        for name, form in recoverable_forms(secret).items()
        if form in text
    ]


def files_under(folder: Path) -> Iterator[Path]:
    return (path for path in sorted(folder.rglob("*")) if path.is_file())


def integration_for(url: str) -> Integration:
    return Integration(
        name="Encoded secrets",
        variables=(
            Variable("ApiUrl", value=url),
            Variable("User", value="svc"),
            Variable("ApiKey", value=SECRET_VARIABLE, secret=True),
        ),
        steps=(
            Step(
                "Send",
                alert_types=(AlertType.ERROR, AlertType.REMINDER, AlertType.OK),
                url="{{ApiUrl}}?key={{@UrlEncode({{ApiKey}})}}",
                headers=(
                    Header("Content-Type", "application/json"),
                    Header("X-Key", "{{@Base64Encode({{ApiKey}})}}"),
                    Header("X-Auth", "Basic {{@Base64Encode({{User}}:{{ApiKey}})}}"),
                    Header(
                        "X-Vault",
                        f"{{{{@Base64Encode(svc:{{{{@VaultItem.{VAULT_ITEM}.Password}}}})}}}}",
                    ),
                    Header("X-Plain", f"Bearer {{{{@VaultItem.{VAULT_ITEM}.Password}}}}"),
                ),
                body=(
                    '{"key": "{{@JsonEncode({{ApiKey}})}}", '
                    '"mapped": "{{@JsonEncode({{Environment({{ApiKey}})}})}}", '
                    '"type": "{{@alert.type}}"}'
                ),
                authentication=Authentication(AuthType.BASIC, "svc", SECRET_PASSWORD),
            ),
        ),
        functions=(MappingFunction("Environment", (MappingEntry("prod", "production"),)),),
    )


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def environment(home: Path, data_dir: Path) -> dict[str, str]:
    """The secrets supplied the documented way (environment variables), in a private HOME."""
    return {
        **os.environ,
        "HOME": str(home),
        "USERPROFILE": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "UPTRENDS_STUDIO_DATA_DIR": str(data_dir),
        "PYTHONIOENCODING": "utf-8",
        variable_env_name("ApiKey"): SECRET_VARIABLE,
        step_password_env_name(1): SECRET_PASSWORD,
        vault_password_env_name(VAULT_ITEM): SECRET_VAULT,
    }


def test_no_encoded_form_of_a_secret_reaches_any_output_or_file(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    home, data_dir = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    env = environment(home, data_dir)
    store = MemoryStore()
    sample = add_vault_item(find_sample("https", catalogue), VAULT_ITEM, "svc-user", SECRET_VAULT)
    sample_path = tmp_path / "probe.sample.json"
    save_sample_with_secrets(sample, sample_path, store=store, env={})
    outputs: dict[str, str] = {}

    def cli(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        result = run_studio(tmp_path, *args, env=env)
        outputs[name] = result.stdout + result.stderr
        return result

    with serve() as server, serve() as other:
        integration = integration_for(f"{server.url}/echo")
        path = tmp_path / "probe.integration.json"
        integration_file.save(integration, path, store=store, env={})
        common = (str(path), "--sample", str(sample_path))
        # The same integration, answered by a 307 to another host (another port): the secrets
        # must stay behind, and nothing of them may reach an output or the history either.
        hop = f"{server.url}/redirect-to?url={quote(other.url + '/echo', safe='')}"
        step = integration.steps[0]
        redirected = replace(
            integration,
            variables=(replace(integration.variables[0], value=hop), *integration.variables[1:]),
            steps=(replace(step, url="{{ApiUrl}}&key={{@UrlEncode({{ApiKey}})}}"),),
        )
        redirect_path = tmp_path / "redirect.integration.json"
        integration_file.save(redirected, redirect_path, store=store, env={})

        for fmt in ("text", "json"):
            rendered = cli(f"render {fmt}", "render", *common, "--type", "all", "--format", fmt)
            assert rendered.returncode == 0, rendered.stderr
        check = cli("check", "check", *common)
        sent = cli("send", "send", *common, "--type", "error", "--proxy", "none")
        moved = cli(
            "send (redirect)",
            "send",
            str(redirect_path),
            "--sample",
            str(sample_path),
            "--type",
            "error",
            "--proxy",
            "none",
        )
        dry = cli("send --dry-run", "send", *common, "--type", "ok", "--dry-run")
        assert dry.returncode == 0, dry.stderr
        for fmt in EXPORTS:  # after the send: the handover sheet shows the latest results
            out = tmp_path / f"export.{fmt}"
            exported = cli(f"export {fmt}", "export", *common, "--as", fmt, "--output", str(out))
            assert exported.returncode == 0, exported.stderr
        echoed = [r for r in server.recorded.requests if "/echo" in str(r.get("path", ""))]
        elsewhere = other.recorded.requests

    # The secrets really were used, in every encoding (or there would be nothing to find) ...
    assert len(echoed) == 1
    sent_headers = dict(echoed[0]["headers"])  # type: ignore[call-overload]
    assert base64.b64decode(sent_headers["X-Key"]).decode() == SECRET_VARIABLE
    assert base64.b64decode(sent_headers["X-Auth"][6:]).decode() == f"svc:{SECRET_VARIABLE}"
    assert base64.b64decode(sent_headers["X-Vault"]).decode() == f"svc:{SECRET_VAULT}"
    assert (
        sent_headers["Authorization"]
        == "Basic " + base64.b64encode(f"svc:{SECRET_PASSWORD}".encode()).decode()
    )
    assert json.loads(echoed[0]["body"])["key"] == SECRET_VARIABLE  # type: ignore[arg-type]
    assert sent.returncode == 0, outputs["send"]
    # The redirect was followed to the other host, which got none of the secrets.
    assert moved.returncode == 0, outputs["send (redirect)"]
    assert "307" in outputs["send (redirect)"]
    assert len(elsewhere) == 1
    assert (
        leaks_in(json.dumps(elsewhere[0], default=lambda b: b.decode(), ensure_ascii=False)) == []
    )
    assert "Authorization" not in dict(elsewhere[0]["headers"])  # type: ignore[call-overload]
    assert '\\"method\\": \\"POST\\"' in outputs["send"] or '"method": "POST"' in outputs["send"]
    # ... the outputs show them masked ...
    render_text = outputs["render text"]
    assert f"X-Key: {MASK}\n" in render_text
    assert f"X-Auth: Basic {MASK}\n" in render_text
    assert f"X-Plain: Bearer {MASK}\n" in render_text
    assert f'"key": "{MASK}"' in render_text
    assert f"?key={MASK}" in render_text
    assert f"X-Key: {MASK}" in outputs["send --dry-run"]
    # check warns about the mapping without quoting the secret argument
    assert "Environment: no mapping row for the (secret) value" in outputs["check"]
    assert check.returncode == 0, outputs["check"]
    # ... and no recoverable form is anywhere: outputs, exports, history, HOME, data folder.
    assert {name: leaks_in(text) for name, text in outputs.items() if leaks_in(text)} == {}
    history = list((data_dir / "history").rglob("*.json"))
    assert history, "the send was not recorded"
    found = {
        str(file.relative_to(tmp_path)): leaks
        for file in files_under(tmp_path)
        if (leaks := leaks_in(file.read_bytes().decode("utf-8", "replace")))
    }
    assert found == {}

    # The log: an unexpected error that quotes the echoed answer is written masked.
    logger = logging.getLogger(f"leak-probe-{tmp_path.name}")
    logger.propagate = False
    log_file = setup_logging(tmp_path / "logs", logger=logger, console_level=None)
    try:
        register_secrets(
            secret_values(integration, sample),
            logger,
            usernames=plausible_usernames(integration, sample),
        )
        answer = json.dumps(echoed[0], default=lambda b: b.decode(), ensure_ascii=True)
        try:
            raise ValueError(f"the target answered {answer}")
        except ValueError:
            logger.exception("send failed for %s", answer)
    finally:
        shutdown_logging(logger)
    logged = log_file.read_text(encoding="utf-8")
    assert "the target answered" in logged
    assert MASK in logged
    assert leaks_in(logged) == []


def test_receive_output_masks_the_integrations_secrets(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    home, data_dir = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    env = environment(home, data_dir)
    store = MemoryStore()
    sample = add_vault_item(find_sample("https", catalogue), VAULT_ITEM, "svc-user", SECRET_VAULT)
    sample_path = tmp_path / "probe.sample.json"
    save_sample_with_secrets(sample, sample_path, store=store, env={})
    masked_file = tmp_path / "probe.integration.json"
    integration_file.save(integration_for("http://127.0.0.1:1/"), masked_file, store=store, env={})
    receiver = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uptrends_studio",
            "receive",
            "--port",
            "0",
            "--integration",
            str(masked_file),
            "--sample",
            str(sample_path),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert receiver.stdout is not None
        first = receiver.stdout.readline()
        assert first.startswith("Listening on http://127.0.0.1:"), first
        url = first.split()[2]
        target = tmp_path / "to-receiver.integration.json"
        integration = integration_for(f"{url}alerts")
        integration_file.save(replace(integration), target, store=store, env={})
        sent = run_studio(
            tmp_path,
            "send",
            str(target),
            "--type",
            "error",
            "--sample",
            str(sample_path),
            "--proxy",
            "none",
            "--no-history",
            env=env,
        )
        assert sent.returncode == 0, sent.stdout + sent.stderr
    finally:
        receiver.send_signal(signal.SIGTERM)
        out, err = receiver.communicate(timeout=60)
    printed = first + out
    assert "POST /alerts?key=" in printed  # the capture was printed ...
    assert f"X-Key: {MASK}" in printed
    assert f"Authorization: Basic {MASK}" in printed
    assert leaks_in(printed + err) == []  # ... with no form of any secret
