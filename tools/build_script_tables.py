"""Derive the script-detection markers shipped in ``src/cleanse/data`` from OpenCC.

Run after upgrading the ``opencc`` package: ``python tools/build_script_tables.py``.
It dumps OpenCC's own dictionaries with the ``opencc_dict`` tool the package
ships and writes ``script_markers.tsv`` (deterministic, sorted), so a diff of
that file shows what an upgrade changed.

Kinds written (one ``kind<TAB>text`` per line):

- ``hant``: characters only traditional text uses (OpenCC t2s always converts them);
- ``hans``: characters only simplified text uses (s2t always converts them);
- ``tw-form`` / ``std-form``: Taiwan variant forms (`為`, `裡`, `啟`) and the forms
  OpenCC's standard traditional uses instead (`爲`, `裏`, `啓`, `着`);
- ``hk-form`` / ``hk-std``: Hong Kong variant forms (`説`, `衞`) and the
  standard forms they replace (`說`, `衛`);
- ``tw-term`` / ``cn-term``: Taiwan vocabulary (`影片`, `軟體`) and the mainland
  terms (in traditional script) it replaces (`視頻`, `軟件`);
- ``t2s-char``: every character OpenCC's t2s changes on its own (`這`);
- ``t2s-phrase``: every phrase t2s changes whose characters it leaves alone one
  by one (`捏坏` -> `捏坯`): a text with neither is its own simplified form,
  which spares an OpenCC call on simplified text.
"""

from __future__ import annotations

import pathlib
import subprocess
import tempfile

import opencc

DATA = pathlib.Path(__file__).resolve().parent.parent / "src" / "cleanse" / "data"
CLIB = pathlib.Path(opencc.__file__).resolve().parent / "clib"


def load_dictionary(name: str, workdir: pathlib.Path) -> dict[str, list[str]]:
    """One OpenCC dictionary as {key: [values...]}, dumped from its .ocd2 file."""
    source = CLIB / "share" / "opencc" / f"{name}.ocd2"
    target = workdir / f"{name}.txt"
    tool = str(CLIB / "bin" / "opencc_dict")
    subprocess.run(
        [tool, "-i", str(source), "-o", str(target), "-f", "ocd2", "-t", "text"], check=True
    )
    table: dict[str, list[str]] = {}
    for line in target.read_text(encoding="utf-8").splitlines():
        key, values = line.split("\t")
        table[key] = values.split(" ")
    return table


def build_markers() -> None:
    s2t = opencc.OpenCC("s2t")
    t2s = opencc.OpenCC("t2s")
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        ts = load_dictionary("TSCharacters", work)
        st = load_dictionary("STCharacters", work)
        tw_variants = load_dictionary("TWVariants", work)
        hk_variants = load_dictionary("HKVariants", work)
        tw_phrases = load_dictionary("TWPhrases", work)
        ts_phrases = load_dictionary("TSPhrases", work)

    hant = {k for k, v in ts.items() if len(k) == 1 and k not in v}
    hans = {k for k, v in st.items() if len(k) == 1 and k not in v}
    both = hant & hans
    hant -= both
    hans -= both
    # A Taiwan or Hong Kong variant form is traditional text too (么 for 麼 in `什么`).
    hans -= {values[0] for values in [*tw_variants.values(), *hk_variants.values()]}

    def is_standard(ch: str) -> bool:
        # The form OpenCC's standard traditional writes for this character.
        return bool(s2t.convert(t2s.convert(ch)) == ch)

    markers: set[tuple[str, str]] = set()
    markers.update(("hant", c) for c in hant)
    markers.update(("hans", c) for c in hans)
    tw_forms = set()
    for key, values in tw_variants.items():
        form = values[0]
        if len(key) != 1 or form == key or not is_standard(key):
            continue
        markers.add(("std-form", key))
        # A form shared with simplified text (吃) tells nothing; nor does 著, which is
        # also the standard form of zhù (著名): there only the standard 着 is evidence.
        if form in hant:
            markers.add(("tw-form", form))
            tw_forms.add(form)
    for key, values in hk_variants.items():
        form = values[0]
        if (
            len(key) == 1
            and form != key
            and is_standard(key)
            and form not in tw_forms
            and form in hant
        ):
            markers.add(("hk-form", form))
            markers.add(("hk-std", key))
    for key, values in tw_phrases.items():
        term = values[0]
        if term != key and len(term) >= 2 and len(key) >= 2:
            markers.add(("tw-term", term))
            markers.add(("cn-term", key))

    # Every code point t2s changes on its own (the dictionaries do not show all: OpenCC
    # also maps the compatibility ideographs, U+F900...), tried in one call.
    points = [chr(cp) for cp in range(0x80, 0x110000) if not 0xD800 <= cp <= 0xDFFF]
    alone = t2s.convert("\n".join(points)).split("\n")
    if len(alone) != len(points):
        raise SystemExit("t2s did not keep one line per character")
    changed = {c for c, s in zip(points, alone, strict=True) if c != s}
    markers.update(("t2s-char", c) for c in changed)
    # A phrase t2s changes although it leaves each of its characters alone (捏坏 ->
    # 捏坯, 回覆 -> 回复): listed whole, since its characters are common simplified
    # text too (a text holding 坏 is not yet one t2s changes).
    markers.update(
        ("t2s-phrase", key)
        for key in ts_phrases
        if t2s.convert(key) != key and not changed.intersection(key)
    )

    # Detection counts the four variant kinds in one pass: they must not share a character.
    variant_kinds = ("tw-form", "std-form", "hk-form", "hk-std")
    owners: dict[str, str] = {}
    for kind, text in markers:
        if kind in variant_kinds and owners.setdefault(text, kind) != kind:
            raise SystemExit(f"{text} is both {owners[text]} and {kind}")

    out = DATA / "script_markers.tsv"
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "# kind\ttext (derived from OpenCC "
            f"{opencc.__version__} dictionaries by tools/build_script_tables.py)\n"
        )
        for kind, text in sorted(markers):
            fh.write(f"{kind}\t{text}\n")
    print(f"{out}: {len(markers)} markers")


if __name__ == "__main__":
    build_markers()
