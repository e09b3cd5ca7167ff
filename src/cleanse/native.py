"""Which modules run compiled, and a guard against a stale compiled build.

Installing cleanse where a C compiler is compiles its hot modules with mypyc
(``tools/hatch_native.py``); ``native.json`` beside this file records the hash
of each compiled source. The source is the reference: once a source no longer
matches (edited in a checkout since it was compiled), every compiled module is
imported from its source instead, so an edit always takes effect.
``CLEANSE_PURE_PYTHON=1`` in the environment imports every one of them from
source (to compare, or to debug). :func:`compiled` names the modules that run
compiled, for ``cleanse --version`` and the benchmarks.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from functools import lru_cache
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

_PACKAGE = Path(__file__).resolve().parent
_MANIFEST = _PACKAGE / "native.json"


def _source_of(name: str) -> Path:
    return _PACKAGE.parent.joinpath(*name.split(".")).with_suffix(".py")


def _extension_of(name: str) -> Path | None:
    stem = _source_of(name).with_suffix("")
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = stem.with_name(stem.name + suffix)
        if candidate.exists():
            return candidate
    return None


@lru_cache(maxsize=1)
def _manifest() -> dict[str, str]:
    try:
        data = json.loads(_MANIFEST.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def _stale() -> frozenset[str]:
    """Compiled modules to import from source: every one, once any source has changed
    since they were compiled, or under ``CLEANSE_PURE_PYTHON=1``.

    All or none: the modules are compiled as one group, whose functions call one
    another directly, so one module run from source would not reach the others'
    calls into it.
    """
    every = frozenset(name for name in _manifest() if _source_of(name).exists())
    if os.environ.get("CLEANSE_PURE_PYTHON") == "1":
        return every
    for name, digest in _manifest().items():
        source = _source_of(name)
        if _extension_of(name) is None or not source.exists():
            continue
        if hashlib.sha256(source.read_bytes()).hexdigest() != digest:
            return every
    return frozenset()


class _SourceFirst:
    """A meta path finder that imports the named modules from their ``.py`` source."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        source = _source_of(fullname)
        loader = importlib.machinery.SourceFileLoader(fullname, str(source))
        return importlib.util.spec_from_file_location(fullname, source, loader=loader)


def guard() -> None:
    """Import stale compiled modules from their source (called once, on import of cleanse)."""
    stale = _stale()
    if stale and not any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst(stale))


def compiled() -> list[str]:
    """The modules that run compiled in this process (imported or not yet)."""
    names = []
    for name in sorted(_manifest()):
        module = sys.modules.get(name)
        if module is not None:
            if not str(getattr(module, "__file__", "")).endswith(".py"):
                names.append(name)
        elif _extension_of(name) is not None and name not in _stale():
            names.append(name)
    return names


def describe() -> str:
    """How this install runs, for ``cleanse --version``: what is compiled, or pure Python."""
    names = compiled()
    if not names:
        return "pure Python"
    return f"{len(names)} of {len(_manifest())} hot modules compiled with mypyc"
