"""Generic main-text extraction: metadata, captions on unknown sites, CP949 pages via `newsetl extract`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mirror.catalog import archive_path, expected_body, load_outlet
from transforms.charset import decode_html
from transforms.clean import clean_article
from transforms.extract import extract_generic

REPO = Path(__file__).resolve().parents[1]
NEWSETL = REPO / ".venv" / "bin" / "newsetl"

PARAGRAPHS = [
    "카카오가 카카오톡 안에서 예약과 결제를 대신 처리하는 인공지능(AI) 에이전트를 20일 정식 출시했다.",
    "이용자가 채팅창에 식당 예약을 부탁하면 에이전트가 후보를 찾아 제시하고 예약금까지 결제한다.",
    "회사는 내년 상반기까지 월간 이용자 1000만 명을 확보하겠다는 목표를 세웠다고 설명했다.",
    "업계는 에이전트를 통한 거래가 늘면 광고와 커머스 매출도 함께 커질 것으로 보고 있다.",
]
CAPTION = "정은채 카카오 성과리더가 판교 아지트에서 에이전트를 소개하고 있다."


def _page(charset_meta: str = '<meta charset="utf-8">') -> str:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:2])
    body += f'<figure><img src="/photo/kana.jpg" alt="{CAPTION}"></figure><p>{CAPTION} / 카카오 제공</p>'
    body += "".join(f"<p>{text}</p>" for text in PARAGRAPHS[2:])
    return (
        f"<!DOCTYPE html><html><head>{charset_meta}<title>카카오 에이전트 출시 | 예시뉴스</title>"
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "카카오, AI 에이전트 출시", "datePublished": "2026-11-20T09:30:00+09:00", '
        '"author": [{"@type": "Person", "name": "정한결"}]}</script></head>'
        '<body><header><a href="/">홈</a> <a href="/login">로그인</a></header>'
        f'<div class="content"><h1>카카오, AI 에이전트 출시</h1><div class="article-text">{body}'
        "<p>정한결 기자 hk@example.com</p><p>저작권자 © 예시뉴스 무단전재 및 재배포 금지</p></div></div>"
        '<aside><h4>많이 본 뉴스</h4><ol><li><a href="/1">다른 기사 제목</a></li></ol></aside>'
        "<footer>회사소개 개인정보처리방침</footer></body></html>"
    )


def test_extract_generic_metadata_from_json_ld() -> None:
    parsed = extract_generic(_page(), "https://news.example.co.kr/article/77?utm_source=x")
    assert parsed.title == "카카오, AI 에이전트 출시"
    assert parsed.published_at == "2026-11-20T09:30:00+09:00"
    assert parsed.authors == ["정한결"]
    assert parsed.source == "news.example.co.kr"
    assert parsed.extractor == "generic"


def test_generic_caption_becomes_an_image_record() -> None:
    cleaned = clean_article(extract_generic(_page(), "https://news.example.co.kr/article/77"))
    assert cleaned.body == "\n\n".join(PARAGRAPHS)
    assert [(image.src, image.caption, image.credit) for image in cleaned.images] == [
        ("https://news.example.co.kr/photo/kana.jpg", CAPTION, "카카오 제공")
    ]


LONGER = [
    *PARAGRAPHS,
    "경쟁사들도 비슷한 서비스를 준비하고 있어 연말까지 에이전트 경쟁이 본격화할 전망이다.",
    "전문가들은 결제 사고가 났을 때 책임을 누가 지는지부터 정해야 한다고 지적했다.",
]


def _photo_page(photo: str, body_markup: str = "<p>{}</p>") -> str:
    body = "".join(body_markup.format(text) for text in LONGER)
    return (
        '<html><head><meta charset="utf-8"><title>카카오 에이전트 출시</title></head><body>'
        f'<h1>카카오, AI 에이전트 출시</h1><div class="article-text">{photo}{body}</div>'
        "<footer>회사소개</footer></body></html>"
    )


@pytest.mark.parametrize(
    "photo",
    [
        # a caption in a <p> inside <figcaption> (Yonhap), with the handout credit and resale notice
        f'<figure><img src="/p.jpg" alt="아지트"><figcaption><p class="txt-desc">{CAPTION} '
        "[카카오 제공. 재판매 및 DB 금지]</p></figcaption></figure>",
        # a caption box beside an image outside <figure> (Hankyoreh-style), no alt text
        f'<div class="imageC"><img src="/p.jpg"><div class="desc">{CAPTION} 카카오 제공</div></div>',
        # the same without a credit: only its place under the image says it is a caption
        f'<div class="imageC"><img src="/p.jpg"><div class="desc">{CAPTION}</div></div>',
    ],
)
def test_caption_boxes_real_templates_use_become_the_image_record(photo: str) -> None:
    for markup in ("<p>{}</p>", "{}<br><br>"):  # paragraphs, or text split by <br> (the page's own element or not)
        parsed = extract_generic(_photo_page(photo, markup), "https://news.example.co.kr/article/78")
        cleaned = clean_article(parsed)
        assert cleaned.body == "\n\n".join(LONGER)
        credit = "카카오 제공" if "제공" in photo else ""
        assert [(image.caption, image.credit) for image in cleaned.images] == [(CAPTION, credit)]


def test_portal_article_of_br_separated_text_keeps_its_structure() -> None:
    # Naver's article element: text written straight into it and split by <br>, the deck in <strong>, the photo in
    # end_photo_org; trafilatura returns such text as <br> lines in a <div>, which must still place the container
    body = "<br><br>".join(LONGER)
    page = (
        '<html><head><meta charset="utf-8"><title>카카오 에이전트 출시 : 네이버 뉴스</title></head><body>'
        '<h2 id="title_area"><span>카카오, AI 에이전트 출시</span></h2>'
        '<div id="newsct_article"><article id="dic_area">'
        '<strong class="media_end_summary">예약부터 결제까지<br>에이전트가 대신</strong><br><br>'
        f'<span class="end_photo_org"><img src="https://img.example/a.jpg" alt=""><em class="img_desc">{CAPTION}'
        " /카카오 제공</em></span><br><br>"
        f"{body}<br><br>정한결 기자 hk@example.com</article></div></body></html>"
    )
    cleaned = clean_article(extract_generic(page, "https://n.news.example.com/article/1/2"))
    assert cleaned.body == "\n\n".join(LONGER)
    assert cleaned.subtitle == "예약부터 결제까지\n에이전트가 대신"
    assert [(image.caption, image.credit) for image in cleaned.images] == [(CAPTION, "카카오 제공")]


def _run_newsetl_extract(*targets: str) -> list[dict]:
    result = subprocess.run(
        [str(NEWSETL), "extract", *targets], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.skipif(not NEWSETL.exists(), reason="the newsetl console script is not installed")
def test_newsetl_extract_reads_cp949_page_declared_only_in_meta(tmp_path: Path) -> None:
    page_file = tmp_path / "cp949.html"
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
    # "똠" and "햏" exist in CP949 only: a strict EUC-KR decoder would fail on them.
    page = _page(meta).replace("판교", "똠방 판교햏").replace("©", "ⓒ")  # "©" has no CP949 code
    page_file.write_bytes(page.encode("cp949"))
    (result,) = _run_newsetl_extract(str(page_file))
    assert result["title"] == "카카오, AI 에이전트 출시"
    assert result["body"] == "\n\n".join(PARAGRAPHS)
    assert result["images"][0]["caption"] == CAPTION.replace("판교", "똠방 판교햏")
    assert result["images"][0]["credit"] == "카카오 제공"


@pytest.mark.skipif(not NEWSETL.exists(), reason="the newsetl console script is not installed")
def test_newsetl_extract_on_cp949_mirror_page(mirror_server: object) -> None:
    outlet = load_outlet("dt")
    article = outlet.articles[-1]
    # Digital Times' pre-2025 archive pages are the CP949 ones (its 2025 pages are UTF-8).
    url = mirror_server.base_urls["dt"] + archive_path("dt", article)  # type: ignore[attr-defined]
    (result,) = _run_newsetl_extract(url)
    assert result["body"] == expected_body(article)
    assert result["title"].startswith(article.title[:10])


@pytest.mark.slow
def test_extraction_benchmark_f1_stays_above_pinned_floor() -> None:
    """CI gate: our F1 on the article-extraction benchmark must not drop below the pinned floor.

    A bare --floor uses PINNED_F1_FLOOR from bench/eval_extraction.py; trafilatura's baseline is
    skipped here to keep the gate short.
    """
    script = REPO / "bench" / "eval_extraction.py"
    if not (REPO.parent / "shared" / "data" / "article-extraction-benchmark").is_dir():
        pytest.skip("benchmark data not available")
    result = subprocess.run(
        [sys.executable, str(script), "--floor", "--no-trafilatura"],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr


def test_tiny_page_without_an_article_keeps_its_text() -> None:
    page = "<html><body><nav>홈 로그인</nav><p>짧은 공지 본문이다.</p><footer>회사소개</footer></body></html>"
    assert clean_article(extract_generic(page, "https://a.example.kr/notice")).body == "짧은 공지 본문이다."
    assert clean_article(extract_generic("", "https://a.example.kr/empty")).body == ""


REALPAGES = REPO.parent / "shared" / "data" / "realpages"
# Leaks the real pages used to show in the body: e-mails, sign-offs, wire datelines.
_LEAK = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\(END\)|공감언론|^\[[^\]]{1,30}\]\s*[가-힣]{2,4}\s*기자\s*=", re.MULTILINE)


@pytest.mark.skipif(not (REALPAGES / "gold.json").is_file(), reason="real pages not available")
def test_real_pages_metadata_body_and_images() -> None:
    """The real saved pages (read in place): minute, reporters, no leaks, captioned photos."""
    for page in json.loads((REALPAGES / "gold.json").read_text(encoding="utf-8"))["pages"]:
        raw = (REALPAGES / page["file"]).read_bytes()
        parsed = extract_generic(decode_html(raw), page["url"])
        cleaned = clean_article(parsed)
        assert (cleaned.published_at or "")[:16] == page["published_at"][:16], page["file"]
        assert cleaned.authors == page["authors"], page["file"]
        assert cleaned.title and "|" not in cleaned.title, page["file"]
        assert not _LEAK.search(cleaned.body), (page["file"], _LEAK.search(cleaned.body))
        for image in cleaned.images:
            assert image.src.startswith(("http://", "https://")), (page["file"], image.src)
        if page["file"].startswith(("naver", "daum")):
            assert any(image.caption for image in cleaned.images), page["file"]


@pytest.mark.skipif(not NEWSETL.exists(), reason="the newsetl console script is not installed")
def test_newsetl_extract_good_missing_good_gives_three_objects_and_exit_1(tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(_page(), encoding="utf-8")
    missing = tmp_path / "missing.html"
    result = subprocess.run(
        [str(NEWSETL), "extract", str(good), str(missing), str(good)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    first, failed, third = (json.loads(line) for line in result.stdout.splitlines())
    assert first["input"] == third["input"] == str(good)
    assert first["body"] == third["body"] == "\n\n".join(PARAGRAPHS)
    assert failed["input"] == str(missing)
    assert "No such file" in failed["error"]
    assert set(failed) == {"input", "error"}


def test_an_article_nested_deeper_than_libxml2s_default_limit_is_found() -> None:
    paragraphs = [
        f"깊이 중첩된 기사의 {n}번째 문단으로, 추출기가 깊은 구조에서도 본문을 찾는지 봅니다." for n in range(6)
    ]
    article = "<article><h1>깊은 기사</h1>" + "".join(f"<p>{text}</p>" for text in paragraphs) + "</article>"
    page = (
        "<html><head><title>깊은 기사</title></head><body><nav><a href='/'>홈</a></nav>"
        + "<div>" * 300
        + article
        + "</div>" * 300
        + "</body></html>"
    )
    cleaned = clean_article(extract_generic(page, "https://news.example.kr/a/1"))
    assert cleaned.body == "\n\n".join(paragraphs)


@pytest.mark.skipif(not NEWSETL.exists(), reason="the newsetl console script is not installed")
def test_newsetl_extract_names_binary_input_instead_of_a_garbage_body(tmp_path: Path) -> None:
    image = tmp_path / "photo.html"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    result = subprocess.run([str(NEWSETL), "extract", str(image)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {"input": str(image), "error": "not an HTML page: a PNG image"}


@pytest.mark.skipif(not NEWSETL.exists(), reason="the newsetl console script is not installed")
def test_newsetl_extract_unknown_site_is_a_user_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(NEWSETL), "extract", "--site", "nosuchsite", str(tmp_path / "x.html")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "unknown site 'nosuchsite'" in result.stderr


@pytest.mark.skipif(not NEWSETL.exists(), reason="the newsetl console script is not installed")
def test_newsetl_extract_site_falls_back_on_another_layout(tmp_path: Path) -> None:
    """`--site itchosun` on a page in another layout: the generic extractor steps in."""
    page = tmp_path / "other-layout.html"
    page.write_text(_page(), encoding="utf-8")
    (result,) = _run_newsetl_extract("--site", "itchosun", str(page))
    assert result["extractor"] == "generic-fallback"
    assert result["source"] == "itchosun"
    assert result["body"] == "\n\n".join(PARAGRAPHS)
