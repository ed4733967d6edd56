"""One run per output folder: the lock, its holder line, --wait, stale takeover, and a second
run that leaves the first one's files alone."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from stdt2v.errors import InputError
from stdt2v.io import TMP_PREFIX
from stdt2v.lock import LOCK_FILE, OutputLock, output_lock, read_holder
from tests.conftest import DEMO_CONFIG, ROOT


def test_a_second_holder_is_refused_with_the_holders_host_and_pid(tmp_path):
    with OutputLock(tmp_path):
        holder = read_holder(tmp_path / LOCK_FILE)
        assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
        with pytest.raises(InputError, match=rf"in use by another run \(host {socket.gethostname()}, pid {os.getpid()},.*--wait"):
            OutputLock(tmp_path).acquire()  # flock conflicts between open files, even in one process
    assert read_holder(tmp_path / LOCK_FILE) == {}  # released cleanly: nothing stale left
    with OutputLock(tmp_path):  # free again
        pass


def test_wait_takes_the_lock_when_the_holder_lets_go(tmp_path):
    first = OutputLock(tmp_path).acquire()
    threading.Timer(0.3, first.release).start()
    with OutputLock(tmp_path, wait=True, poll_seconds=0.05) as second:
        assert second._fd is not None and read_holder(tmp_path / LOCK_FILE)["pid"] == os.getpid()


def test_the_lock_of_a_dead_run_is_taken_over_with_a_warning(tmp_path, caplog):
    # A killed holder: the kernel dropped its flock, its text stays behind.
    holder = subprocess.run(
        [sys.executable, "-c", f"import os; from stdt2v.lock import OutputLock; OutputLock({str(tmp_path)!r}).acquire(); os._exit(9)"], cwd=ROOT
    )
    assert holder.returncode == 9
    dead = read_holder(tmp_path / LOCK_FILE)
    assert dead["pid"] != os.getpid()
    with caplog.at_level(logging.WARNING), output_lock(tmp_path):
        assert read_holder(tmp_path / LOCK_FILE)["pid"] == os.getpid()
    assert f"pid {dead['pid']}" in caplog.text and "ended without releasing it" in caplog.text


@pytest.mark.parametrize("verb", ["batch", "generate", "decouple", "evaluate"])
def test_a_second_run_on_a_held_folder_is_one_line_and_touches_nothing(tmp_path, challenge_dir, verb):
    output = tmp_path / "out"
    output.mkdir()
    in_flight = output / f"{TMP_PREFIX}video.mp4"  # a live run's unfinished file
    in_flight.write_bytes(b"partial")
    args = {
        "batch": ["batch", "--config", str(DEMO_CONFIG), "--input", str(challenge_dir), "--output", str(output)],
        "generate": ["generate", "--config", str(DEMO_CONFIG), "--id-image", "builtin:grace_hopper", "--prompt", "A man waves.", "--output", str(output)],
        "decouple": ["decouple", "--config", str(DEMO_CONFIG), "--input", str(challenge_dir), "--output", str(output)],
        "evaluate": ["evaluate", "--videos", str(challenge_dir), "--references", str(challenge_dir), "--output", str(output)],
    }[verb]
    with OutputLock(output):
        done = subprocess.run([sys.executable, "-m", "stdt2v", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
    errors = [line for line in done.stderr.splitlines() if line.startswith("stdt2v: error:")]
    assert len(errors) == 1 and f"pid {os.getpid()}" in errors[0] and "--wait" in errors[0]
    assert in_flight.read_bytes() == b"partial"  # the startup cleanup left the live run's file alone
    assert sorted(p.name for p in output.iterdir()) == sorted([LOCK_FILE, in_flight.name])  # nothing written


def test_the_lock_file_names_its_holder_as_json(tmp_path):
    with OutputLock(tmp_path):
        text = (tmp_path / LOCK_FILE).read_text()
        assert set(json.loads(text)) == {"host", "pid", "since"} and time.strftime("%Y") in text
