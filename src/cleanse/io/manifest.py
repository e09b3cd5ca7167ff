"""The run manifest behind ``--resume``.

A journal in the output folder, ``.cleanse-manifest.jsonl``: a header line (manifest
version, cleanse version, stages, options, size limit) and one line per
document, appended and fsynced as soon as the document is done. Each line
holds the input's path, size, modification time and SHA-256, the SHA-256 of
the output written, and the document's full report entry.

A resumed run reuses a document's line when the header matches, the input
still has the same size, time and hash, and the output is still there with the
same hash; every other document is cleaned again. Because the lines keep the
full report entries, the report after a resume covers every document.

A line cut short by a killed process is ignored when the journal is read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cleanse import __version__
from cleanse.core.document import Change
from cleanse.io.outputs import atomic_write
from cleanse.io.report import FileReport

MANIFEST_NAME = ".cleanse-manifest.jsonl"
MANIFEST_VERSION = 1
# Reports of these statuses depend only on the input and the options, so they can be reused;
# a failure (unreadable file, an error) is always tried again.
REUSABLE = ("cleaned", "unchanged", "skipped")


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a file's content cheaply (size, time) and surely (hash)."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path, max_bytes: int | None = None) -> Fingerprint:
        """Stat and hash ``path``; a file over ``max_bytes`` is not read (no hash)."""
        st = path.stat()
        if max_bytes is not None and st.st_size > max_bytes:
            return cls(st.st_size, st.st_mtime_ns, "")
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return cls(st.st_size, st.st_mtime_ns, digest.hexdigest())


def header(stages: list[str], options: Mapping[str, Any], max_bytes: int) -> dict[str, Any]:
    """The part of the manifest a resumed run must match exactly."""
    return {
        "manifest": MANIFEST_VERSION,
        "cleanse_version": __version__,
        "stages": list(stages),
        "options": json.loads(json.dumps(options, sort_keys=True, default=str)),
        "max_bytes": max_bytes,
    }


def _key(path: Path) -> str:
    return os.path.abspath(path)


def _report_from_dict(data: Mapping[str, Any]) -> FileReport:
    if "documents" in data:  # a corpus file or a streamed text file: counts, not changes
        from cleanse.corpus import CorpusFileReport  # (the corpus layer sits above io)

        return CorpusFileReport.from_dict(dict(data))
    names = {f.name for f in dataclasses.fields(FileReport)}
    fields = {k: v for k, v in data.items() if k in names and k != "changes"}
    return FileReport(**fields, changes=[Change.from_dict(c) for c in data.get("changes", [])])


@dataclass
class Entry:
    """One document's line in the manifest."""

    input: str
    fingerprint: Fingerprint | None
    output_sha256: str | None
    report: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(
            {
                "input": self.input,
                "fingerprint": dataclasses.asdict(self.fingerprint) if self.fingerprint else None,
                "output_sha256": self.output_sha256,
                "report": self.report,
            },
            ensure_ascii=True,  # keeps file names that are not valid UTF-8 (lone surrogates)
        )

    @classmethod
    def from_json(cls, line: str) -> Entry:
        data = json.loads(line)
        fp = data.get("fingerprint")
        return cls(
            input=data["input"],
            fingerprint=Fingerprint(**fp) if fp else None,
            output_sha256=data.get("output_sha256"),
            report=data["report"],
        )


class Manifest:
    """The journal of one run, and what an earlier run left in it."""

    def __init__(self, output_dir: Path, head: dict[str, Any]) -> None:
        self.path = output_dir / MANIFEST_NAME
        self.head = head
        self.previous: dict[str, Entry] = {}
        self.current: dict[str, Entry] = {}
        self.note: str | None = None
        self._fh: IO[str] | None = None

    def load_previous(self) -> None:
        """Read the journal an earlier run left (for ``--resume``)."""
        if not self.path.exists():
            self.note = "no manifest from an earlier run: cleaning everything"
            return
        lines = self.path.read_text("utf-8", errors="replace").splitlines()
        try:
            old_head = json.loads(lines[0]) if lines else None
        except json.JSONDecodeError:
            old_head = None
        if old_head != self.head:
            self.note = (
                "the earlier run used another cleanse version, stages or options: "
                "cleaning everything again"
            )
            return
        for line in lines[1:]:
            try:
                entry = Entry.from_json(line)
            except (json.JSONDecodeError, KeyError, TypeError):
                continue  # a line cut short by a killed run
            self.previous[entry.input] = entry

    def start(self) -> None:
        """Begin this run's journal, carrying over the earlier run's usable lines.

        They are carried over so that a resumed run that is interrupted again
        loses nothing the first run did.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.head) + "\n"
        text += "".join(e.to_json() + "\n" for e in self.previous.values())
        atomic_write(self.path, text.encode("utf-8"))
        self._fh = self.path.open("a", encoding="utf-8")

    def reusable(self, path: Path, output_dir: Path) -> tuple[FileReport, Fingerprint] | None:
        """The earlier report of ``path`` if input and output are unchanged since."""
        entry = self.previous.get(_key(path))
        if entry is None or entry.fingerprint is None:
            return None
        if entry.report.get("status") not in REUSABLE:
            return None
        try:
            st = path.stat()
            if (st.st_size, st.st_mtime_ns) != (entry.fingerprint.size, entry.fingerprint.mtime_ns):
                return None
            now = Fingerprint.of(path, self.head.get("max_bytes"))
        except OSError:
            return None
        if now != entry.fingerprint:
            return None
        output = entry.report.get("output")
        if output is not None and entry.output_sha256 is not None:
            target = output_dir / output
            try:
                digest = hashlib.sha256(target.read_bytes()).hexdigest()
            except OSError:
                return None
            if digest != entry.output_sha256:
                return None
        return _report_from_dict(entry.report), now

    def add(
        self,
        path: Path,
        report: FileReport,
        fingerprint: Fingerprint | None,
        output: bytes | None = None,
        output_sha256: str | None = None,
    ) -> None:
        """Journal one finished document (durably: a later kill does not lose it)."""
        if output is not None:
            output_sha256 = hashlib.sha256(output).hexdigest()
        entry = Entry(_key(path), fingerprint, output_sha256, report.to_dict())
        self.current[entry.input] = entry
        if self._fh is not None:
            self._fh.write(entry.to_json() + "\n")
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def output_sha256(self, path: Path) -> str | None:
        entry = self.previous.get(_key(path))
        return entry.output_sha256 if entry else None

    def finish(self, complete: bool) -> None:
        """Close the journal; after a complete run keep only this run's documents."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if complete:
            text = json.dumps(self.head) + "\n"
            text += "".join(e.to_json() + "\n" for e in self.current.values())
            atomic_write(self.path, text.encode("utf-8"))
