"""Digital Times pages. Since 2025 articles live at `/article/<8 digits>` (UTF-8) with feeds at
`/rss/google/<section>`; the pre-2025 pages stay reachable as archive pages `/contents.html?article_no=`.

Archive (legacy) markup:
Old-style markup: body text separated by <br><br> inside `div#article_body div.art_txt`, photos in
`div.img_center`, the charset declared only by `<meta http-equiv>`. The server encodes these pages as CP949
(`encode_page`), so every literal here must be CP949-encodable; article text outside CP949 becomes an NCR.
"""

from __future__ import annotations

from collections.abc import Sequence

from mirror.catalog import Article, Block, archive_path, article_path
from mirror.render.common import (
    SiteMeta,
    ad_banner,
    admin_link,
    article_meta,
    byline_names,
    esc,
    format_time,
    html_document,
    json_ld,
    popular_list,
    share_buttons,
    summary,
    with_tracking,
)

FEED_ITEM_LIMIT = 50

PAGE_ENCODING = "cp949"
CHARSET_META = '<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
DT_TIME = "%Y-%m-%d %H:%M"


def encode_page(html: str) -> bytes:
    """CP949 bytes; characters CP949 lacks become numeric character references, as legacy CMSs emit."""
    return html.encode(PAGE_ENCODING, errors="xmlcharrefreplace")


def _top(site: SiteMeta) -> str:
    return (
        '<table id="top" width="100%" cellpadding="0" cellspacing="0"><tr>'
        f'<td class="logo"><a href="/"><img src="/images/logo.gif" alt="{esc(site.name)}"></a></td>'
        f'<td class="util"><a href="/member/login.html">로그인</a> {admin_link()}</td></tr></table>\n'
        '<div class="menu"><ul><li><a href="/">홈</a></li></ul></div>\n'
    )


def _footer(site: SiteMeta) -> str:
    return f'<div id="footer"><p>Copyright ⓒ {esc(site.name)}. All rights reserved.</p></div>'


def _figure(block: Block) -> str:
    credit = f" /{block.credit}" if block.credit else ""
    text = esc((block.caption + credit).strip())
    caption = f'<div class="img_caption">{text}</div>' if text else ""
    return f'<div class="img_center"><img src="{esc(block.src)}" border="0" alt="">{caption}</div>'


def _art_txt(site: SiteMeta, article: Article) -> str:
    parts = []
    for block in article.blocks:
        if block.type == "p":
            parts.append(esc(block.text))
        elif block.type == "h":
            parts.append(f"<b>{esc(block.text)}</b>")
        elif block.type == "figure":
            parts.append(_figure(block))
    if article.authors:
        parts.append(f"{esc(byline_names(article.authors))}기자 {esc(article.authors[0].email)}")
    parts.append(f"[저작권자 ⓒ{esc(site.name)} 무단 전재-재배포 금지]")
    return "<br><br>\n".join(parts)


def render_archive_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    """A pre-2025 page: EUC-KR table layout, as archive URLs still serve it."""
    canonical = site.absolute(archive_path(site.outlet, article))
    dates = f"입력: {format_time(article.published, DT_TIME)}"
    if article.modified:
        dates += f" | 수정: {format_time(article.modified, DT_TIME)}"
    subtitle = f'<div class="art_subtitle">{esc(article.subtitle)}</div>' if article.subtitle else ""
    related_rows = "".join(
        f'<tr><td><a href="{esc(with_tracking(archive_path(site.outlet, other), 2))}">{esc(other.title)}</a></td></tr>'
        for other in related
    )
    body = (
        _top(site) + '<table id="main" width="1000" cellpadding="0" cellspacing="0"><tr><td valign="top">\n'
        f'<div class="art_title"><h2>{esc(article.title)}</h2>{subtitle}'
        f'<div class="art_date">{dates}</div></div>\n'
        f'<div id="article_body"><div class="art_txt">\n{_art_txt(site, article)}\n</div></div>\n'
        f'<div class="art_sns">{share_buttons(site, article, "sns")}</div>\n'
        f'<table class="relation"><tr><th>관련기사</th></tr>{related_rows}</table>\n'
        f'</td><td valign="top" width="300">{popular_list(site, article)}{ad_banner(site, "right")}</td></tr>'
        "</table>\n" + _footer(site)
    )
    head = article_meta(site, article, published_meta=False)
    return html_document(f"{article.title} : {site.name}", canonical, head, body, CHARSET_META)


# --- the 2025 site: /article/<8 digits>, UTF-8, Google feeds -------------------------------------------------
# The outlet note says the new page layout is unknown; this page is the mirror's stand-in: a plain modern
# template whose only dependable parts are the metadata (og:*, article:*, JSON-LD, schema.org
# itemprop=articleBody) a spider may rely on.
# The feeds are as the note describes them: UTF-8, ISO 8601 dates, full text in content:encoded.

NEW_TIME = "%Y.%m.%d %H:%M"


def _new_body(article: Article) -> str:
    parts = []
    for block in article.blocks:
        if block.type == "p":
            parts.append(f"<p>{esc(block.text)}</p>")
        elif block.type == "h":
            parts.append(f"<h3>{esc(block.text)}</h3>")
        elif block.type == "figure":
            text = esc(" / ".join(part for part in (block.caption, block.credit) if part))
            caption = f"<figcaption>{text}</figcaption>" if text else ""
            parts.append(f'<figure><img src="{esc(block.src)}" alt="{esc(block.caption)}">{caption}</figure>')
    return "\n".join(parts)


def render_new_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    subtitle = f'<p class="subtitle">{esc(article.subtitle)}</p>' if article.subtitle else ""
    names = byline_names(article.authors)
    byline = f'<p class="byline">{esc(names)} 기자</p>' if article.authors else ""
    related_items = "".join(
        f'<li><a href="{esc(article_path(site.outlet, other))}">{esc(other.title)}</a></li>' for other in related
    )
    body = (
        f'<header class="site-header"><a href="/">{esc(site.name)}</a> {admin_link()}</header>\n'
        f'<main><article class="news">\n<h1>{esc(article.title)}</h1>{subtitle}\n'
        f'<p class="date">입력 {format_time(article.published, NEW_TIME)}</p>{byline}\n'
        f'<div class="news-body" itemprop="articleBody">\n{_new_body(article)}\n</div>\n'
        f'<p class="copyright">[저작권자 ⓒ{esc(site.name)} 무단 전재-재배포 금지]</p>\n'
        f"</article>\n<aside><h4>관련기사</h4><ul>{related_items}</ul>{popular_list(site, article)}</aside></main>\n"
        + _footer(site)
    )
    head = article_meta(site, article) + json_ld(site, article) + "\n"
    return html_document(f"{article.title} : {site.name}", canonical, head, body)


def render_home(
    site: SiteMeta,
    section: str | None,
    articles: Sequence[Article],
    page: int,
    total_pages: int,
    heading: str | None = None,
) -> str:
    """The home page: the newest articles and the feeds; the new site's list pages are unknown (not mirrored)."""
    items = "".join(
        f'<li><a href="{esc(article_path(site.outlet, article))}">{esc(article.title)}</a>'
        f'<p class="lead">{esc(summary(article))}</p></li>'
        for article in articles
    )
    feeds = "".join(
        f'<li><a href="/rss/google/{esc(code)}">{esc(name)}</a></li>' for code, name in site.sections.items()
    )
    body = (
        f'<header class="site-header"><a href="/">{esc(site.name)}</a> {admin_link()}</header>\n'
        f'<main><ul class="news-list">{items}</ul><ul class="rss">{feeds}</ul></main>\n' + _footer(site)
    )
    head = f'<link rel="alternate" type="application/rss+xml" href="{esc(site.absolute("/rss/google/latest"))}">\n'
    return html_document(site.name, site.absolute("/"), head, body)


def render_google_feed(site: SiteMeta, section: str | None, articles: Sequence[Article]) -> str:
    """/rss/google/<section>: RSS 2.0, ISO 8601 pubDate, the article's HTML in content:encoded."""
    items = []
    for article in list(articles)[:FEED_ITEM_LIMIT]:
        link = esc(site.absolute(article_path(site.outlet, article)))
        creator = f"<dc:creator>{esc(byline_names(article.authors))}</dc:creator>" if article.authors else ""
        items.append(
            f"<item><title>{esc(article.title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<description>{esc(summary(article, 200))}</description>{creator}"
            f"<category>{esc(site.section_name(article.section))}</category>"
            f"<pubDate>{article.published.isoformat()}</pubDate>"
            f"<content:encoded><![CDATA[{_new_body(article)}]]></content:encoded></item>"
        )
    title = site.name if section is None else f"{site.name} - {site.section_name(section)}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<channel>\n<title>{esc(title)}</title>\n<link>{esc(site.absolute('/'))}</link>\n<language>ko</language>\n"
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    )
