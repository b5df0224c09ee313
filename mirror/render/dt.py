"""Legacy Digital Times pages: article `/contents.html?article_no=`, lists `/list.html?section=`.

Old-style markup: body text separated by <br><br> inside `div#article_body div.art_txt`, photos in
`div.img_center`, the charset declared only by `<meta http-equiv>`. The server encodes these pages as CP949
(`encode_page`), so every literal here must be CP949-encodable; article text outside CP949 becomes an NCR.
"""

from __future__ import annotations

from collections.abc import Sequence

from mirror.catalog import Article, Block, article_path, list_path
from mirror.render.common import (
    SiteMeta,
    ad_banner,
    admin_link,
    article_meta,
    byline_names,
    esc,
    format_time,
    html_document,
    pagination,
    popular_list,
    section_nav,
    share_buttons,
    summary,
    with_tracking,
)

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
        f"{section_nav(site, 'menu')}\n"
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


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    dates = f"입력: {format_time(article.published, DT_TIME)}"
    if article.modified:
        dates += f" | 수정: {format_time(article.modified, DT_TIME)}"
    subtitle = f'<div class="art_subtitle">{esc(article.subtitle)}</div>' if article.subtitle else ""
    related_rows = "".join(
        f'<tr><td><a href="{esc(with_tracking(article_path(site.outlet, other), 2))}">{esc(other.title)}</a></td></tr>'
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


def render_list(
    site: SiteMeta,
    section: str | None,
    articles: Sequence[Article],
    page: int,
    total_pages: int,
    heading: str | None = None,
) -> str:
    rows = "".join(
        f'<tr><td class="title"><a href="{esc(article_path(site.outlet, article))}">{esc(article.title)}</a>'
        f'<div class="lead">{esc(summary(article))}</div></td>'
        f'<td class="date">{format_time(article.published, DT_TIME)}</td></tr>'
        for article in articles
    )
    title = heading or site.section_name(section)
    body = (
        _top(site) + f'<h3 class="list_title">{esc(title)}</h3>\n'
        f'<table class="list" width="700">{rows}</table>\n{pagination(site, section, page, total_pages, "paging")}\n'
        f"{popular_list(site, None)}\n" + _footer(site)
    )
    canonical = site.absolute(list_path(site.outlet, section, page))
    return html_document(f"{title} : {site.name}", canonical, "", body, CHARSET_META)
