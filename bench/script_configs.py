"""How each OpenCC configuration does on a folder of texts, against what the script stage chose.

    python bench/script_configs.py seeds [more folders or files...]

Counts per text and configuration, on the text's traditional lines converted
to simplified:
  著 left     `著` still in the output outside zhù words (the particle zhe t2s and hk2s keep)
  着 wrong    authorship/prominence words turned into `着` (原着, 编着, 显着, 着称 ...)
  幺          `幺` in the output (a bare `么` turned into it)
  words       spans that differ from t2s other than 著/着/么/幺: vocabulary changes
"""

from __future__ import annotations

import difflib
import sys
from importlib import resources
from pathlib import Path

import opencc

from cleanse import clean
from cleanse.lang.script_detect import detect_script

CONFIGS = ("t2s", "tw2s", "hk2s", "tw2sp")


def _zhu_words() -> list[str]:
    """Simplified words whose 著 is zhù: the protected list plus the ones OpenCC gets right."""
    text = resources.files("cleanse.data").joinpath("opencc_protect.tsv").read_text("utf-8")
    rights = [line.split("\t")[1] for line in text.splitlines() if line and line[0] != "#"]
    return sorted({w for w in rights if "著" in w} | {"著名", "著作"})


def _measure(text: str, reference: str, zhu_words: list[str]) -> tuple[int, int, int, int]:
    zhu_left = text.count("著") - sum(text.count(w) for w in zhu_words)
    wrong = sum(text.count(w.replace("著", "着")) for w in zhu_words)
    words = 0
    matcher = difflib.SequenceMatcher(None, reference, text, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal" and set(reference[i1:i2] + text[j1:j2]) - set("著着么幺"):
            words += 1
    return zhu_left, wrong, text.count("幺"), words


def main() -> None:
    paths: list[Path] = []
    for arg in sys.argv[1:] or ["seeds"]:
        p = Path(arg)
        if p.is_dir():
            paths += sorted(p.glob("*.txt")) or sorted(p.glob("*/input.txt"))
        else:
            paths.append(p)
    zhu_words = _zhu_words()
    converters = {name: opencc.OpenCC(name) for name in CONFIGS}
    print(f"{'text':<44} {'source':<22} " + " ".join(f"{c:>16}" for c in [*CONFIGS, "chosen"]))
    print(
        f"{'':<44} {'':<22} " + " ".join(f"{'著 着 幺 words':>16}" for _ in range(len(CONFIGS) + 1))
    )
    for path in paths:
        raw = path.read_bytes()
        text = clean(raw, stages=["decode", "annotations"]).text
        profile = detect_script(text)
        if profile.dominant != "hant":
            continue
        reference = converters["t2s"].convert(text)
        outputs = {name: converters[name].convert(text) for name in CONFIGS}
        outputs["chosen"] = clean(raw, stages=["decode", "annotations", "script"]).text
        cells = []
        for out in outputs.values():
            z, w, y, v = _measure(out, reference, zhu_words)
            cells.append(f"{z:>4} {w:>2} {y:>2} {v:>5}")
        label = str(path)[-44:]
        print(f"{label:<44} {profile.source:<22} " + " ".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
