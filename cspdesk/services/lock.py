"""A lock file beside an SQLite database (``<file>.lock``) naming who has it open for writing.

The lock is advisory: it lets a second copy of cspdesk (another window, another laptop on a
shared drive) tell its user who has the file open and offer read-only instead of silently
writing over each other. A lock left by a process that no longer runs on this machine is
taken over silently. Server databases need no lock file (row versions guard them).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import logging
import os
import socket
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import ReadOnlyDatabaseError, UserError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LockInfo:
    """Who holds a lock."""

    user: str
    machine: str
    pid: int
    since: str  # ISO date and time

    def describe(self) -> str:
        """"Opened by jo on LAPTOP-1 since 20 Feb 2020 09:00"."""
        try:
            when = dt.datetime.fromisoformat(self.since).strftime("%d %b %Y %H:%M")
        except ValueError:
            when = self.since
        return f"Opened by {self.user} on {self.machine} since {when}"


class DatabaseLockedError(UserError):
    """Another running copy of cspdesk has the database open for writing."""

    def __init__(self, path: Path, holder: LockInfo) -> None:
        super().__init__(
            f"{path.name} is already open. {holder.describe()}. "
            "Open it read-only, or ask them to close it and try again.")
        self.path = path
        self.holder = holder


def lock_path(db_path: Path) -> Path:
    """The lock file of an SQLite database file."""
    return db_path.with_name(db_path.name + ".lock")


def machine_name() -> str:
    return socket.gethostname() or "unknown"


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (never signals it)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_lock(db_path: Path) -> LockInfo | None:
    """The current holder, or None (no lock, or a lock file that cannot be read)."""
    try:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        return LockInfo(str(data["user"]), str(data["machine"]), int(data["pid"]),
                        str(data["since"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("unreadable lock file %s", lock_path(db_path))
        return None


def is_stale(holder: LockInfo) -> bool:
    """A lock is stale when it names this machine and its process has gone."""
    return holder.machine == machine_name() and not pid_alive(holder.pid)


class DatabaseLock:
    """A held lock; ``release()`` (or leaving a ``with`` block) removes the file."""

    def __init__(self, db_path: Path, info: LockInfo) -> None:
        self.db_path = db_path
        self.info = info

    def release(self) -> None:
        """Remove the lock file if it is still ours."""
        if read_lock(self.db_path) == self.info:
            lock_path(self.db_path).unlink(missing_ok=True)

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def acquire(db_path: Path, user: str, *, force: bool = False) -> DatabaseLock:
    """Take the lock of ``db_path`` or raise DatabaseLockedError naming the holder.

    A stale lock, an unreadable lock file, a lock held by this same process, or ``force``
    (the user chose to open anyway) replaces the existing file.
    """
    path = lock_path(db_path)
    info = LockInfo(user, machine_name(), os.getpid(), clock.now().isoformat(timespec="seconds"))
    payload = json.dumps(asdict(info))
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = read_lock(db_path)
            mine = holder is not None and holder.pid == os.getpid() \
                and holder.machine == info.machine
            if holder is None or mine or force or is_stale(holder):
                if holder is not None and not mine:
                    log.info("taking over lock of %s from %s", db_path, holder)
                path.unlink(missing_ok=True)
                continue
            raise DatabaseLockedError(db_path, holder) from None
        except OSError as exc:
            raise ReadOnlyDatabaseError(
                f"cspdesk cannot create {path.name} beside the database ({exc.strerror}). "
                "Open it read-only, or copy it to a folder you can write to.") from exc
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        return DatabaseLock(db_path, info)
    raise UserError(f"cspdesk could not take {path.name}; another copy keeps taking it. "
                    "Try again in a moment.")


#: locks this process holds, by database file; released by ``release_all`` on exit
HELD: dict[Path, DatabaseLock] = {}


def current_user() -> str:
    """The login name recorded in the lock file."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some service accounts
        return os.environ.get("USERNAME", "unknown")


def sqlite_file(url: str) -> Path | None:
    """The SQLite file a URL names, or None for a server or in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser().absolute()


def open_for_writing(url: str, *, force: bool = False, backup: bool = True) -> Database:
    """Take the lock of an SQLite file (before any migration), open it, make the daily backup.

    The lock stays in ``HELD`` until ``release_all()``, also across a restore that disposes
    and reopens the engine. Raises DatabaseLockedError when another running copy has it.
    """
    from cspdesk.services.backup import daily_backup
    from cspdesk.services.database import open_database

    path = sqlite_file(url)
    taken = None
    if path is not None and path not in HELD and path.parent.is_dir() \
            and os.access(path.parent, os.W_OK):
        taken = acquire(path, current_user(), force=force)
    try:
        db = open_database(url)
    except BaseException:
        if taken is not None:
            taken.release()
        raise
    if taken is not None:
        HELD[path] = taken
    if backup:
        daily_backup(db)
    return db


def release_all() -> None:
    """Release every lock this process holds (on exit)."""
    while HELD:
        _path, held = HELD.popitem()
        held.release()
