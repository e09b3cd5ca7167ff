"""Opening corpus files, compressed or not, and writing them all-or-nothing.

``.gz`` is read and written with the standard library; ``.zst`` needs the
``zstandard`` package. A corpus file is written to a temporary name beside its
target and renamed only when complete, so an interrupted run never leaves a
truncated corpus under the final name.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

COMPRESSIONS = (".gz", ".zst")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)


def compression(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return suffix if suffix in COMPRESSIONS else None


def corpus_kind(path: Path) -> str | None:
    """``"jsonl"`` or ``"parquet"`` for a corpus file (by its name), else ``None``."""
    name = path.name.lower()
    for comp in ("", *COMPRESSIONS):
        if any(name.endswith(s + comp) for s in JSONL_SUFFIXES):
            return "jsonl"
    if any(name.endswith(s) for s in PARQUET_SUFFIXES):
        return "parquet"
    return None


def strip_corpus_suffix(path: Path) -> Path:
    """``out.jsonl.gz`` -> ``out`` (the stem reports are named after)."""
    name = path.name
    lower = name.lower()
    for comp in ("", *COMPRESSIONS):
        for suffix in (*JSONL_SUFFIXES, *PARQUET_SUFFIXES):
            if lower.endswith(suffix + comp):
                return path.with_name(name[: len(name) - len(suffix + comp)])
    return path.with_name(path.stem)


def _zstandard() -> object:
    try:
        import zstandard
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("reading or writing .zst needs the zstandard package") from exc
    return zstandard


def open_read(path: Path) -> IO[bytes]:
    """A binary reader that undoes the file's compression."""
    comp = compression(path)
    if comp == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    if comp == ".zst":
        zstd: object = _zstandard()
        raw = open(path, "rb")  # noqa: SIM115 - closed with the reader
        reader = zstd.ZstdDecompressor().stream_reader(raw, closefd=True)  # type: ignore[attr-defined]
        return io.BufferedReader(reader)
    return open(path, "rb")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def open_write(path: Path) -> Iterator[IO[bytes]]:
    """A binary writer compressing like ``path``'s suffix; renamed into place on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    raw = os.fdopen(fd, "wb")
    try:
        comp = compression(path)
        if comp == ".gz":
            # mtime=0 and no file name: the same input gives the same bytes.
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                yield gz  # type: ignore[misc]
        elif comp == ".zst":
            zstd: object = _zstandard()
            writer = zstd.ZstdCompressor().stream_writer(raw, closefd=False)  # type: ignore[attr-defined]
            yield writer
            writer.close()
        else:
            yield raw
        raw.flush()
        os.fsync(raw.fileno())
        raw.close()
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        raw.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
