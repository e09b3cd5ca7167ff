"""The boilerplate stage: one test per category, negative cases, policy, spans, corpus mode, HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cleanse.cli import main
from cleanse.core.document import Document
from cleanse.core.pipeline import Pipeline
from cleanse.stages.boilerplate import BoilerplateStage, CorpusLineStats

ARTICLE = [
    "市图书馆今年把周末的开放时间延长到晚上九点，读者可以在下班后借还图书、参加讲座。",
    "馆方表示，延长开放后每晚约有三百人到馆，其中一半是附近的上班族和学生，阅览室常常坐满。",
    "下一步，图书馆计划在三个社区开设分馆，并把自助借还机放进地铁站，方便更多读者借阅。",
]
ARTICLE_HANT = [
    "市圖書館今年把週末的開放時間延長到晚上九點，讀者可以在下班後借還圖書、參加講座。",
    "館方表示，延長開放後每晚約有三百人到館，其中一半是附近的上班族和學生，閱覽室常常坐滿。",
    "下一步，圖書館計劃在三個社區開設分館，並把自助借還機放進地鐵站，方便更多讀者借閱。",
]


def run(text: str, **options: object) -> Document:
    stage = BoilerplateStage(**options)  # type: ignore[arg-type]
    return stage(Document.from_input(text))


def removed(doc: Document) -> dict[str, str]:
    """Removed line (stripped) -> category."""
    return {
        c.before.strip(): str(c.category)
        for c in doc.changes
        if c.stage == "boilerplate" and c.before != c.after
    }


def page(head: list[str], tail: list[str], body: list[str] = ARTICLE) -> str:
    return "\n\n".join([*head, "图书馆延长开放时间", *body, *tail]) + "\n"


# (category, line, where): each line alone is enough to be called chrome.
CATEGORIES = [
    ("nav", "首页 | 新闻 | 体育 | 财经 | 科技", "head"),
    ("nav", "首頁(yè)|必讀|視頻|專訪|運(yùn)營(yíng)", "head"),  # gateway annotations
    ("breadcrumb", "首页 >> 本地 >> 正文", "head"),
    ("breadcrumb", "當前位置：本地新聞 > 文化", "head"),
    ("share", "分享到：", "head"),
    ("contributor-prompt", "如有投稿需求，请把文章发送到邮箱 tougao@example.com", "head"),
    ("disclaimer", "本文為作者獨立觀點，不代表本站立場。", "tail"),
    ("copyright", "Copyright © 2010-2024 溪桥网 All Rights Reserved", "tail"),
    ("icp", "浙ICP备12345678号-2", "tail"),
    ("community-rules", "社区公约：请文明发言，违者将被禁言。", "tail"),
    ("related-links", "相关阅读", "tail"),
    ("app-prompt", "扫一扫下载APP", "tail"),
    ("counter", "445820", "tail"),
    ("stray", "×", "tail"),
    ("contact", "服务热线 400-123-4567", "tail"),
    ("ad", "品牌合作请点这里：寻求合作", "tail"),
    ("tags", "標籤：圖書館 閱讀", "tail"),
    ("page-header", "A03 本地新闻 2024年3月1日 星期五 溪桥晚报", "head"),
    ("post-meta", "您需要登录后才可以回帖", "tail"),
    ("seo-spam", "溪桥装修公司 溪桥装修报价 装修公司哪家好 溪桥装修设计 装修效果图", "tail"),
]


@pytest.mark.parametrize(("category", "line", "where"), CATEGORIES)
def test_category(category: str, line: str, where: str) -> None:
    text = page([line] if where == "head" else [], [line] if where == "tail" else [])
    doc = run(text)
    assert removed(doc) == {line: category}
    for paragraph in ARTICLE:
        assert paragraph in doc.text.split("\n")
    assert doc.text.startswith("图书馆延长开放时间\n")


def test_traditional_page_needs_no_second_lexicon() -> None:
    text = "\n\n".join(
        ["首頁 > 本地 > 正文", "圖書館延長開放時間", *ARTICLE_HANT, "版權所有 © 2024 溪橋網"]
    )
    doc = run(text)
    assert removed(doc) == {
        "首頁 > 本地 > 正文": "breadcrumb",
        "版權所有 © 2024 溪橋網": "copyright",
    }
    assert doc.text == "\n\n".join(["圖書館延長開放時間", *ARTICLE_HANT]) + "\n"


def test_tail_run_takes_a_numbered_list_with_its_heading() -> None:
    rules = ["本站社区公约", "一、总则", "1. 不得发布广告；", "2. 不得人身攻击；", "二、处罚"]
    doc = run(page([], ["本站社区公约：请遵守以下规定。", *rules[1:]]))
    assert set(removed(doc).values()) == {"community-rules"}
    assert doc.text.rstrip("\n").endswith(ARTICLE[-1])


def test_short_line_between_paragraphs_stays() -> None:
    text = "\n\n".join([ARTICLE[0], "结语", ARTICLE[1], "一、", ARTICLE[2]]) + "\n"
    doc = run(text)
    assert doc.text == text
    assert not removed(doc)


def test_list_inside_article_stays() -> None:
    text = "\n".join(
        [
            ARTICLE[0],
            "办理借书证需要：",
            "1. 身份证；",
            "2. 一张照片；",
            "3. 押金一百元。",
            ARTICLE[1],
        ]
    )
    assert run(text).text == text


def test_story_about_copyright_stays() -> None:
    text = "\n\n".join(
        [
            "版权纠纷判决",
            "法院认为，被告未经许可转载原告的十二篇文章，即使注明“版权归原作者所有”，也不能免除侵权责任。",
            "法官在判决书中写道，网站页脚的“禁止转载”声明并不是授权与否的唯一依据，双方的合同更重要。",
            ARTICLE[2],
        ]
    )
    doc = run(text)
    assert doc.text == text


def test_no_article_core_removes_only_clear_chrome() -> None:
    text = "好诗\n床前明月光\n疑是地上霜\n分享到：\n"
    doc = run(text)
    assert doc.text == "好诗\n床前明月光\n疑是地上霜\n"


def test_borderline_policy_keep_and_drop() -> None:
    text = page(
        ["2024-03-01 08:00 来源：溪桥晚报"],
        ["图为读者在阅览室看书。图片来源：溪桥晚报", "编辑：王林"],
    )
    kept = run(text)
    notes = [c for c in kept.changes if c.before == c.after]
    assert [c.category for c in notes] == ["borderline"] * 3
    assert all(c.reason.startswith("kept, borderline") for c in notes)
    kinds = [b["kind"] for b in kept.metadata["boilerplate"]["borderline"]]
    assert kinds == ["dateline", "caption", "credit"]
    assert kept.text == text

    dropped = run(text, policy="drop")
    assert removed(dropped) == {
        "2024-03-01 08:00 来源：溪桥晚报": "dateline",
        "图为读者在阅览室看书。图片来源：溪桥晚报": "caption",
        "编辑：王林": "credit",
    }
    only_credits = run(text, credits="drop")
    assert set(removed(only_credits).values()) == {"credit"}
    with pytest.raises(ValueError):
        BoilerplateStage(captions="maybe")


def test_spans_are_exact_on_the_seeds() -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    pipeline = Pipeline.from_names(["decode", "boilerplate"])
    for path in sorted(seeds.iterdir()):
        result = pipeline(path.read_bytes(), id=path.name)
        source = result.document.original_text or ""
        ours = [c for c in result.changes if c.stage == "boilerplate"]
        assert ours
        for c in ours:
            assert source[c.start : c.end] == c.before
            assert c.out_start is not None
            assert result.text[c.out_start : c.out_start + len(c.after)] == c.after
            if c.before != c.after:
                assert c.category and c.reason


# -- corpus mode ----------------------------------------------------------------

HEADER = ["溪桥晚报数字版", "让城市慢下来"]
FOOTER = ["溪桥晚报社出品", "地址：溪桥市文化路8号"]
ABOUT = "溪桥晚报创办于一九八五年，是本地发行量最大的综合性日报，每天清晨送到三万户读者家中。"
STORIES = [
    "老城区的早市今年搬进了新的菜场，摊主们说顾客比以前多了，雨天也不用再撑伞卖菜。",
    "溪桥一中的学生在课后种了一片向日葵，收获的葵花籽被送给了附近的养老院。",
    "文化路的旧电影院改成了社区剧场，每周五晚上有免费的话剧演出，座位常常不够。",
    "城南公园新修了一条两公里长的步道，傍晚散步的居民比往年多了一倍。",
    "一位退休的钟表匠在巷口摆了张小桌，免费帮街坊修理老钟表，已经坚持了十年。",
    "市博物馆把馆藏的老照片做成了明信片，游客可以在出口处免费领取一张。",
    "溪桥河上的石拱桥完成了修缮，工人们按照老办法重新砌好了每一块桥石。",
    "菜场旁边的小书店开始出借旧书，读者只需留下一本自己的书就能带走另一本。",
    "今年的端午龙舟赛有二十支队伍报名，其中三支是由外国留学生组成的。",
    "社区食堂推出了一元早餐，老人和环卫工人每天早上都能吃上一碗热粥。",
    "冬天到了，志愿者在公交站台挂上了免费的围巾，需要的人可以直接取走。",
    "本地的一家面馆开了四十年，老板说汤底的做法一直没有变过。",
]


def corpus_pages() -> list[str]:
    pages = []
    for k, story in enumerate(STORIES):
        other = STORIES[(k + 5) % len(STORIES)]
        title = f"城市小事第{k + 1}期"
        pages.append("\n\n".join([*HEADER, title, story, other, ABOUT, *FOOTER]) + "\n")
    return pages


def _docs(pages: list[str]) -> list[Document]:
    return [
        Document.from_input(text, id=f"site/{k}.txt", metadata={"path": f"site/{k}.txt"})
        for k, text in enumerate(pages)
    ]


def test_corpus_mode_removes_shared_header_and_footer() -> None:
    pages = corpus_pages()
    # Per document, the site name, slogan and imprint look like any short line.
    alone = BoilerplateStage()(_docs(pages)[0])
    assert alone.text.startswith(HEADER[0])

    stage = BoilerplateStage(corpus=True)
    stage.corpus_prepass(_docs(pages))
    assert stage.stats_corpus is not None
    # Memory: only the lines shared by enough pages are remembered.
    assert stage.stats_corpus.frequent_lines == len(HEADER) + len(FOOTER) + 1
    for k, doc in enumerate(_docs(pages)):
        out = stage(doc)
        lines = out.text.split("\n")
        assert lines[0] == f"城市小事第{k + 1}期"
        assert STORIES[k] in lines and ABOUT in lines  # content, however often repeated
        for chrome in [*HEADER, *FOOTER]:
            assert chrome not in lines
        categories = {c.category for c in out.changes if c.before != c.after}
        assert categories <= {"repeated", "contact"}
        assert any("repeats in 12 of 12 documents" in c.reason for c in out.changes)


def test_corpus_stats_threshold_and_groups() -> None:
    stats = CorpusLineStats(min_docs=3)
    for k in range(2):
        stats.add_document("a", f"共同的一行\n第{k}行")
    assert not stats.is_frequent("a", "共同的一行")
    stats.add_document("a", "共同的一行")
    stats.add_document("b", "共同的一行")
    assert stats.is_frequent("a", "共同的一行")
    assert not stats.is_frequent("b", "共同的一行")
    assert stats.estimate("a", "共同的一行") == 3
    with pytest.raises(ValueError):
        CorpusLineStats(min_docs=1)


def test_cli_corpus_boilerplate(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for k, text in enumerate(corpus_pages()):
        (site / f"{k:02d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(site), "-o", str(out), "--stages", "decode,boilerplate"]
    result = CliRunner().invoke(main, [*args, "--corpus-boilerplate"])
    assert result.exit_code == 0, result.output
    text = (out / "00.txt").read_text("utf-8")
    assert text.startswith("城市小事第1期") and HEADER[0] not in text
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["pipeline"]["options"]["boilerplate"]["corpus"] is True

    plain_args = ["run", str(site), "-o", str(tmp_path / "plain"), "--stages", "decode,boilerplate"]
    plain = CliRunner().invoke(main, plain_args)
    assert plain.exit_code == 0, plain.output
    assert (tmp_path / "plain" / "00.txt").read_text("utf-8").startswith(HEADER[0])


# -- HTML -----------------------------------------------------------------------

HTML_PAGE = """<!doctype html><html><head><title>圖書館延長開放時間_溪橋網</title>
<script>var a = 1;</script></head><body>
<nav><a href="/">首頁</a><a href="/news">新聞</a></nav>
<div id="main"><p>{}</p><p>{}</p>
<p hidden>隱藏的推廣文字</p>
<ul class="links"><li><a href="/x">另一篇新聞的標題在這裡</a></li></ul>
<p>{}</p></div>
<footer>版權所有 © 2024 溪橋網</footer></body></html>
""".format(*ARTICLE_HANT)


def test_html_end_to_end(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (src / "page.txt").write_text(HTML_PAGE, encoding="utf-8")  # HTML detected by content
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", str(src), "-o", str(out), "--stages", "decode,boilerplate"]
    )
    assert result.exit_code == 0, result.output
    expected = "\n\n".join(["圖書館延長開放時間", *ARTICLE_HANT]) + "\n"
    for name in ("page.html.txt", "page.txt.txt"):
        assert (out / name).read_text("utf-8") == expected
    report = json.loads((out / "report.json").read_text("utf-8"))
    entry = report["files"][0]
    assert entry["output"] == "page.html.txt"
    html_change = entry["changes"][0]
    assert html_change["category"] == "html" and html_change["before"] == HTML_PAGE
    assert "1 <nav>" in html_change["reason"] and "1 hidden element" in html_change["reason"]
    assert "title from <title>" in html_change["reason"]
    assert {c["category"] for c in entry["changes"][1:]} == {"related-links"}


def test_html_never_leaves_text_alone() -> None:
    doc = BoilerplateStage(html="never")(Document.from_input("<p>你好</p>\n"))
    assert doc.text == "<p>你好</p>\n"


# -- property: chrome wrapped around clean articles comes off exactly -------------

SENTENCES = [
    *ARTICLE,
    *ARTICLE_HANT,
    *STORIES,
    "结语",
    "他说：“这件事我们还会继续做下去，直到每个孩子都有书读。”",
]
HEAD_CHROME = [line for category, line, where in CATEGORIES if where == "head"]
TAIL_CHROME = [line for category, line, where in CATEGORIES if where == "tail"]


@settings(max_examples=60, deadline=None)
@given(
    body=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6),
    head=st.lists(st.sampled_from(HEAD_CHROME), max_size=3),
    tail=st.lists(st.sampled_from(TAIL_CHROME), max_size=4),
)
def test_chrome_around_an_article_comes_off_exactly(
    body: list[str], head: list[str], tail: list[str]
) -> None:
    article = "\n\n".join(["图书馆延长开放时间", ARTICLE[0], *body, ARTICLE[1]]) + "\n"
    assert run(article).text == article  # clean-text control
    text = "\n\n".join([*head, article.rstrip("\n"), *tail]) + "\n"
    doc = run(text)
    assert doc.text == article
    assert all(c.category for c in doc.changes if c.before != c.after)


def test_tables_and_comparisons_in_an_article_stay() -> None:
    text = "\n".join(
        [
            ARTICLE[0],
            "| 型号 | 价格 | 续航 |",
            "| A1 | 1999 | 10小时 |",
            "2019 | 2020 | 2021 | 2022",
            "x > 0",
            ARTICLE[1],
        ]
    )
    assert run(text).text == text


def test_a_last_paragraph_with_one_chrome_phrase_stays() -> None:
    text = "\n\n".join([*ARTICLE, "如今，老人也学会了用手机扫一扫付款。", "版权所有 © 2024 溪桥网"])
    doc = run(text)
    assert removed(doc) == {"版权所有 © 2024 溪桥网": "copyright"}


def test_an_enumeration_is_not_keyword_stuffing() -> None:
    text = "\n".join([ARTICLE[0], "北京大学、清华大学、复旦大学、浙江大学、南京大学", ARTICLE[1]])
    assert run(text).text == text
