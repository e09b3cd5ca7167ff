"""Finding the documents to clean."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class InputFile:
    """A file to clean and where its output goes, relative to the output folder."""

    path: Path
    relative: PurePosixPath
    problem: str | None = None  # set when the entry cannot be read as a file


def _safe_name(name: str) -> str:
    # File names that are not valid UTF-8 arrive as surrogate escapes; keep them
    # distinct but printable in reports and output names.
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop: the link points back to itself"
    return f"cannot read: {exc.strerror}"


def _walk(root: Path, prefix: PurePosixPath) -> Iterator[InputFile]:
    seen_dirs: set[tuple[int, int]] = set()

    def visit(folder: Path, rel: PurePosixPath) -> Iterator[InputFile]:
        try:
            st = folder.stat()
        except OSError as exc:
            yield InputFile(folder, rel, f"cannot read folder: {exc.strerror}")
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            yield InputFile(folder, rel, "symlink loop: folder already visited")
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield InputFile(folder, rel, f"cannot read folder: {exc.strerror}")
            return
        for entry in entries:
            child_rel = rel / _safe_name(entry.name)
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    yield from visit(path, child_rel)
                elif entry.is_file():
                    yield InputFile(path, child_rel)
                elif entry.is_symlink():
                    yield InputFile(path, child_rel, "broken symlink")
                else:  # never read a FIFO (it would block) or a device
                    yield InputFile(path, child_rel, "not a regular file (FIFO, socket or device)")
            except OSError as exc:
                yield InputFile(path, child_rel, _os_problem(exc))

    yield from visit(root, prefix)


def discover(paths: Sequence[Path]) -> Iterator[InputFile]:
    """Every file under ``paths``, in a stable order, with its relative output name.

    With one input folder, outputs mirror the tree below it; with several
    inputs, each keeps its own name as the first path component.
    """
    several = len(paths) > 1
    for path in paths:
        prefix = PurePosixPath(_safe_name(path.name)) if several else PurePosixPath()
        if path.is_dir():
            yield from _walk(path, prefix)
        elif path.is_file():
            yield InputFile(path, PurePosixPath(_safe_name(path.name)))
        elif path.is_symlink():
            yield InputFile(path, PurePosixPath(_safe_name(path.name)), "broken symlink")
        elif path.exists():
            yield InputFile(
                path,
                PurePosixPath(_safe_name(path.name)),
                "not a regular file (FIFO, socket or device)",
            )
        else:
            yield InputFile(path, PurePosixPath(_safe_name(path.name)), "no such file or folder")
