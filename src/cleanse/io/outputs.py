"""Where outputs go, and writing them safely."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


class OutputLocationError(ValueError):
    """The chosen output location would write into the inputs."""


# Temporary files carry this suffix so a later run can tell its own leftovers
# (from a process killed with SIGKILL) from the user's files.
TEMP_SUFFIX = ".cleanse-tmp"


def default_output_dir(inputs: Sequence[Path]) -> Path:
    """``seeds/`` -> ``seeds.clean/`` beside it; ``a.txt`` -> ``a.clean/`` beside it."""
    first = inputs[0].resolve()
    stem = first.name if first.is_dir() else first.stem
    return first.parent / f"{stem}.clean"


def check_output_dir(output: Path, inputs: Sequence[Path]) -> None:
    """Refuse an output folder that is an input folder, lies inside one, or is an input file.

    Paths are compared after resolving symlinks and ``..``, so ``-o .`` from
    inside the input folder, a relative path or a symlink to the input folder
    are caught too. An output folder that contains an input is refused as well:
    the outputs would mix with the user's files and a later run would read them.
    """
    out = output.resolve()
    for item in inputs:
        src = item.resolve()
        if src.is_dir() and (out == src or src in out.parents):
            raise OutputLocationError(
                f"output folder {output} is inside the input folder {item}; "
                "choose another with -o (inputs are never overwritten)"
            )
        if src.is_file() and out == src:
            raise OutputLocationError(f"output folder {output} is the input file {item}")
        if out in src.parents:
            raise OutputLocationError(
                f"output folder {output} contains the input {item}; "
                "choose a folder outside the inputs with -o"
            )


def prepare_output_dir(output: Path) -> None:
    """Create the output folder, or say clearly why it cannot be used."""
    if output.exists() and not output.is_dir():
        raise OutputLocationError(f"output folder {output} exists and is not a folder")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputLocationError(
            f"cannot create output folder {output}: {exc.strerror or exc}"
        ) from exc
    if not os.access(output, os.W_OK | os.X_OK):
        raise OutputLocationError(f"output folder {output} is not writable")


def _default_mode() -> int:
    # mkstemp creates 0600 files; outputs get the usual permissions (0666 minus umask).
    # Reading the umask means setting it, so it is read once.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_DEFAULT_MODE = _default_mode()


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The temporary file is flushed and fsynced, then renamed over ``path``; the
    rename is atomic, so an interrupted run leaves either the old file or the
    new one, never a partial file. ``mode`` sets the permissions (default: as
    a new file would get).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # A shortened name keeps the temporary name within the file system's limit
    # (255 bytes) when the output's own name is close to it.
    tmp: str | None = None
    try:
        # Inside the try: an interrupt right after the file is made still removes it.
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name[:40]}.", suffix=TEMP_SUFFIX, dir=path.parent
        )
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), _DEFAULT_MODE if mode is None else mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
