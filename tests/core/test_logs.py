"""The log file: rotation, secret masking, and the per-user folders (with their override)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from uptrends_studio.core import userdirs
from uptrends_studio.core.logs import (
    LOG_BACKUPS,
    LOG_FILE_NAME,
    MAX_LOG_BYTES,
    register_secrets,
    setup_logging,
    shutdown_logging,
)
from uptrends_studio.core.secrets import MASK

SECRET = "s3cr3t-Pa55word!"


@pytest.fixture
def logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    # A logger of its own per test: the root logger (and pytest's handlers) stay untouched.
    own = logging.getLogger(f"test-logs.{request.node.name}")
    own.propagate = False
    yield own
    shutdown_logging(own)


def read_log(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_is_created_in_the_folder_and_receives_records(
    tmp_path: Path, logger: logging.Logger
) -> None:
    path = setup_logging(tmp_path / "logs" / "deep", logger=logger, console_level=None)
    logger.info("window opened on %s", "demo")
    assert path == tmp_path / "logs" / "deep" / LOG_FILE_NAME
    text = read_log(path)
    assert "INFO" in text
    assert "window opened on demo" in text


def test_registered_secret_is_masked_in_message_args_and_traceback(
    tmp_path: Path, logger: logging.Logger
) -> None:
    path = setup_logging(tmp_path, logger=logger, console_level=None)
    register_secrets([SECRET], logger=logger)
    logger.warning(f"inline {SECRET} in the message")
    logger.warning("as an argument: %s", SECRET)
    logger.warning("in a mapping: %(password)s", {"password": SECRET})
    try:
        raise ValueError(f"the server refused {SECRET}")
    except ValueError:
        logger.exception("sending failed")
    text = read_log(path)
    assert SECRET not in text
    assert text.count(MASK) == 4
    assert f"inline {MASK} in the message" in text
    assert f"as an argument: {MASK}" in text
    assert f"in a mapping: {MASK}" in text
    assert "Traceback (most recent call last)" in text
    assert f"ValueError: the server refused {MASK}" in text


def test_the_longest_secret_is_masked_whole(tmp_path: Path, logger: logging.Logger) -> None:
    path = setup_logging(tmp_path, logger=logger, console_level=None)
    register_secrets(["abc", "abcdef"], logger=logger)
    logger.error("token abcdef and abc")
    assert f"token {MASK} and {MASK}" in read_log(path)


def test_very_short_values_are_not_masked(tmp_path: Path, logger: logging.Logger) -> None:
    # Masking "ab" everywhere would garble the log; the preview follows the same rule.
    path = setup_logging(tmp_path, logger=logger, console_level=None)
    register_secrets(["ab"], logger=logger)
    logger.error("tab and label")
    assert "tab and label" in read_log(path)


def test_secrets_apply_to_records_of_child_loggers(tmp_path: Path, logger: logging.Logger) -> None:
    path = setup_logging(tmp_path, logger=logger, console_level=None)
    register_secrets([SECRET], logger=logger)
    logging.getLogger(f"{logger.name}.sending").error("Authorization: Bearer %s", SECRET)
    text = read_log(path)
    assert f"Authorization: Bearer {MASK}" in text
    assert SECRET not in text


def test_console_copy_is_masked_too(
    tmp_path: Path, logger: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging(tmp_path, logger=logger)
    register_secrets([SECRET], logger=logger)
    logger.info("quiet %s", SECRET)
    logger.error("loud %s", SECRET)
    err = capsys.readouterr().err
    assert f"loud {MASK}" in err
    assert "quiet" not in err
    assert SECRET not in err


def test_setting_up_again_replaces_the_handlers_and_keeps_the_secrets(
    tmp_path: Path, logger: logging.Logger
) -> None:
    setup_logging(tmp_path / "first", logger=logger, console_level=None)
    register_secrets([SECRET], logger=logger)
    path = setup_logging(tmp_path / "second", logger=logger, console_level=None)
    logger.error("once %s", SECRET)
    assert read_log(path).count("once") == 1
    assert f"once {MASK}" in read_log(path)
    assert "once" not in read_log(tmp_path / "first" / LOG_FILE_NAME)


def test_log_rotates_at_the_size_limit_and_keeps_a_bounded_number_of_files(
    tmp_path: Path, logger: logging.Logger
) -> None:
    path = setup_logging(tmp_path, logger=logger, console_level=None)
    line = "x" * 1000
    for _ in range((LOG_BACKUPS + 3) * MAX_LOG_BYTES // 1000):
        logger.info(line)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [LOG_FILE_NAME] + [f"{LOG_FILE_NAME}.{n}" for n in range(1, LOG_BACKUPS + 1)]
    assert all(p.stat().st_size <= MAX_LOG_BYTES for p in tmp_path.iterdir())
    assert path.stat().st_size > 0


def test_a_folder_that_cannot_be_created_raises_os_error(
    tmp_path: Path, logger: logging.Logger
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError):  # noqa: PT011 - FileExistsError or NotADirectoryError per OS
        setup_logging(blocker / "logs", logger=logger, console_level=None)


def test_data_dir_override_moves_every_user_folder(tmp_path: Path) -> None:
    env = {userdirs.DATA_DIR_ENV: str(tmp_path)}
    assert userdirs.data_dir(env) == tmp_path
    assert userdirs.log_dir(env) == tmp_path / "logs"
    assert userdirs.autosave_dir(env) == tmp_path / "autosave"
    assert userdirs.history_dir(env) == tmp_path / "history"


def test_without_override_the_platform_folders_are_used() -> None:
    assert userdirs.data_dir({}).name == userdirs.APP_NAME
    assert userdirs.APP_NAME in str(userdirs.log_dir({}))
    assert userdirs.data_dir({userdirs.DATA_DIR_ENV: "  "}) == userdirs.data_dir({})
