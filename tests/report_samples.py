"""Documents with change records from several stages, built by applying real edits.

Only decode and normalize work on every branch yet; the report views must show
every stage, so these documents are made the way the stages make them: edits
applied with :func:`apply_edits`, one pass after another.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleanse.core.document import Change, Document, Edit, apply_edits


def edit_at(text: str, old: str, new: str, reason: str, nth: int = 0, **extra: object) -> Edit:
    """An edit replacing the ``nth`` occurrence of ``old`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(old, start + 1)
    return Edit(start, start + len(old), new, reason, **extra)  # type: ignore[arg-type]


def build(
    original: str,
    passes: Sequence[tuple[str, Sequence[tuple[str, str, str, dict[str, object]]]]],
    decode: Sequence[Change] = (),
    doc_id: str = "sample.txt",
    encoding: str = "gb18030",
) -> Document:
    """Apply each pass ``(stage, [(old, new, reason, extra), ...])`` in order."""
    doc = Document(
        id=doc_id,
        text=original,
        original_text=original,
        encoding=encoding,
        encoding_confidence=0.93,
        changes=tuple(decode),
    )
    for stage, items in passes:
        text = doc.text
        edits = [edit_at(text, old, new, reason, **extra) for old, new, reason, extra in items]  # type: ignore[arg-type]
        new_text, changes = apply_edits(stage, text, edits)
        doc = doc.with_changes(new_text, changes)
    return doc


ORIGINAL = (
    "首頁(yè)|新聞|視頻|專訪\n"
    "首頁(yè) >> 科技 >> 正文\n"
    "\n"
    "OpenAI的Sora會(huì)砸掉誰(shuí)的飯碗?\n"
    "\n"
    "谷歌的新模型性能完勝 ，発佈了新一代模型\u200b。\n"
    "這是業(yè)界迄今最強(qiáng)的模型  \n"
    "\n"
    "\n"
    "\n"
    "責任編輯：張三\n"
    "Copyright © 2024 版權所有\n"
)


def multi_stage_document() -> Document:
    """A page that every stage touched: chrome removed, annotations, repair, script, punctuation."""
    decode = [
        Change(
            stage="decode",
            start=211,
            end=212,
            before="\\xe5",
            after="",
            reason="incomplete gb18030 sequence in the middle of the input dropped",
            unresolved=True,
            out_start=ORIGINAL.index("谷歌"),
        )
    ]
    return build(
        ORIGINAL,
        [
            ("repair", [("発佈", "發佈", "Shift-JIS lookalike 発 read back as 發", {})]),
            (
                "annotations",
                [
                    ("(yè)", "", "gateway pinyin annotation after 頁 removed", {"nth": 0}),
                    ("(yè)", "", "gateway pinyin annotation after 頁 removed", {"nth": 1}),
                    ("(huì)", "", "gateway pinyin annotation after 會 removed", {}),
                    ("(shuí)", "", "gateway pinyin annotation after 誰 removed", {}),
                    ("(yè)", "", "gateway pinyin annotation after 業 removed", {"nth": 2}),
                    ("(qiáng)", "", "gateway pinyin annotation after 強 removed", {}),
                ],
            ),
            (
                "boilerplate",
                [
                    (
                        "首頁|新聞|視頻|專訪\n首頁 >> 科技 >> 正文\n",
                        "",
                        "navigation and breadcrumb lines removed",
                        {"category": "navigation"},
                    ),
                    (
                        "Copyright © 2024 版權所有\n",
                        "",
                        "copyright line removed",
                        {"category": "copyright"},
                    ),
                ],
            ),
            (
                "layout",
                [("性能完勝 ，", "性能完勝，", "space before CJK punctuation removed", {})],
            ),
            (
                "script",
                [
                    ("會", "会", "zh-hant to zh-hans (OpenCC t2s)", {}),
                    ("誰", "谁", "zh-hant to zh-hans (OpenCC t2s)", {}),
                    ("發佈", "发布", "zh-hant to zh-hans (OpenCC t2s)", {}),
                    ("這是業界", "这是业界", "zh-hant to zh-hans (OpenCC t2s)", {}),
                    ("最強", "最强", "zh-hant to zh-hans (OpenCC t2s)", {}),
                    (
                        "張三",
                        "張三",
                        "personal name kept: conversion uncertain",
                        {"unresolved": True, "confidence": 0.4},
                    ),
                ],
            ),
            ("punctuation", [("飯碗?", "飯碗？", "ASCII ? inside CJK text to full width", {})]),
            (
                "normalize",
                [
                    ("\u200b", "", "zero-width space removed", {}),
                    ("模型  \n", "模型\n", "trailing whitespace removed", {}),
                ],
            ),
            ("normalize", [("\n\n\n\n", "\n\n", "blank-line run collapsed", {})]),
        ],
        decode=decode,
    )
