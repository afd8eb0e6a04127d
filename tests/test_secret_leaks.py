"""Secret values never reach a file the Studio writes, nor the command line's output.

A secret variable, an authentication password and a mock-vault password are saved, dumped and
rendered through the real ``uptrends-studio`` command (values supplied through environment
variables); then every file under the test folder and the command's output are searched for
the three values.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support import run_studio
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    Authentication,
    AuthType,
    Header,
    Integration,
    Step,
    Variable,
)
from uptrends_studio.core.document.sample_edit import add_vault_item
from uptrends_studio.core.document.sample_files import (
    dumps_sample,
    load_sample_with_secrets,
    save_sample_with_secrets,
)
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.secret_store import (
    MemoryStore,
    step_password_env_name,
    variable_env_name,
    vault_password_env_name,
)
from uptrends_studio.core.secrets import MASK

SECRET_VARIABLE = "leak-probe-variable-7f3a9c"
SECRET_PASSWORD = "leak-probe-password-91c2e4"
SECRET_VAULT = "leak-probe-vault-55e1b0"
SECRETS = (SECRET_VARIABLE, SECRET_PASSWORD, SECRET_VAULT)
VAULT_ITEM = "0f8e2c1a-1111-4d2b-9a55-6b2f7d9e0c13"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def leak_integration() -> Integration:
    return Integration(
        name="Leak check",
        variables=(
            Variable("ApiUrl", value="https://hooks.example.com/alert"),
            Variable("ApiKey", value=SECRET_VARIABLE, secret=True),
        ),
        steps=(
            Step(
                "Send",
                url="{{ApiUrl}}?key={{ApiKey}}",
                headers=(
                    Header("Content-Type", "application/json"),
                    Header("X-Api-Key", "{{ApiKey}}"),
                    Header("X-Vault", f"{{{{@VaultItem.{VAULT_ITEM}.Password}}}}"),
                ),
                body='{"key": "{{ApiKey}}", "type": "{{@alert.type}}"}',
                authentication=Authentication(AuthType.BASIC, "svc", SECRET_PASSWORD),
            ),
        ),
    )


def files_containing_secrets(folder: Path) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            found.extend((path.name, s) for s in SECRETS if s.encode() in raw)
    return found


def secret_environment(data_dir: Path | None = None) -> dict[str, str]:
    """The three secrets supplied the documented way, through environment variables."""
    env = {
        **os.environ,
        "PYTHONIOENCODING": "utf-8",
        variable_env_name("ApiKey"): SECRET_VARIABLE,
        step_password_env_name(1): SECRET_PASSWORD,
        vault_password_env_name(VAULT_ITEM): SECRET_VAULT,
    }
    if data_dir is not None:
        env["UPTRENDS_STUDIO_DATA_DIR"] = str(data_dir)
    return env


def render(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_studio(folder, "render", *args, env=secret_environment())


def test_secrets_stay_out_of_files_and_cli_output(tmp_path: Path, catalogue: Catalogue) -> None:
    store = MemoryStore()
    integration = leak_integration()
    path = tmp_path / "leak.integration.json"
    saved = integration_file.save(integration, path, store=store, env={})
    sample = add_vault_item(find_sample("https", catalogue), VAULT_ITEM, "svc-user", SECRET_VAULT)
    sample_path = tmp_path / "leak.sample.json"
    save_sample_with_secrets(sample, sample_path, store=store, env={})
    (tmp_path / "dumped.integration.json").write_text(
        integration_file.dumps(integration), encoding="utf-8"
    )
    (tmp_path / "dumped.sample.json").write_text(dumps_sample(sample), encoding="utf-8")

    # The values were kept (in this session's store), just not on disk.
    assert integration_file.load_with_secrets(path, store=store, env={}).integration == saved
    reloaded = load_sample_with_secrets(sample_path, catalogue, store=store, env={}).sample
    assert reloaded.vault[VAULT_ITEM]["Password"] == SECRET_VAULT

    outputs = []
    for output_format in ("text", "json"):
        result = render(
            tmp_path,
            str(path),
            "--type",
            "all",
            "--sample",
            str(sample_path),
            "--format",
            output_format,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
        (tmp_path / f"render-{output_format}.out").write_text(
            result.stdout + result.stderr, encoding="utf-8"
        )
    text = outputs[0]
    # The environment supplied every secret (an empty value would print nothing here) ...
    assert f"X-Api-Key: {MASK}\n" in text
    assert f"X-Vault: {MASK}\n" in text
    assert f"POST https://hooks.example.com/alert?key={MASK}\n" in text
    assert f"# authentication: Basic, user svc, password {MASK}\n" in text
    assert text.count(f'"key": "{MASK}"') == 3  # Error, Reminder and Ok
    # ... and none of them was printed or written anywhere.
    assert files_containing_secrets(tmp_path) == []


def run_cli(folder: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_studio(folder, *args, env=secret_environment(data_dir))


def test_send_history_and_every_export_keep_secrets_out(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    from dataclasses import replace

    from uptrends_studio.core.delivery.receiver import Receiver

    store = MemoryStore()
    data_dir = tmp_path / "data"
    with Receiver() as receiver:
        integration = leak_integration()
        variables = (
            Variable("ApiUrl", value=f"{receiver.url}alert"),
            *integration.variables[1:],
        )
        path = tmp_path / "leak.integration.json"
        integration_file.save(replace(integration, variables=variables), path, store=store, env={})
        sample = add_vault_item(
            find_sample("https", catalogue), VAULT_ITEM, "svc-user", SECRET_VAULT
        )
        sample_path = tmp_path / "leak.sample.json"
        save_sample_with_secrets(sample, sample_path, store=store, env={})
        outputs = []
        for alert_type in ("error", "ok"):
            sent = run_cli(
                tmp_path,
                data_dir,
                "send",
                str(path),
                "--type",
                alert_type,
                "--sample",
                str(sample_path),
                "--proxy",
                "none",
            )
            assert sent.returncode == 0, sent.stderr
            outputs.append(sent.stdout + sent.stderr)
        captured = receiver.captures()
    # The real request carried the secrets (that is the point of a send) ...
    assert len(captured) == 2
    assert captured[0].header("X-Api-Key") == SECRET_VARIABLE
    assert captured[0].header("X-Vault") == SECRET_VAULT
    (tmp_path / "send.out").write_text("".join(outputs), encoding="utf-8")
    assert list((data_dir / "history").rglob("*.json"))  # the runs were recorded
    for export_format in ("html", "markdown", "curl", "httpie", "python", "uptrends-checklist"):
        exported = run_cli(
            tmp_path,
            data_dir,
            "export",
            str(path),
            "--as",
            export_format,
            "--sample",
            str(sample_path),
            "--output",
            str(tmp_path / f"export.{export_format}"),
        )
        assert exported.returncode == 0, exported.stderr
        assert (tmp_path / f"export.{export_format}").stat().st_size > 0
    # ... but no file written, no history record, no export and no output holds one.
    assert files_containing_secrets(tmp_path) == []
