"""Only regular files are read, reads are bounded while reading, saves are safe and private.

FIFOs, devices and sockets are POSIX things; Linux is the supported test platform, so these
tests run there (never skipped).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from uptrends_studio.core import userdirs
from uptrends_studio.core.delivery.history import History, RunRecord
from uptrends_studio.core.document import integration_file, jsonfile
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.document.samples import load_sample
from uptrends_studio.core.errors import FileFormatError, SampleError
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.core.logs import LOG_FILE_NAME, setup_logging, shutdown_logging
from uptrends_studio.core.secret_store import DOTENV_NAME, read_dotenv
from uptrends_studio.paths import resource_path

DEMO = resource_path("demo.integration.json")
RECORD = RunRecord(
    started_at="2026-12-03T12:00:00.123456+00:00",
    alert_type=AlertType.ERROR,
    sample_name="https",
    exchanges=(),
    label="Send test alert",
)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.close()  # the socket file stays


def _to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


SPECIAL: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (_fifo, "is a named pipe (FIFO), not a regular file"),
    "device": (_to_dev_zero, "is a device, not a regular file"),
    "socket": (_socket, "is a socket, not a regular file"),
}


@pytest.mark.parametrize("case", list(SPECIAL))
def test_special_files_are_refused_at_once_as_integration_and_sample(
    case: str, tmp_path: Path
) -> None:
    make, expected = SPECIAL[case]
    path = tmp_path / "special.integration.json"
    make(path)
    started = time.monotonic()
    with pytest.raises(FileFormatError) as as_integration:
        integration_file.load(path)
    with pytest.raises(SampleError) as as_sample:
        load_sample(path, load_catalogue())
    assert time.monotonic() - started < 1
    for caught in (as_integration, as_sample):
        assert str(caught.value) == f"{path}: {expected}"


def test_the_limit_holds_while_reading_not_only_by_stat(tmp_path: Path) -> None:
    # /proc files say 0 bytes in stat and hold more; a small limit makes it quick.
    source = Path("/proc/self/smaps")
    assert source.stat().st_size == 0
    with pytest.raises(FileFormatError) as caught:
        jsonfile.read_file_bytes(source, limit=100)
    assert str(caught.value) == f"{source}: file is larger than 100 bytes; the limit is 100 bytes"
    assert jsonfile.read_file_bytes(DEMO) == DEMO.read_bytes()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            '{"format": "uptrends-studio.integration", "version": 1, "name": "a", "name": "b"}',
            "field /name",
        ),
        (
            '{"format": "uptrends-studio.integration", "version": 1, "name": "x", '
            '"steps": [{"url": "u"}, {"url": "v", "method": "GET", "url": "w"}]}',
            "field /steps/1/url",
        ),
    ],
    ids=["top-level", "nested"],
)
def test_duplicate_keys_are_reported_with_their_pointer(text: str, where: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        integration_file.loads(text, "dup.integration.json")
    message = str(caught.value)
    assert message.startswith(f"dup.integration.json: {where}: ")
    assert "appears more than once" in message


def test_saving_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real" / "alerts.integration.json"
    target.parent.mkdir()
    target.write_bytes(DEMO.read_bytes())
    link = tmp_path / "link.integration.json"
    link.symlink_to(target)
    integration = integration_file.load(link)
    integration_file.save(replace(integration, name="Via link"), link)
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert integration_file.load(target).name == "Via link"


KILLED_SAVE = """
import sys, threading
from dataclasses import replace
from pathlib import Path
from uptrends_studio.core.document import jsonfile
path = Path(sys.argv[1])
text = "x" * 4_000_000
def stall():  # the save is interrupted after its temporary file was written
    print("WRITING", flush=True)
    threading.Event().wait()
jsonfile.os.replace = lambda *a: stall()
jsonfile.write_text_atomic(path, text)
"""


def test_temp_files_of_killed_saves_are_cleaned_up_by_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "alerts.integration.json"
    path.write_text("{}\n", encoding="utf-8")
    for _ in range(3):  # three saves killed (SIGKILL) between writing and renaming
        with subprocess.Popen(
            [sys.executable, "-c", KILLED_SAVE, str(path)], stdout=subprocess.PIPE, text=True
        ) as saver:
            assert saver.stdout is not None
            assert saver.stdout.readline() == "WRITING\n"
            saver.kill()
        # Each save first deletes what the killed ones before it left: one leftover at most.
        leftovers = [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name]
        assert leftovers == [
            f".alerts.integration.json.tmp-{saver.pid}-{leftovers[0].split('-')[-1]}"
        ]
    running = tmp_path / f".alerts.integration.json.tmp-{os.getpid()}-1"
    running.write_text("a save of this (running) process", encoding="utf-8")
    jsonfile.write_text_atomic(path, '{"saved": true}\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, running.name])
    assert path.read_text(encoding="utf-8") == '{"saved": true}\n'


def test_simultaneous_history_writes_never_overwrite_each_other(tmp_path: Path) -> None:
    history = History(tmp_path / "history", "same.integration.json", keep=1000)
    record = RECORD  # every writer uses the same start time: the same file name
    barrier = threading.Barrier(8)

    def write() -> None:
        barrier.wait()
        for _ in range(25):
            history.add(record)

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = history.records()
    assert len(records) == 200
    assert len({r.run_id for r in records}) == 200


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual umask: files 0644 unless the Studio says otherwise
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_history_and_logs_are_private_to_the_user(tmp_path: Path) -> None:
    root = userdirs.history_dir({userdirs.DATA_DIR_ENV: str(tmp_path / "data")})
    history = History(root, "x.integration.json")
    history.add(RECORD)
    (stored,) = history.folder.iterdir()
    assert (_mode(root), _mode(history.folder), _mode(stored)) == (0o700, 0o700, 0o600)
    assert json.loads(stored.read_text(encoding="utf-8"))["alertType"]

    logs = tmp_path / "data" / "logs"
    logger = logging.getLogger("test-private-logs")
    logger.propagate = False
    path = setup_logging(logs, logger=logger, console_level=None)
    try:
        logger.info("hello")
    finally:
        shutdown_logging(logger)
    assert path == logs / LOG_FILE_NAME
    assert (_mode(logs), _mode(path)) == (0o700, 0o600)


@pytest.mark.parametrize("case", list(SPECIAL))
def test_a_special_dotenv_file_is_not_read(case: str, tmp_path: Path) -> None:
    make, _expected = SPECIAL[case]
    make(tmp_path / DOTENV_NAME)
    started = time.monotonic()
    assert read_dotenv(tmp_path) == {}
    assert time.monotonic() - started < 1


def test_a_fifo_in_the_history_folder_is_skipped_at_once(tmp_path: Path) -> None:
    history = History(tmp_path / "history", "x.integration.json")
    stored = history.add(RECORD)
    os.mkfifo(history.folder / "99999999T000000000000-error.json")  # sorts first
    started = time.monotonic()
    assert [r.run_id for r in history.records()] == [stored.run_id]
    assert time.monotonic() - started < 1
