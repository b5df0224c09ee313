"""Page decoding: BOM, header, <meta>-only CP949, undeclared pages; and article ids."""

from __future__ import annotations

import codecs

import pytest

from transforms.charset import binary_kind, decode_html
from transforms.ids import article_id, canonicalize_url

KOREAN_TEXT = "스타트업 투자 똠방각하 햏 – 중소벤처기업부"


def _page(meta: str, body_text: str = KOREAN_TEXT) -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body_text}</p></body></html>"


def test_cp949_declared_only_in_meta_http_equiv() -> None:
    html = _page('<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">')
    raw = html.replace("–", "-").encode("cp949")
    assert KOREAN_TEXT.replace("–", "-") in decode_html(raw)


def test_cp949_declared_only_in_meta_charset() -> None:
    text = KOREAN_TEXT.replace("–", "-")
    raw = _page('<meta charset="EUC-KR">', text).encode("cp949")
    assert text in decode_html(raw, None)


def test_undeclared_cp949_falls_back_after_utf8() -> None:
    raw = _page("", "네이버 클라우드 투자").encode("cp949")
    assert "네이버 클라우드 투자" in decode_html(raw)


def test_header_beats_meta_and_bom_beats_header() -> None:
    raw = _page('<meta charset="euc-kr">', "카카오").encode("utf-8")
    assert "카카오" in decode_html(raw, "text/html; charset=UTF-8")
    assert "카카오" in decode_html(codecs.BOM_UTF8 + raw, "euc-kr")


def test_wrong_declaration_is_skipped() -> None:
    raw = _page('<meta charset="euc-kr">', "한국어 기사 본문 ✓").encode("utf-8")
    assert "한국어 기사 본문 ✓" in decode_html(raw)


def test_canonicalize_url_drops_tracking_and_sorts() -> None:
    url = "HTTPS://www.Example.co.kr:443/news/articleView.html?idxno=5&utm_source=x&fbclid=1&a=2#comments"
    assert canonicalize_url(url) == "https://www.example.co.kr/news/articleView.html?a=2&idxno=5"
    assert article_id(url) == article_id("https://www.example.co.kr/news/articleView.html?idxno=5&a=2")
    assert len(article_id(url)) == 16
    assert article_id(url) != article_id("https://www.example.co.kr/news/articleView.html?idxno=6")


def test_canonicalize_url_normalises_escapes_and_hosts() -> None:
    # A raw Hangul path, its UTF-8 escapes in either case, and an IDN host in Unicode or punycode: one URL each.
    escaped = "https://news.example.kr/%EA%B8%B0%EC%82%AC/1?q=%ED%95%9C"
    assert canonicalize_url("https://news.example.kr/기사/1?q=한") == escaped
    assert canonicalize_url(escaped.lower()) == escaped
    assert (
        canonicalize_url("https://뉴스.kr/a")
        == canonicalize_url("https://xn--vg1b002a.kr/a")
        == "https://xn--vg1b002a.kr/a"
    )
    assert canonicalize_url("https://news.example.kr/a%2fb") == "https://news.example.kr/a%2Fb"
    assert canonicalize_url("http://news.example.kr:8080/a?utm_medium=x") == "http://news.example.kr:8080/a"


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "a PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(64), "a JPEG image"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"<html>" + bytes(range(32)) * 20, "binary data"),
        (b"<html>\x00</html>", "binary data"),
    ],
)
def test_binary_bodies_are_named(raw: bytes, kind: str) -> None:
    assert binary_kind(raw) == kind


@pytest.mark.parametrize(
    "raw",
    [
        "<html><body>한국어 기사</body></html>".encode(),
        "<html><body>한국어 기사</body></html>".encode("cp949"),
        "<html><body>한국어 기사</body></html>".encode("utf-16"),
        b"\x1b$)C<html>",  # ISO-2022-KR's designator
        b"",
    ],
)
def test_text_in_any_charset_is_not_binary(raw: bytes) -> None:
    assert binary_kind(raw) is None
