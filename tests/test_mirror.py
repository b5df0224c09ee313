"""The offline outlet mirror: data contract, page structure per layout, and real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from mirror.catalog import (
    DEFAULT_DATA_DIR,
    OUTLETS,
    Outlet,
    archive_path,
    article_path,
    available_outlets,
    check_outlet,
    expected_body,
    expected_images,
    feed_paths,
    list_path,
    load_outlet,
    outlet_from_dict,
)
from mirror.server import MirrorServer
from mirror.site import respond

REPO = Path(__file__).resolve().parents[1]
SAMPLE_FILE = DEFAULT_DATA_DIR / "_sample.json"
LANDED_OUTLETS = available_outlets()
# Where each layout puts the article body (the selectors a site spider would use).
BODY_SELECTORS = {
    "itchosun": "#article-view-content-div",
    "bloter": "#article-view-content-div",
    "aitimes": "#article-view-content-div",
    "zdnet": "#articleBody div[id^=content-]",
    "etnews": "div#articleBody.article_body",
    "ddaily": "div.article_content",
    "dt": "div.news-body",  # the mirror's stand-in for the unknown 2025 layout
    "platum": "div.entry-content",
}
# Titles where the outlet note puts them (ND-Soft: old skin h3, new skin h1).
TITLE_SELECTORS = {
    "itchosun": "header.article-view-header h3.heading",
    "bloter": "header.article-view-header h1.heading",
    "aitimes": "header.article-view-header h1.heading",
    "zdnet": "div.news_head h1",
    "etnews": "div.article_header h2#article_title_h2",
    "ddaily": "h1.view_title",
    "dt": "article.news h1",
    "platum": "h1.entry-title",
}
VALIDATING_OUTLETS = ("itchosun", "bloter", "aitimes", "zdnet", "platum")
# No proxy: these requests must go straight to the loopback server.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _sample_outlets() -> dict[str, dict]:
    return json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))


def _write_sample_dir(target: Path) -> Path:
    for key, raw in _sample_outlets().items():
        (target / f"{key}.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return target


def _fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _text(node: lxml_html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", node.text_content()).strip()


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_sample_dir(tmp_path_factory.mktemp("mirror-sample"))


@pytest.fixture(scope="module")
def sample_mirror(sample_dir: Path) -> Iterator[MirrorServer]:
    with MirrorServer(sample_dir) as server:
        yield server


def _all_outlet_data(sample_dir: Path) -> list[Outlet]:
    """The sample for every outlet, plus the real content for outlets whose JSON has landed."""
    outlets = [load_outlet(key, sample_dir) for key in OUTLETS]
    return outlets + [load_outlet(key) for key in LANDED_OUTLETS]


# --- data contract ---------------------------------------------------------------------------------------


def test_sample_covers_every_outlet_and_passes_the_contract_checks() -> None:
    sample = _sample_outlets()
    assert set(sample) == set(OUTLETS)
    for key, raw in sample.items():
        assert check_outlet(outlet_from_dict(raw, key)) == []


@pytest.mark.parametrize("outlet", LANDED_OUTLETS)
def test_landed_content_passes_the_contract_checks(outlet: str) -> None:
    assert check_outlet(load_outlet(outlet)) == []


def test_expected_body_and_images_follow_the_blocks() -> None:
    outlet = outlet_from_dict(_sample_outlets()["itchosun"], "itchosun")
    article = outlet.articles[0]
    texts = [b.text for b in article.blocks if b.type in ("p", "h")]
    assert expected_body(article) == "\n\n".join(texts)
    assert expected_images(article) == [
        {"src": f.src, "caption": f.caption, "credit": f.credit} for f in article.figures
    ]


def test_url_schemes_match_the_real_outlets() -> None:
    assert article_path("itchosun", "2023092106884") == "/news/articleView.html?idxno=2023092106884"
    assert article_path("zdnet", "20261120091200") == "/view/?no=20261120091200"
    assert article_path("etnews", "20261120000123") == "/20261120000123"
    assert article_path("ddaily", "2026100210150050412") == "/page/view/2026100210150050412"
    assert article_path("dt", "12563808") == "/article/12563808"
    assert article_path("platum", "380004") == "/archives/380004"
    assert list_path("bloter", "S1N2", 3) == "/news/articleList.html?sc_section_code=S1N2&view_type=sm&page=3"
    assert list_path("zdnet", None, 2) == "/news/?lstcode=0000&page=2"
    assert list_path("zdnet", "0020", 2) == "/news/?lstcode=0020&page=2"
    assert list_path("etnews", "06", 2) == "/news/section.html?id1=06&page=2"
    assert list_path("etnews", None, 2) == "/news/section/latest?page=2"
    assert list_path("ddaily", None, 2) == "/page/list/?page=2"
    assert list_path("ddaily", "ict", 2) == "/page/list/ict/0?page=2"
    assert feed_paths("dt", ["ict"]) == ["/rss/google/latest", "/rss/google/ict"]
    assert feed_paths("etnews")[0] == "/Section901.xml"  # on the feed host
    dt_article = load_outlet("dt").article("12563808")
    assert (
        dt_article is not None and archive_path("dt", dt_article) == "/contents.html?article_no=2026112417000012563808"
    )
    with pytest.raises(ValueError):
        list_path("dt")  # the 2025 site's list pages are unknown: the mirror serves none


# --- rendering (pure, over the sample and all landed content) --------------------------------------------


def test_every_article_page_carries_title_body_and_figures(sample_dir: Path) -> None:
    for outlet in _all_outlet_data(sample_dir):
        for article in outlet.articles:
            response = respond(outlet, "http://127.0.0.1:9", article_path(outlet.key, article))
            assert response.status == 200
            page = response.body.decode("utf-8")
            assert "&#" not in page, f"{outlet.key}/{article.id}: character outside the page encoding"
            tree = lxml_html.fromstring(page)
            assert _text(tree.cssselect(TITLE_SELECTORS[outlet.key])[0]) == re.sub(r"\s+", " ", article.title)
            canonical = tree.cssselect('link[rel="canonical"]')[0].get("href")
            assert canonical == "http://127.0.0.1:9" + article_path(outlet.key, article)
            body_text = _text(tree.cssselect(BODY_SELECTORS[outlet.key])[0])
            for block in article.blocks:
                if block.type in ("p", "h"):
                    assert re.sub(r"\s+", " ", block.text) in body_text, f"{outlet.key}/{article.id}"
            sources = {img.get("src") for img in tree.cssselect(BODY_SELECTORS[outlet.key] + " img")}
            assert {f.src for f in article.figures} <= sources


def test_layout_clutter_is_where_the_real_sites_put_it(sample_dir: Path) -> None:
    pages = {}
    for key in OUTLETS:
        outlet = load_outlet(key, sample_dir)
        article = next(a for a in outlet.articles if a.figures and a.authors)
        pages[key] = (article, respond(outlet, "http://127.0.0.1:9", article_path(key, article)).body)
    article, nd = pages["itchosun"]
    nd_page = nd.decode()
    assert '<div class="ad-template">광고</div>' in nd_page
    assert f"{article.figures[0].caption} / {article.figures[0].credit}</figcaption>" in nd_page
    for marker in ("다른기사 보기", "키워드", "관련기사", "SNS 기사보내기", "기사 댓글 0", "많이 본 뉴스"):
        assert marker in nd_page
    assert "저작권자 © IT조선 무단전재 및 재배포 금지" in nd_page
    assert "입력 " + article.published.strftime("%Y.%m.%d %H:%M") in nd_page
    article, zd = pages["zdnet"]
    assert f"<p>(사진={article.figures[0].credit}) {article.figures[0].caption}</p>" in zd.decode()
    zd_tree = lxml_html.fromstring(zd)
    assert zd_tree.xpath("//meta[@property='dd:author']/@content") == [f"{a.name} 기자" for a in article.authors][:1]
    (meta_span,) = zd_tree.cssselect("div.news_head > p.meta span")
    assert _text(meta_span).startswith("입력 :" + article.published.strftime("%Y/%m/%d %H:%M"))
    for furniture in (".view_ad", ".mt_bn_box", ".reporter_list2", ".like_box", ".tags"):
        assert zd_tree.cssselect(f"#articleBody {furniture}"), furniture
    etnews_tree = lxml_html.fromstring(pages["etnews"][1])
    assert etnews_tree.cssselect("#articleBody .related") and not etnews_tree.cssselect("#articleBody .reporter_info")
    assert _text(etnews_tree.cssselect("#articleBody ~ .reporter_info")[0]).endswith("기자 기사 더보기")
    assert "aicon:author" not in pages["etnews"][1].decode()
    assert 'type="application/ld+json"' in pages["ddaily"][1].decode()
    article, dd = pages["ddaily"]
    dd_body = _text(lxml_html.fromstring(dd).cssselect(BODY_SELECTORS["ddaily"])[0])
    first = article.authors[0]
    assert dd_body.startswith(f"[디지털데일리 {'·'.join(a.name for a in article.authors)}기자] ")
    assert f"{first.name}({first.email}) 기자 프로필" in dd_body
    assert "<저작권자 © 디지털데일리 무단전재 및 재배포 금지>" in dd_body
    article = next(a for a in load_outlet("dt", sample_dir).articles if a.figures and a.authors)
    dt_page = respond(load_outlet("dt", sample_dir), "http://127.0.0.1:9", archive_path("dt", article)).body
    dt_text = dt_page.decode("cp949")
    assert "<br><br>" in dt_text and 'class="img_center"' in dt_text
    assert "[저작권자 ⓒ디지털타임스 무단 전재-재배포 금지]" in dt_text
    assert "article:published_time" not in dt_text


def test_rendering_is_deterministic_and_ignores_tracking_parameters(sample_dir: Path) -> None:
    outlet = load_outlet("itchosun", sample_dir)
    path = article_path("itchosun", outlet.articles[0])
    first = respond(outlet, "http://127.0.0.1:9", path)
    again = respond(load_outlet("itchosun", sample_dir), "http://127.0.0.1:9", path)
    tracked = respond(outlet, "http://127.0.0.1:9", path + "&utm_source=rss&fbclid=IwAR0x")
    assert first.body == again.body == tracked.body
    assert first.etag == tracked.etag


def test_off_site_links_only_point_at_reserved_example_hosts(sample_dir: Path) -> None:
    for key in OUTLETS:
        outlet = load_outlet(key, sample_dir)
        base = "http://127.0.0.1:9"
        pages = [respond(outlet, base, article_path(key, a)).body for a in outlet.articles[:2]]
        pages.append(respond(outlet, base, "/").body)
        for page in pages:
            tree = lxml_html.fromstring(page)
            for href in tree.xpath("//@href | //@src"):
                host = urlsplit(href).hostname
                assert host in (None, "127.0.0.1") or host.endswith(".example"), f"{key}: {href}"


# --- HTTP -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", OUTLETS)
def test_server_serves_lists_feeds_and_articles(sample_mirror: MirrorServer, outlet: str) -> None:
    base = sample_mirror.base_urls[outlet]
    data = load_outlet(outlet, sample_mirror.data_dir)
    status, _, robots = _fetch(base + "/robots.txt")
    assert status == 200 and b"Disallow: /admin/" in robots and b"Sitemap:" not in robots
    newest = data.newest_first()
    status, _, home = _fetch(base + "/")
    assert status == 200 and article_path(outlet, newest[0]).replace("&", "&amp;").encode() in home
    if outlet != "dt":  # Digital Times' 2025 list pages are unknown: only its feeds list articles
        # 7 sample articles, 5 per page: the oldest one is alone on page 2 of the all-articles list.
        status, _, second = _fetch(base + list_path(outlet, None, 2))
        assert status == 200 and article_path(outlet, newest[-1]).replace("&", "&amp;").encode() in second
        section = newest[0].section
        status, _, section_page = _fetch(base + list_path(outlet, section, 1))
        assert status == 200
        listed = [a for a in newest if a.section == section][:5]
        assert all(article_path(outlet, a).replace("&", "&amp;").encode() in section_page for a in listed)
    feed_base = sample_mirror.feed_urls.get(outlet, base)
    assert (feed_base != base) == (outlet == "etnews")
    for number, feed in enumerate(feed_paths(outlet, data.sections)):
        status, headers, xml = _fetch(feed_base + feed)
        assert status == 200 and "xml" in headers["Content-Type"]
        # The first feed lists every section.
        assert number > 0 or article_path(outlet, newest[0]).replace("&", "&amp;").encode() in xml
    status, headers, page = _fetch(base + article_path(outlet, newest[0]))
    assert status == 200
    assert ("ETag" in headers and "Last-Modified" in headers) == (outlet in VALIDATING_OUTLETS)
    missing = article_path(outlet, "20260101000000")
    assert _fetch(base + missing)[0] == 404
    assert _fetch(base + "/admin/")[0] == 403


def test_cp949_page_declares_charset_only_in_meta(sample_mirror: MirrorServer) -> None:
    data = load_outlet("dt", sample_mirror.data_dir)
    article = next(a for a in data.articles if "똠" in expected_body(a))  # a CP949-only syllable
    status, headers, page = _fetch(sample_mirror.base_urls["dt"] + archive_path("dt", article))
    assert status == 200 and headers["Content-Type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    text = page.decode("cp949")
    assert article.title in text and "똠방각하" in text
    assert '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">' in text[:300]


@pytest.mark.parametrize("outlet", ["itchosun", "zdnet"])
def test_conditional_requests_get_304(sample_mirror: MirrorServer, outlet: str) -> None:
    data = load_outlet(outlet, sample_mirror.data_dir)
    url = sample_mirror.base_urls[outlet] + article_path(outlet, data.articles[0])
    status, headers, body = _fetch(url)
    assert status == 200 and body
    status, _, body = _fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    status, _, body = _fetch(url, {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304 and body == b""
    assert _fetch(url, {"If-None-Match": '"stale"'})[0] == 200


def test_outlets_without_validators_always_answer_200(sample_mirror: MirrorServer) -> None:
    data = load_outlet("etnews", sample_mirror.data_dir)
    url = sample_mirror.base_urls["etnews"] + article_path("etnews", data.articles[0])
    status, headers, _ = _fetch(url, {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert status == 200 and "ETag" not in headers and "Last-Modified" not in headers


def test_edited_data_dir_changes_the_served_page(tmp_path: Path) -> None:
    data_dir = _write_sample_dir(tmp_path)
    with MirrorServer(data_dir, outlets=["bloter"]) as server:
        raw = json.loads((data_dir / "bloter.json").read_text(encoding="utf-8"))
        article = raw["articles"][0]
        url = server.base_urls["bloter"] + article_path("bloter", article["id"])
        other_url = server.base_urls["bloter"] + article_path("bloter", raw["articles"][4]["id"])
        status, before_headers, before = _fetch(url)
        _, other_headers, _ = _fetch(other_url)
        article["blocks"][0]["text"] = "수정된 첫 문단입니다. 정정 보도 내용을 반영했다."
        (data_dir / "bloter.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
        status, after_headers, after = _fetch(url)
        assert status == 200 and "수정된 첫 문단입니다" in after.decode()
        assert after_headers["ETag"] != before_headers["ETag"]
        assert _fetch(url, {"If-None-Match": before_headers["ETag"]})[0] == 200
        # Only the edited article's page changed: an unrelated article is still a 304.
        assert _fetch(other_url, {"If-None-Match": other_headers["ETag"]})[0] == 304
        assert all(entry.outlet == "bloter" for entry in server.request_log)


def test_command_line_server_writes_port_file_and_stops_on_sigterm(sample_dir: Path, tmp_path: Path) -> None:
    port_file = tmp_path / "ports.txt"
    command = [sys.executable, "-m", "mirror.server", "--data-dir", str(sample_dir), "--port-file", str(port_file)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        urls = dict(line.split(" ", 1) for line in port_file.read_text(encoding="utf-8").splitlines())
        assert set(urls) == set(OUTLETS)
        assert all(url.startswith("http://127.0.0.1:") for url in urls.values())
        assert _fetch(urls["dt"] + "/robots.txt")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert stdout.splitlines()[0].startswith("itchosun http://127.0.0.1:")


def test_first_port_gives_the_same_urls_on_every_start(sample_dir: Path) -> None:
    with MirrorServer(sample_dir, outlets=["bloter", "zdnet"], first_port=18801) as first:
        urls = dict(first.base_urls)
        # While these ports are held, another mirror still starts, on free ports.
        with MirrorServer(sample_dir, outlets=["bloter"], first_port=18801) as second:
            assert second.base_urls["bloter"] != urls["bloter"]
    with MirrorServer(sample_dir, outlets=["bloter", "zdnet"], first_port=18801) as again:
        assert again.base_urls == urls
    assert urls["bloter"].endswith(":18802")  # bloter is outlet 1 of the catalog


def test_wordpress_rest_api_pages_like_stock_wordpress(sample_dir: Path) -> None:
    outlet = load_outlet("platum", sample_dir)
    base = "http://127.0.0.1:9"
    first = respond(outlet, base, "/wp-json/wp/v2/posts?per_page=5&page=1&_embed")
    assert first.status == 200 and dict(first.headers) == {"X-WP-Total": "7", "X-WP-TotalPages": "2"}
    posts = json.loads(first.body)
    newest = outlet.newest_first()[0]
    assert posts[0]["link"] == base + article_path("platum", newest)
    assert posts[0]["_embedded"]["author"][0]["name"] == newest.authors[0].name
    assert "_embedded" not in json.loads(respond(outlet, base, "/wp-json/wp/v2/posts?per_page=5").body)[0]
    assert respond(outlet, base, "/wp-json/wp/v2/posts?per_page=5&page=3").status == 400
    without = outlet_from_dict({**_sample_outlets()["platum"], "rest_api": False}, "platum")
    assert respond(without, base, "/wp-json/wp/v2/posts").status == 404
    feed = respond(without, base, "/feed").body.decode()
    assert "<content:encoded><![CDATA[" in feed and "<dc:creator>" in feed


def test_digital_times_archive_numbers_must_match(sample_dir: Path) -> None:
    outlet = load_outlet("dt", sample_dir)
    article = outlet.articles[0]
    number = archive_path("dt", article).split("=", 1)[1]
    assert respond(outlet, "http://127.0.0.1:9", archive_path("dt", article)).status == 200
    wrong_hour = str(int(number[:10]) + 1) + number[10:]
    assert respond(outlet, "http://127.0.0.1:9", f"/contents.html?article_no={wrong_hour}").status == 404
    feed = respond(outlet, "http://127.0.0.1:9", "/rss/google/latest").body.decode()
    assert f"<pubDate>{outlet.newest_first()[0].published.isoformat()}</pubDate>" in feed
