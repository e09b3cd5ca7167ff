"""Build hook: compile the hot pure-Python modules with mypyc, where a compiler is.

The modules listed under ``[tool.hatch.build.hooks.custom]`` in pyproject.toml
(where the heavy-damage time goes: the gateway search and the segmentation
model above all) are compiled from the same typed source; the source stays the reference
and is what runs wherever compiling is not possible. A failed compile (no C
compiler, no Python headers, an unsupported interpreter) is a warning, not a
failed install. ``CLEANSE_PURE_PYTHON=1`` skips compiling.

The extension modules are built in place, beside their sources under ``src/``,
so that an editable install and ``pytest`` (``pythonpath = src``) import them;
a wheel takes them in as well. ``src/cleanse/native.json`` records the hash of
each compiled source: once one of them is edited, :mod:`cleanse.native` imports
them all from source, so a stale build never runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

GROUP = "cleanse_native"  # name of the shared library mypyc builds for the group
MANIFEST = "cleanse/native.json"

_COMPILE = """
import sys
from setuptools import setup
from mypyc.build import mypycify

build_temp, *args = sys.argv[1:]
setup(
    name="cleanse-native",
    ext_modules=mypycify(args, opt_level="3", group_name="{group}"),
    script_args=["build_ext", "--inplace", "--build-temp", build_temp],
)
"""


def _source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _built(src: Path) -> list[Path]:
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    return sorted(p for p in src.rglob(f"*{suffix}"))


def clear(src: Path) -> None:
    """Remove what an earlier compile left in the source tree."""
    for path in _built(src):
        path.unlink()
    (src / MANIFEST).unlink(missing_ok=True)


def compile_modules(root: Path, modules: list[str]) -> list[Path]:
    """Compile ``modules`` (dotted names under ``src/``) in place; the files built.

    Raises ``RuntimeError`` with mypyc's output when the compile fails.
    """
    src = root / "src"
    clear(src)
    paths = [str(Path(*name.split(".")).with_suffix(".py")) for name in modules]
    with tempfile.TemporaryDirectory() as build_temp:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _COMPILE.format(group=GROUP),
                build_temp,
                "--config-file",
                str(root / "pyproject.toml"),
                "--cache-dir",
                str(Path(build_temp) / "mypy-cache"),
                *paths,
            ],
            cwd=src,
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        clear(src)
        raise RuntimeError((done.stdout + done.stderr)[-4000:])
    shutil.rmtree(src / "build", ignore_errors=True)
    manifest = {name: _source_hash(src / path) for name, path in zip(modules, paths, strict=True)}
    (src / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", "utf-8")
    return _built(src)


class NativeBuildHook(BuildHookInterface):  # type: ignore[misc]
    """Compiles the configured modules for wheel and editable builds."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        modules = list(self.config.get("modules", []))
        if not modules:
            return
        if os.environ.get("CLEANSE_PURE_PYTHON") == "1":
            clear(root / "src")
            self.app.display_info("cleanse: CLEANSE_PURE_PYTHON=1, modules not compiled")
            return
        try:
            built = compile_modules(root, modules)
        except (RuntimeError, OSError) as error:
            self.app.display_warning(
                "cleanse: compiling the hot modules with mypyc failed; "
                f"installing them as pure Python (same results, slower):\n{error}"
            )
            return
        self.app.display_info(f"cleanse: compiled {', '.join(modules)} with mypyc")
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            src = root / "src"
            for path in [*built, src / MANIFEST]:
                build_data["force_include"][str(path)] = str(path.relative_to(src))
