"""decode: bytes to text.

Order of evidence: a byte-order mark; then strict UTF-8 (or UTF-8 whose only
flaws are cut-off multi-byte sequences); then candidates from charset-normalizer
plus the CJK codecs it tends to confuse (GB18030 for every GB flavour, Big5-HKSCS,
UTF-16 without a BOM), each decoded and scored on how much of it reads as
ordinary text. Bytes that cannot be decoded are dropped and recorded as changes
flagged "could not restore"; binary input raises :class:`BinaryInputError`.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from cleanse.core.document import Change, Document, Edit, apply_edits, escape_bytes
from cleanse.core.stage import Stage
from cleanse.lang.hanzi import text_quality
from cleanse.stages.mixed_encodings import decode_mixed, strict_utf8, utf8_lines_in_legacy


class BinaryInputError(ValueError):
    """The input is not text (NUL bytes, an image, an archive...)."""


BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"RIFF", "RIFF media file"),
)

# Codecs charset-normalizer reports for Chinese text, mapped to the superset we decode with.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "hz",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "ascii": "utf-8",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
}

ALWAYS_TRIED = ("gb18030", "big5hkscs")

_dropped = threading.local()


def _drop_and_record(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    spans: list[tuple[int, int]] = _dropped.spans
    if spans and spans[-1][1] == exc.start:
        spans[-1] = (spans[-1][0], exc.end)
    else:
        spans.append((exc.start, exc.end))
    return "", exc.end


codecs.register_error("cleanse-drop", _drop_and_record)


@dataclass
class Decoding:
    """One way of reading the bytes, and what it cost."""

    encoding: str
    text: str
    dropped: list[tuple[int, int]] = field(default_factory=list)
    offset: int = 0  # bytes skipped before decoding (a BOM)

    @property
    def dropped_bytes(self) -> int:
        return sum(end - start for start, end in self.dropped)


def decode_lossy(data: bytes, encoding: str, offset: int = 0) -> Decoding:
    """Decode, dropping undecodable byte runs and remembering where they were."""
    _dropped.spans = []
    try:
        text = data.decode(encoding, errors="cleanse-drop")
        spans = [(s + offset, e + offset) for s, e in _dropped.spans]
    finally:
        _dropped.spans = []
    return Decoding(encoding, text, spans, offset)


_MAGIC_PREFIXES = tuple(magic for magic, _ in MAGIC_NUMBERS)
_BOM_PREFIXES = tuple(bom for bom, _ in BOMS)


def _binary_kind(data: bytes) -> str | None:
    if not data.startswith(_MAGIC_PREFIXES):  # one test for the text nearly every input is
        return None
    for magic, kind in MAGIC_NUMBERS:
        if data.startswith(magic):
            return kind
    return None


def _is_truncated_utf8_tail(data: bytes, start: int) -> bool:
    """True when ``data[start:]`` is a UTF-8 lead byte plus too few continuation bytes."""
    tail = data[start:]
    if not tail or len(tail) > 3:
        return False
    lead = tail[0]
    need = (
        2
        if 0xC2 <= lead <= 0xDF
        else 3
        if 0xE0 <= lead <= 0xEF
        else 4
        if 0xF0 <= lead <= 0xF4
        else 0
    )
    return need > len(tail) and all(0x80 <= b <= 0xBF for b in tail[1:])


def _try_utf8(data: bytes) -> Decoding | None:
    """UTF-8, accepting only damage that looks like cut-off multi-byte sequences."""
    text = strict_utf8(data)
    if text is not None:
        return Decoding("utf-8", text)
    decoding = decode_lossy(data, "utf-8")
    multibyte = sum(1 for ch in decoding.text if ord(ch) > 0x7F)
    if len(decoding.dropped) == 1 and _is_truncated_utf8_tail(data, decoding.dropped[0][0]):
        return decoding
    # A text in a legacy codec has almost no valid multi-byte UTF-8 sequences;
    # UTF-8 with a few cut characters has many.
    if multibyte >= 10 * len(decoding.dropped) and decoding.dropped_bytes <= max(
        4, len(data) // 100
    ):
        return decoding
    return None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes where ASCII characters' high bytes would be."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > half * 0.2 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.2 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


def _charset_normalizer_guesses(data: bytes) -> list[tuple[str, float]]:
    from charset_normalizer import from_bytes

    guesses = []
    for match in list(from_bytes(data[:262144]))[:4]:
        name = codecs.lookup(match.encoding).name
        guesses.append((SUPERSETS.get(name, name), 1.0 - float(match.chaos)))
    return guesses


def _score(decoding: Decoding, size: int) -> float:
    return text_quality(decoding.text[:20000]) - 4.0 * decoding.dropped_bytes / max(size, 1)


def plain_utf8(data: bytes) -> str | None:
    """``data`` as text when it is valid UTF-8 with no byte-order mark, no NUL byte and
    no binary signature: what nearly every input is, and what :func:`choose_decoding`
    then picks with full confidence and nothing to record, without weighing the rest."""
    if data.startswith(_BOM_PREFIXES) or b"\x00" in data or _binary_kind(data) is not None:
        return None
    return strict_utf8(data)


def choose_decoding(data: bytes) -> tuple[Decoding, float]:
    """Pick the most plausible decoding of ``data`` and a confidence in [0, 1]."""
    if not data:
        return Decoding("utf-8", ""), 1.0
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return decode_lossy(data[len(bom) :], encoding, offset=len(bom)), 1.0
    kind = _binary_kind(data)
    if kind:
        raise BinaryInputError(f"binary input ({kind}), not text")
    if b"\x00" in data:
        # NUL bytes: UTF-16/32 without a BOM, or binary.
        wide = [_looks_utf16(data) or "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
        best = max(
            (decode_lossy(data, name) for name in dict.fromkeys(wide)),
            key=lambda d: _score(d, len(data)),
        )
        if _score(best, len(data)) > 0.9:
            return best, 0.95
        raise BinaryInputError("binary input (contains NUL bytes), not text")
    utf8 = _try_utf8(data)
    if utf8 is not None:
        return utf8, 1.0 if not utf8.dropped else 0.9

    guesses = _charset_normalizer_guesses(data)
    candidates = [name for name, _ in guesses]
    candidates += [c for c in ALWAYS_TRIED if c not in candidates]
    if len(data) % 2 == 0:
        candidates += ["utf-16-le", "utf-16-be"]
    scored: list[tuple[float, int, Decoding]] = []
    for rank, name in enumerate(candidates):
        try:
            decoding = decode_lossy(data, name)
        except LookupError:
            continue
        scored.append((_score(decoding, len(data)), -rank, decoding))
    if not scored:
        return decode_lossy(data, "utf-8"), 0.0
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    best_score, _, best = scored[0]
    margin = best_score - scored[1][0] if len(scored) > 1 else 1.0
    confidence = max(0.0, min(1.0, best_score)) * (0.5 + 0.5 * min(1.0, margin * 5))
    return best, round(confidence, 3)


# (Written class-first, "[x][x]*" not "[x]+": the engine then skips to where the
# class matches instead of trying a repeat at every position.)
LONE_SURROGATES = re.compile(r"[\ud800-\udfff][\ud800-\udfff]*")


def _drop_lone_surrogates(stage: str, doc: Document) -> Document:
    """Text given as ``str`` may hold lone surrogates (from ``surrogateescape`` or
    broken UTF-16); they are not characters, no later stage can rely on them and
    they cannot be written as UTF-8. Offsets of these records are into that text."""
    if doc.raw is not None or not LONE_SURROGATES.search(doc.text):
        return doc
    edits = [
        Edit(
            m.start(),
            m.end(),
            "",
            "lone surrogate code points (not characters) dropped",
            unresolved=True,
        )
        for m in LONE_SURROGATES.finditer(doc.text)
    ]
    text, changes = apply_edits(stage, doc.text, edits)
    return doc.with_changes(text, changes)


class DecodeStage(Stage):
    """Bytes to text: BOM, UTF-8, CJK-aware detection; cut-off sequences dropped."""

    name = "decode"
    description = (
        "bytes to text: BOM, strict UTF-8, then GB18030/Big5/UTF-16/... chosen by "
        "plausibility; cut-off multi-byte sequences dropped and reported"
    )

    def process(self, doc: Document) -> Document:
        if not doc.needs_decoding:
            return _drop_lone_surrogates(self.name, doc)
        assert doc.raw is not None
        plain = plain_utf8(doc.raw)
        if plain is not None:
            return doc.with_decoding(plain, "utf-8", 1.0)
        mixed = self._mixed(doc.raw)
        if mixed is not None:
            return mixed(doc)
        decoding, confidence = choose_decoding(doc.raw)
        with_utf8 = (
            None if decoding.offset else utf8_lines_in_legacy(doc.raw, decoding.encoding, self.name)
        )
        if with_utf8 is not None:
            text, found = with_utf8
            return doc.with_decoding(text, decoding.encoding, confidence, found)
        changes = self.records(doc.raw, decoding)
        return doc.with_decoding(decoding.text, decoding.encoding, confidence, changes)

    def _mixed(self, raw: bytes) -> Callable[[Document], Document] | None:
        """UTF-8 with passages in another codec (see :mod:`mixed_encodings`)."""
        if raw.startswith(_BOM_PREFIXES) or _binary_kind(raw):
            return None
        found = decode_mixed(raw, self.name)
        if found is None:
            return None
        text, changes = found

        def apply(doc: Document) -> Document:
            return doc.with_decoding(text, "utf-8", 0.8, changes)

        return apply

    def records(self, raw: bytes, decoding: Decoding) -> list[Change]:
        """The change records of reading ``raw`` as ``decoding``: a removed BOM, dropped bytes."""
        changes: list[Change] = []
        if decoding.offset:
            changes.append(
                Change(
                    stage=self.name,
                    start=0,
                    end=decoding.offset,
                    before=escape_bytes(raw[: decoding.offset]),
                    after="",
                    reason=f"byte-order mark of {decoding.encoding} removed",
                    out_start=0,
                )
            )
        if decoding.dropped:
            changes.extend(self._dropped_changes(raw, decoding))
        return changes

    def _dropped_changes(self, raw: bytes, decoding: Decoding) -> list[Change]:
        # Re-decode piece by piece to learn where each dropped run sits in the text.
        changes = []
        out_pos = 0
        cursor = decoding.offset
        for start, end in decoding.dropped:
            out_pos += len(raw[cursor:start].decode(decoding.encoding, errors="ignore"))
            at_end = end >= len(raw)
            changes.append(
                Change(
                    stage=self.name,
                    start=start,
                    end=end,
                    before=escape_bytes(raw[start:end]),
                    after="",
                    reason=(
                        f"incomplete {decoding.encoding} sequence "
                        f"{'cut off at the end of the input' if at_end else 'in the middle of the input'}"
                        " dropped"
                    ),
                    confidence=1.0,
                    unresolved=True,
                    out_start=out_pos,
                )
            )
            cursor = end
        return changes
