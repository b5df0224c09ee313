"""Page metadata rules (transforms/metadata.py) on small pages in the layouts real outlets use.

The pages here are written for the test (portal-style markup, JSON-LD shapes, bylines), plus the
real saved pages of ../shared/data/realpages read in place when they are present.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html
from parsel import Selector

from transforms.metadata import clean_title, page_metadata, parse_authors, parse_page_datetime

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "realpages"


def _root(markup: str):
    return html.document_fromstring(markup)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["[서울=뉴시스] 김나라 기자 ="], ["김나라"]),
        (["[한빛일보 박소연 기자]"], ["박소연"]),
        (["[디지털데일리 이종현기자]"], ["이종현"]),
        (["홍길동 기자 abc@example.com"], ["홍길동"]),
        (["최민수 칼럼니스트"], ["최민수"]),
        (["이보배 한경닷컴 객원기자 newsinfo@example.com"], ["이보배"]),
        (["홍길동 김철수 기자"], ["홍길동", "김철수"]),
        (["한빛일보 | 네이버"], []),
        (["뉴시스"], []),
        (["다른기사 보기"], []),
        (["By Jane Doe"], ["Jane Doe"]),
        (["By Jane Doe, Staff Reporter"], ["Jane Doe"]),
        (["워싱턴=홍길동 특파원"], ["홍길동"]),
        (["글=김나라 기자"], ["김나라"]),
        (["편집국 박소연"], ["박소연"]),
        (["디지털뉴스팀"], []),
        (["김민국 기자"], ["김민국"]),
    ],
)
def test_bylines_give_person_names_only(values: list[str], expected: list[str]) -> None:
    assert parse_authors(values) == expected


def test_the_pages_own_site_name_is_never_an_author() -> None:
    assert parse_authors(["가나다"], site_names=["가나다"]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023. 9. 21. 15:44", "2023-09-21T15:44:00+09:00"),
        ("2022.09.14. 오후 4:04", "2022-09-14T16:04:00+09:00"),
        ("2022.09.14. 오전 12:10", "2022-09-14T00:10:00+09:00"),
        ("20230921154452", "2023-09-21T15:44:52+09:00"),
        ("09:31 August 20, 2019", "2019-08-20T09:31:00+09:00"),
        ("Aug. 20, 2019 at 3:05 PM", "2019-08-20T15:05:00+09:00"),
        ("Published : Aug. 20, 2019 - 09:31", "2019-08-20T09:31:00+09:00"),
        ("Fri, 26 Jul 2019 14:21:00 +0900", "2019-07-26T14:21:00+09:00"),
        ("26 Jul 2019 14:21", "2019-07-26T14:21:00+09:00"),
        ("July 26, 2019, 2:21 p.m.", "2019-07-26T14:21:00+09:00"),
        ("2019-08-20T09:31:01+09:00", "2019-08-20T09:31:01+09:00"),
    ],
)
def test_dates_in_page_forms(text: str, expected: str) -> None:
    assert parse_page_datetime(text) == expected


@pytest.mark.parametrize(
    ("raw", "sites", "expected"),
    [
        ("스타트업 투자 한파 녹는다 - IT조선 > 비즈 > 스타트업", [], "스타트업 투자 한파 녹는다"),
        (
            "North Korea fires missiles again | Yonhap News Agency",
            ["Yonhap News Agency"],
            "North Korea fires missiles again",
        ),
        ("갑-을 분쟁, 공적인 사안으로 봐야 - Examplemedia", ["examplemedia"], "갑-을 분쟁, 공적인 사안으로 봐야"),
        ("카카오, AI 에이전트 출시 | 한빛일보", [], "카카오, AI 에이전트 출시"),
        ("삼성전자 - 애플 특허 분쟁 2라운드", [], "삼성전자 - 애플 특허 분쟁 2라운드"),
    ],
)
def test_titles_lose_site_suffixes_and_breadcrumbs(raw: str, sites: list[str], expected: str) -> None:
    assert clean_title(raw, sites) == expected


def test_json_ld_type_list_graph_and_nesting() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "한빛일보"},
            {
                "@type": "WebPage",
                "mainEntity": {
                    "@type": ["NewsArticle", "Article"],
                    "headline": "반도체 수출 반등",
                    "datePublished": "2026-03-02T08:15:00+09:00",
                    "author": [
                        {"@type": "Person", "name": "박소연 기자"},
                        {"@type": "Organization", "name": "한빛일보"},
                    ],
                },
            },
        ],
    }
    script = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    page = f"<html><head>{script}</head><body></body></html>"
    meta = page_metadata(_root(page))
    assert (meta.title, meta.published_at, meta.authors) == (
        "반도체 수출 반등",
        "2026-03-02T08:15:00+09:00",
        ["박소연"],
    )


def test_portal_markers_naver_style() -> None:
    page = (
        '<html><head><meta property="og:title" content="제목입니다 충분히 길게">'
        '<meta property="og:article:author" content="한빛일보 | 네이버"></head><body>'
        '<div class="media_end_head_info_datestamp_bunch"><em>입력</em>'
        '<span class="media_end_head_info_datestamp_time" data-date-time="2022-09-14 16:04:03">'
        "2022.09.14. 오후 4:04</span>"
        '</div><em class="media_end_head_journalist_name">박소연 기자</em>'
        '<div class="media_end_summary">첫 요약 줄<br>둘째 요약 줄</div></body></html>'
    )
    meta = page_metadata(_root(page))
    assert meta.published_at == "2022-09-14T16:04:03+09:00"
    assert meta.authors == ["박소연"]
    assert meta.subtitle == "첫 요약 줄\n둘째 요약 줄"


def test_visible_input_line_gives_the_minute_when_meta_has_only_the_day() -> None:
    page = (
        '<html><head><meta property="article:published_time" content="2019-07-26"></head><body>'
        "<h1>충분히 긴 기사 제목이 여기에</h1><p>기사입력 :[ 2019-07-26 14:21 ]</p><p>본문</p></body></html>"
    )
    assert page_metadata(_root(page)).published_at == "2019-07-26T14:21:00+09:00"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # spans glued without a space: "기자입력", and a time in its own span after the day
        ("<p><span>박성훈 기자</span><span>입력 :2024/02/20 14:05</span></p>", "2024-02-20T14:05:00+09:00"),
        ("<p>입력 <span>2024.02.20</span><span>14:05</span></p>", "2024-02-20T14:05:00+09:00"),
        # the wire's label after the time
        ("<div><span>김정현 기자</span> | <span>2024-03-12 16:45 송고</span></div>", "2024-03-12T16:45:00+09:00"),
    ],
)
def test_visible_time_in_glued_spans_and_with_the_label_after(head: str, expected: str) -> None:
    page = f"<html><body><h1>충분히 긴 기사 제목이 여기에</h1>{head}<p>본문 문장입니다.</p></body></html>"
    assert page_metadata(_root(page)).published_at == expected


def test_logo_h1_is_not_the_title() -> None:
    page = (
        "<html><head><title>충분히 긴 기사 제목이 여기에 - Examplemedia</title></head><body>"
        '<h1 id="site-title"><a href="/"><h1>예시 미디어</h1></a></h1><p>본문</p></body></html>'
    )
    assert page_metadata(_root(page), "http://examplemedia.co.kr/news/1").title == "충분히 긴 기사 제목이 여기에"


def test_parsel_selector_root_works_too() -> None:
    page = '<html><head><meta property="dable:author" content="홍길동 기자"></head><body></body></html>'
    assert page_metadata(Selector(text=page).root).authors == ["홍길동"]


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="real pages not available")
def test_real_pages_metadata_matches_gold() -> None:
    gold = json.loads((REALPAGES / "gold.json").read_text(encoding="utf-8"))["pages"]
    for page in gold:
        raw = (REALPAGES / page["file"]).read_bytes().decode(page["file_encoding"])
        meta = page_metadata(_root(raw), page["url"])
        assert meta.published_at is not None and meta.published_at[:16] == page["published_at"][:16], page["file"]
        if page["authors"]:
            # A byline only in the body text is found by the cleaning step, not the page metadata.
            assert meta.authors in ([], page["authors"]), page["file"]
        else:
            assert meta.authors == [], page["file"]


def test_site_name_in_og_title_is_not_the_headline() -> None:
    page = (
        '<html><head><meta property="og:site_name" content="한빛일보"><meta property="og:title" content="한빛일보">'
        "</head><body><h1>반도체 수출이 석 달 만에 반등했다</h1></body></html>"
    )
    assert page_metadata(_root(page)).title == "반도체 수출이 석 달 만에 반등했다"
