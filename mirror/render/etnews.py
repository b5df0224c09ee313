"""Electronic Times (etnews) pages: article `/<yyyymmdd><6 digits>`, lists `/news/section.html?id1=` and
`/news/section/<name>`, RSS on another host (rss.etnews.com; the mirror serves it on a second port).

As the outlet note has it: title `div.article_header h2#article_title_h2`, subtitle `.editor_mid_tit`, body
`div#articleBody.article_body` (a div), the reporter in `.reporter_info` after the body ("… 기자 기사 더보기"),
`article:published_time` meta and no `aicon:author`. Internal links carry `?mc=…` click tracking. The related
box sits inside the body container.
"""

from __future__ import annotations

from collections.abc import Sequence

from mirror.catalog import ETNEWS_ALL_FEED, Article, Block, article_path, list_path
from mirror.render.common import (
    SiteMeta,
    ad_banner,
    admin_link,
    article_meta,
    esc,
    format_time,
    html_document,
    pagination,
    popular_list,
    section_nav,
    share_buttons,
    summary,
)

ETNEWS_TIME = "%Y-%m-%d %H:%M"
# Click-tracking codes the real site appends to internal links ("ns" news list, "rs" related, "ms" most read).
TRACKING_CODES = ("ns_001_00001", "rs_001_00002", "ms_003_00001")
RSS_TIME = "%a, %d %b %Y %H:%M:%S %z"


def tracked(path: str, code: int) -> str:
    """An internal link as the real pages print it: `?mc=<code>` appended."""
    return f"{path}?mc={TRACKING_CODES[code % len(TRACKING_CODES)]}"


# The in-body ad sits after this many blocks.
AD_AFTER_BLOCKS = 3
RSS_ITEM_LIMIT = 50


def _top(site: SiteMeta) -> str:
    return (
        f'<header class="header"><div class="util"><a href="/member/login">로그인</a> {admin_link()}</div>'
        f'<h1 class="logo"><a href="/">{esc(site.name)}</a></h1>{section_nav(site, "gnb_menu")}</header>\n'
    )


def _footer(site: SiteMeta) -> str:
    return (
        f'<footer class="footer"><p>Copyright © {esc(site.name)}. All rights reserved.</p>'
        "<p>무단전재 및 재배포, AI학습 이용 금지</p></footer>"
    )


def _figure(block: Block) -> str:
    credit = f" [사진={block.credit}]" if block.credit else ""
    text = esc(block.caption + credit).strip()
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f'<figure class="article_image"><img src="{esc(block.src)}" alt="{esc(block.caption)}">{caption}</figure>'


def _body(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    parts = []
    for index, block in enumerate(article.blocks):
        if index == AD_AFTER_BLOCKS:
            parts.append(ad_banner(site, "article_mid", "article_ad"))
        if block.type == "p":
            parts.append(f"<p>{esc(block.text)}</p>")
        elif block.type == "h":
            parts.append(f"<h3>{esc(block.text)}</h3>")
        elif block.type == "figure":
            parts.append(_figure(block))
    related_items = "".join(
        f'<li><a href="{esc(tracked(article_path(site.outlet, other), 1))}">{esc(other.title)}</a></li>'
        for other in related
    )
    related_box = f'<div class="related"><h4>관련 기사</h4><ul>{related_items}</ul></div>' if related else ""
    return "\n".join(parts) + f"\n{related_box}"


def _reporters(article: Article) -> str:
    return "".join(
        f'<div class="reporter_info"><a href="/news/reporter.html?email={esc(a.email)}">'
        f'<strong>{esc(a.name)} 기자</strong></a> <a class="more" href="/news/reporter.html?email={esc(a.email)}">'
        "기사 더보기</a></div>"
        for a in article.authors
    )


def _head(site: SiteMeta) -> str:
    feed = site.feed_absolute(f"/{ETNEWS_ALL_FEED}.xml")
    return f'<link rel="alternate" type="application/rss+xml" title="{esc(site.name)}" href="{esc(feed)}">\n'


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    meta = article_meta(site, article) + _head(site)
    dates = f"<span>발행일 : {format_time(article.published, ETNEWS_TIME)}</span>"
    if article.modified:
        dates += f"<span>수정일 : {format_time(article.modified, ETNEWS_TIME)}</span>"
    subtitle = f'<div class="editor_mid_tit">{esc(article.subtitle)}</div>' if article.subtitle else ""
    tags = "".join(f'<a class="tag">#{esc(k)}</a>' for k in article.keywords)
    body = (
        _top(site) + '<div class="container"><div class="article_wrap">\n'
        f'<div class="article_header"><h2 id="article_title_h2">{esc(article.title)}</h2>\n'
        f'<div class="date">{dates}</div>{share_buttons(site, article, "share")}</div>\n'
        f'<div class="article_txt">\n{subtitle}\n'
        f'<div class="article_body" id="articleBody" itemprop="articleBody">\n{_body(site, article, related)}\n'
        f"</div>\n{_reporters(article)}\n"
        f'<div class="tag_area">{tags}</div>\n'
        f'<div class="copyright">&lt;저작권자 ⓒ {esc(site.name)}, 무단전재 및 재배포 금지&gt;</div>\n'
        "</div></div>\n"
        f'<aside class="aside">{popular_list(site, article)}{ad_banner(site, "aside")}</aside></div>\n' + _footer(site)
    )
    return html_document(f"{article.title} - {site.name}", canonical, meta, body)


def render_list(
    site: SiteMeta,
    section: str | None,
    articles: Sequence[Article],
    page: int,
    total_pages: int,
    heading: str | None = None,
) -> str:
    items = "".join(
        f'<li><strong><a href="{esc(tracked(article_path(site.outlet, article), 0))}">{esc(article.title)}</a></strong>'
        f'<p class="summary">{esc(summary(article))}</p>'
        f'<span class="date">{format_time(article.published, ETNEWS_TIME)}</span></li>'
        for article in articles
    )
    title = heading or site.section_name(section)
    body = (
        _top(site) + f'<div class="container"><h2 class="section_title">{esc(title)}</h2>\n'
        f'<ul class="news_list">{items}</ul>\n{pagination(site, section, page, total_pages, "paging")}\n'
        f'<aside class="aside">{popular_list(site, None)}</aside></div>\n' + _footer(site)
    )
    canonical = site.absolute(list_path(site.outlet, section, page))
    return html_document(f"{title} - {site.name}", canonical, _head(site), body)


def render_rss(site: SiteMeta, section: str | None, articles: Sequence[Article]) -> str:
    """rss.etnews.com's Section9xx.xml: links to the main host with `?mc=` tracking, RFC 822 dates."""
    items = "".join(
        f"<item><title>{esc(article.title)}</title>"
        f"<link>{esc(site.absolute(tracked(article_path(site.outlet, article), 0)))}</link>"
        f"<description>{esc(summary(article, 200))}</description>"
        f"<pubDate>{article.published.strftime(RSS_TIME)}</pubDate></item>\n"
        for article in list(articles)[:RSS_ITEM_LIMIT]
    )
    title = site.name if section is None else f"{site.name} - {site.section_name(section)}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{esc(title)}</title>\n<link>{esc(site.absolute('/'))}</link>\n"
        f"<language>ko</language>\n{items}</channel>\n</rss>\n"
    )
