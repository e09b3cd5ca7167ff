"""Keeping the user's data safe: interruptions, leftovers, in-place editing.

- :func:`catch_signals` turns SIGINT and SIGTERM into :class:`Interrupted`, an
  exception raised in the main thread, so a run stops between two steps of
  its own, removes its temporary file and still writes what it did.
- :func:`remove_stale_temp_files` deletes the temporary files a run killed with
  SIGKILL (which no program can catch) left behind; they carry our suffix.
- :func:`write_in_place` replaces an input file by its cleaned text after
  keeping the original as ``NAME.orig``; an existing backup is never replaced.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from cleanse.io.outputs import TEMP_SUFFIX, atomic_write

# Exit status of a run stopped by a signal: the shell convention 128 + signal number.
EXIT_INTERRUPTED_SIGINT = 128 + signal.SIGINT  # 130
EXIT_INTERRUPTED_SIGTERM = 128 + signal.SIGTERM  # 143

BACKUP_SUFFIX = ".orig"


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal (Ctrl-C, SIGTERM)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class BackupExistsError(FileExistsError):
    """An in-place edit would replace an earlier backup."""


@contextlib.contextmanager
def catch_signals() -> Iterator[None]:
    """Raise :class:`Interrupted` on SIGINT or SIGTERM inside the ``with`` block.

    Outside the main thread signal handlers cannot be set; the block then runs
    with the handlers the program already has.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def signals_deferred() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM back while the block runs (writing the final report).

    The signals that arrived are listed in the yielded list; they do not
    interrupt the block.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Finish the block before a signal stops the run, then raise :class:`Interrupted`.

    Used around the few quick steps that must happen together (write a
    document's output, journal it, list it in the report), so that an output
    never exists that the report does not list.
    """
    with signals_deferred() as received:
        yield
    if received:
        raise Interrupted(received[0])


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Delete temporary files an earlier, killed run left under ``folder``."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.rglob(f".*{TEMP_SUFFIX}"):
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def is_backup(path: Path) -> bool:
    return path.name.endswith(BACKUP_SUFFIX)


def write_in_place(path: Path, original: bytes, cleaned: bytes) -> Path:
    """Keep ``original`` as ``path.orig``, then replace ``path`` by ``cleaned``.

    Raises :class:`BackupExistsError` (and changes nothing) when the backup
    already exists, and ``RuntimeError`` when the file changed on disk since it
    was read. Both writes are atomic, so an interruption leaves the input
    either untouched or cleaned, with its backup beside it.
    """
    backup = backup_path(path)
    if backup.exists() or backup.is_symlink():
        raise BackupExistsError(
            f"backup {backup.name} already exists (from an earlier in-place run); "
            "move it away to clean this file again"
        )
    mode = path.stat().st_mode & 0o7777
    if path.read_bytes() != original:
        raise RuntimeError(f"{path.name} changed on disk while it was being cleaned")
    atomic_write(backup, original, mode=mode)
    atomic_write(path, cleaned, mode=mode)
    return backup
