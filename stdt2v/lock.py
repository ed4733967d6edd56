"""One run per output folder: an advisory lock file holding the host and PID of its holder.

The lock is ``fcntl.flock`` on ``<output>/.stdt2v.lock``: the kernel releases it when the
holding process dies, however it dies, so a lock is never left behind by a crash. The file's
text (host, PID, start time) says who holds it; text left by a run that died is stale and is
taken over with a warning. ``flock`` is reliable on local file systems; on network file
systems it depends on the server (NFSv4 supports it).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import socket
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from stdt2v.errors import InputError

if TYPE_CHECKING:
    from accelerate import PartialState

logger = logging.getLogger(__name__)

LOCK_FILE = ".stdt2v.lock"


class OutputLock:
    """``with OutputLock(folder):`` holds ``folder`` for this run; a second run gets one line
    (``InputError``, exit 2) naming the holder, or waits with ``wait=True``."""

    def __init__(self, folder: str | Path, *, wait: bool = False, what: str = "--output", poll_seconds: float = 2.0):
        self.path = Path(folder) / LOCK_FILE
        self.wait, self.what, self.poll_seconds = wait, what, poll_seconds
        self._fd: int | None = None

    def acquire(self) -> OutputLock:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as err:  # a folder, a dangling link, a FIFO or a file we may not write
            raise InputError(
                f"{self.what}: the lock file {self.path} cannot be opened ({err.strerror or type(err).__name__}); "
                f"remove it (it must be a plain file, or absent) or choose another folder"
            ) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise InputError(f"{self.what}: the lock file {self.path} is not a regular file; remove it or choose another folder")
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if not self.wait:
                    os.close(fd)
                    raise InputError(
                        f"{self.what}: {self.path.parent} is in use by another run ({describe(read_holder(self.path))}); "
                        "wait for it to finish, pass --wait, or choose another folder"
                    ) from None
                if not waited:
                    logger.warning("%s: %s is in use by %s; waiting for it (--wait)", self.what, self.path.parent, describe(read_holder(self.path)))
                    waited = True
                time.sleep(self.poll_seconds)
        stale = read_holder(self.path)
        if stale:
            logger.warning("%s: taking over the lock of a run that ended without releasing it (%s)", self.what, describe(stale))
        holder = {"host": socket.gethostname(), "pid": os.getpid(), "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)  # empty: released cleanly (non-empty text after a death is stale)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def read_holder(path: Path) -> dict:
    """The holder recorded in a lock file ({} when none, or unreadable)."""
    try:
        text = path.read_text()
        return json.loads(text) if text.strip() else {}
    except (OSError, ValueError):
        return {}


def describe(holder: dict) -> str:
    if not holder:
        return "holder unknown"
    return f"host {holder.get('host', '?')}, pid {holder.get('pid', '?')}, since {holder.get('since', '?')}"


@contextlib.contextmanager
def output_lock(folder: str | Path, *, wait: bool = False, state: PartialState | None = None, what: str = "--output") -> Iterator[OutputLock | None]:
    """Hold ``folder`` for the duration of a run. Under ``accelerate launch`` (``state``: its
    ``PartialState``) the main process takes the lock and the others share it: they learn
    whether it was taken and fail with the same line if not."""
    lock, error = None, None
    if state is None or state.is_main_process:
        try:
            lock = OutputLock(folder, wait=wait, what=what).acquire()
        except InputError as err:
            error = str(err)
    if state is not None and state.num_processes > 1:
        from accelerate.utils import broadcast_object_list

        error = broadcast_object_list([error])[0]
    if error:
        raise InputError(error)
    try:
        yield lock
    finally:
        if lock is not None:
            lock.release()
