"""Where outputs go, and writing them safely."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


class OutputLocationError(ValueError):
    """The chosen output location would write into the inputs."""


def default_output_dir(inputs: Sequence[Path]) -> Path:
    """``seeds/`` -> ``seeds.clean/`` beside it; ``a.txt`` -> ``a.clean/`` beside it."""
    first = inputs[0].resolve()
    stem = first.name if first.is_dir() else first.stem
    return first.parent / f"{stem}.clean"


def check_output_dir(output: Path, inputs: Sequence[Path]) -> None:
    """Refuse an output folder that is an input folder, lies inside one, or is an input file."""
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


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The rename is atomic, so an interrupted run leaves either the old file or
    the new one, never a partial file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
