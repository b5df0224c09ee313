"""ND-Soft news CMS pages (IT조선, 블로터, AI타임스): article view, section lists, RSS feeds.

Two skins are live (see the outlet note): the old one (`header.article-view-header h3.heading`,
`ul.infomation` for 기자명/입력/수정) and the newer one (`h1.heading`, dates in `ul.breadcrumbs li`, edited
articles in `li.info-update .info-update-origin`, author `li.info-name`). AI Times and Bloter use the new
skin here; IT Chosun's article markup has no public evidence, so it keeps the old skin and its spider leans
on the page metadata. List markup differs per outlet: AI Times `ul.altlist-webzine`, Bloter
`#section-list ul li h2.titles`, IT Chosun `li.item h2.titles`. The body is `#article-view-content-div`.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from mirror.catalog import ND_SOFT_NEW_SKIN, Article, Block, article_path, list_path
from mirror.render.common import (
    SiteMeta,
    ad_banner,
    admin_link,
    article_meta,
    byline_names,
    credit_joined,
    esc,
    format_time,
    html_document,
    id_number,
    pagination,
    popular_list,
    section_nav,
    share_buttons,
    summary,
    with_tracking,
)

# The in-body ad slot goes after this many blocks.
AD_AFTER_BLOCKS = 2
RSS_ITEM_LIMIT = 50
ND_TIME = "%Y.%m.%d %H:%M"
# ND-Soft feeds print pubDate without a zone; the time is KST.
RSS_TIME = "%Y-%m-%d %H:%M:%S"


def _head_extra(site: SiteMeta, extra_meta: str = "") -> str:
    return (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{esc(site.name)} 전체기사" '
        f'href="{esc(site.absolute("/rss/allArticle.xml"))}">\n'
        f"{extra_meta}"
        '<link rel="stylesheet" href="/css/layout.css">\n<script src="/js/jquery.min.js"></script>\n'
    )


def _top(site: SiteMeta) -> str:
    return (
        '<div id="user-wrap">\n<header id="user-header">\n'
        f'<div class="header-top"><a href="/member/login.html">로그인</a> {admin_link()}</div>\n'
        f'<h1 class="logo"><a href="/">{esc(site.name)}</a></h1>\n'
        f"{section_nav(site, 'header-nav gnb')}\n"
        f"{ad_banner(site, 'top', 'banner top-banner')}\n"
        "</header>\n"
    )


def _bottom(site: SiteMeta) -> str:
    return (
        '<footer id="user-footer">\n<ul class="footer-menu"><li><a href="/com/about.html">회사소개</a></li>'
        '<li><a href="/member/privacy.html">개인정보처리방침</a></li>'
        '<li><a href="/member/youth.html">청소년보호정책</a></li></ul>\n'
        f'<p class="copyright">저작권자 © {esc(site.name)} 무단전재 및 재배포 금지</p>\n'
        "</footer>\n</div>"
    )


def _figure(block: Block) -> str:
    text = esc(credit_joined(block))
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f'<figure class="photo-layout image auto-images"><img src="{esc(block.src)}" alt="{text}">{caption}</figure>'


def _body_blocks(site: SiteMeta, article: Article) -> list[str]:
    # Half the articles mark intertitles with <h3>, the other half with a bold paragraph, as editors do.
    bold_intertitles = id_number(article) % 2 == 1
    parts: list[str] = []
    for index, block in enumerate(article.blocks):
        if index == AD_AFTER_BLOCKS:
            parts.append('<div class="ad-template">광고</div>')
        if block.type == "p":
            parts.append(f"<p>{esc(block.text)}</p>")
        elif block.type == "h":
            tag = f"<p><strong>{esc(block.text)}</strong></p>" if bold_intertitles else f"<h3>{esc(block.text)}</h3>"
            parts.append(tag)
        elif block.type == "figure":
            parts.append(_figure(block))
    # Some reporters sign the last paragraph too.
    if article.authors and id_number(article) % 3 == 0:
        first = article.authors[0]
        parts.append(f"<p>{esc(first.name)} 기자 {esc(first.email)}</p>")
    return parts


def _info_list(article: Article) -> str:
    items = []
    if article.authors:
        items.append(
            f'<li><i class="icon-user-o"></i> 기자명 {esc(byline_names(article.authors, " 기자, "))} 기자</li>'
        )
    items.append(f'<li><i class="icon-clock-o"></i> 입력 {format_time(article.published, ND_TIME)}</li>')
    if article.modified:
        items.append(f'<li><i class="icon-clock-o"></i> 수정 {format_time(article.modified, ND_TIME)}</li>')
    items.append('<li><i class="icon-comment-o"></i> 댓글 0</li>')
    return f'<ul class="infomation">{"".join(items)}</ul>'


def _writer_boxes(site: SiteMeta, article: Article) -> str:
    boxes = []
    for author in article.authors:
        local = author.email.split("@")[0]
        others = list_path(site.outlet) + f"&sc_area=I&sc_word={quote(local)}"
        boxes.append(
            '<article class="writer"><div class="profile-images"><img src="/image/user/default.jpg" alt=""></div>'
            f'<div class="profile-info"><strong class="name">{esc(author.name)} 기자</strong> '
            f'<a class="email" href="mailto:{esc(author.email)}">{esc(author.email)}</a> '
            f'<a class="more" href="{esc(others)}">다른기사 보기</a></div></article>'
        )
    return "\n".join(boxes)


def _keywords(site: SiteMeta, article: Article) -> str:
    if not article.keywords:
        return ""
    tags = "".join(
        f'<a href="{esc(list_path(site.outlet) + "&sc_area=A&sc_word=" + quote(keyword))}">#{esc(keyword)}</a>'
        for keyword in article.keywords
    )
    return f'<div class="tag-group"><strong class="title">키워드</strong>{tags}</div>'


def _related(site: SiteMeta, related: Sequence[Article]) -> str:
    if not related:
        return ""
    items = "".join(
        f'<li><a href="{esc(with_tracking(article_path(site.outlet, other), 2))}">{esc(other.title)}</a></li>'
        for other in related
    )
    return f'<div class="relation-box"><strong class="title">관련기사</strong><ul>{items}</ul></div>'


def _old_skin_header(site: SiteMeta, article: Article) -> str:
    section_link = esc(list_path(site.outlet, article.section))
    subtitle = f'<h4 class="subheading">{esc(article.subtitle)}</h4>' if article.subtitle else ""
    return (
        '<header class="article-view-header">\n'
        f'<nav class="breadcrumbs"><a href="/">홈</a> &gt; <a href="{section_link}">'
        f"{esc(site.section_name(article.section))}</a></nav>\n"
        f'<h3 class="heading">{esc(article.title)}</h3>\n{subtitle}\n'
        f"{_info_list(article)}\n{share_buttons(site, article, 'share-btns top')}\n"
        "</header>\n"
    )


def _new_skin_header(site: SiteMeta, article: Article) -> str:
    section_link = esc(list_path(site.outlet, article.section))
    published = f"입력 {format_time(article.published, ND_TIME)}"
    if article.modified:
        # Edited articles show the original time apart from the edit time.
        dates = (
            f'<li class="info-update"><span class="info-update-origin">{published}</span> '
            f'<span class="info-update-modify">수정 {format_time(article.modified, ND_TIME)}</span></li>'
        )
    else:
        dates = f"<li>{published}</li>"
    # The note gives no subtitle markup for this skin; h2.subheading is the mirror's choice.
    subtitle = f'<h2 class="subheading">{esc(article.subtitle)}</h2>' if article.subtitle else ""
    names = esc(byline_names(article.authors, " 기자, "))
    author = f'<li class="info-name"><i class="icon-user-o"></i> {names} 기자</li>' if article.authors else ""
    return (
        '<header class="article-view-header">\n'
        f'<ul class="breadcrumbs"><li><a href="/">홈</a></li><li><a href="{section_link}">'
        f"{esc(site.section_name(article.section))}</a></li>{dates}</ul>\n"
        f'<h1 class="heading">{esc(article.title)}</h1>\n{subtitle}\n'
        f'<div class="info-group"><ul class="info-text">{author}'
        '<li class="info-comment"><i class="icon-comment-o"></i> 댓글 0</li></ul>'
        f"{share_buttons(site, article, 'share-btns top')}</div>\n"
        "</header>\n"
    )


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    meta = article_meta(site, article)
    meta += f'<meta property="article:section" content="{esc(site.section_name(article.section))}">\n'
    header = (_new_skin_header if site.outlet in ND_SOFT_NEW_SKIN else _old_skin_header)(site, article)
    body = "\n".join(_body_blocks(site, article))
    page = (
        _top(site) + '<div id="user-container"><div class="float-center max-width-1080">\n'
        '<section class="user-snb"><div class="article-view">\n' + header + '<div class="article-view-content">\n'
        f'<article id="article-view-content-div" class="article-veiw-body view-page font-size17">\n{body}\n'
        "</article>\n"
        f'<div class="view-copyright">저작권자 © {esc(site.name)} 무단전재 및 재배포 금지</div>\n'
        f"{_writer_boxes(site, article)}\n{_keywords(site, article)}\n{_related(site, related)}\n"
        f'<div class="report-box"><strong>기사제보 및 보도자료</strong> news@{site.mail_domain}</div>\n'
        f'<div class="sns-share"><strong>SNS 기사보내기</strong>{share_buttons(site, article)}</div>\n'
        '<div id="comment-box"><h4>기사 댓글 0</h4><p>댓글을 작성하려면 로그인해주세요.</p></div>\n'
        "</div></div></section>\n"
        f'<aside class="user-aside">{popular_list(site, article)}\n{ad_banner(site, "side1")}</aside>\n'
        "</div></div>\n" + _bottom(site)
    )
    return html_document(f"{article.title} - {site.name}", canonical, _head_extra(site, meta), page)


def _list_item(site: SiteMeta, article: Article) -> str:
    """One list entry in the outlet's markup: AI Times' altlist, IT Chosun's li.item, Bloter's li h2.titles."""
    href = esc(article_path(site.outlet, article))
    title = f'<a href="{href}">{esc(article.title)}</a>'
    thumb = ""
    if article.figures:
        thumb = f'<a class="thumb" href="{href}"><img src="{esc(article.figures[0].src)}" alt=""></a>'
    byline = f"<em>{esc(byline_names(article.authors))} 기자</em>" if article.authors else ""
    info = (
        f'<span class="byline"><em>{esc(site.section_name(article.section))}</em>{byline}'
        f"<em>{format_time(article.published, ND_TIME)}</em></span>"
    )
    if site.outlet == "aitimes":
        return (
            f'<li class="altlist-webzine-item">{thumb}<h2 class="altlist-subject">{title}</h2>'
            f'<p class="altlist-summary">{esc(summary(article))}</p>{info}</li>'
        )
    item_class = ' class="item"' if site.outlet == "itchosun" else ""
    return (
        f'<li{item_class}>{thumb}<h2 class="titles">{title}</h2>'
        f'<p class="lead line-6x2"><a href="{href}">{esc(summary(article))}</a></p>{info}</li>'
    )


def render_list(
    site: SiteMeta,
    section: str | None,
    articles: Sequence[Article],
    page: int,
    total_pages: int,
    heading: str | None = None,
) -> str:
    items = [_list_item(site, article) for article in articles]
    if not items:
        items.append('<li class="no-data">등록된 기사가 없습니다.</li>')
    title = heading or site.section_name(section)
    canonical = site.absolute(list_path(site.outlet, section, page))
    list_class = "altlist-webzine" if site.outlet == "aitimes" else "type2"
    page_html = (
        _top(site) + '<div id="user-container"><div class="float-center max-width-1080">\n'
        f'<section id="section-list"><header class="box-skin"><h3>{esc(title)}</h3></header>\n'
        f'<ul class="{list_class}">{"".join(items)}</ul>\n'
        f"{pagination(site, section, page, total_pages, 'list-paging pagination')}</section>\n"
        f'<aside class="user-aside">{popular_list(site, None)}</aside>\n'
        "</div></div>\n" + _bottom(site)
    )
    return html_document(f"{title} - {site.name}", canonical, _head_extra(site), page_html)


def render_rss(site: SiteMeta, section: str | None, articles: Sequence[Article]) -> str:
    """RSS 2.0 for the newest articles (all, or one section); item links carry utm_source=rss."""
    items = []
    for article in list(articles)[:RSS_ITEM_LIMIT]:
        canonical = site.absolute(article_path(site.outlet, article))
        author = f"<author>{esc(byline_names(article.authors))}</author>" if article.authors else ""
        items.append(
            f"<item><title>{esc(article.title)}</title>"
            f"<link>{esc(canonical)}&amp;utm_source=rss&amp;utm_medium=rss</link>"
            f"<description>{esc(summary(article, 200))}</description>"
            f"<category>{esc(site.section_name(article.section))}</category>{author}"
            f"<pubDate>{format_time(article.published, RSS_TIME)}</pubDate>"
            f'<guid isPermaLink="true">{esc(canonical)}</guid></item>'
        )
    newest = format_time(articles[0].published, RSS_TIME) if articles else ""
    title = site.name if section is None else f"{site.name} - {site.section_name(section)}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{esc(title)}</title>\n<link>{esc(site.absolute('/'))}</link>\n"
        f"<description>{esc(site.name)} 최신기사</description>\n<language>ko</language>\n"
        f"<lastBuildDate>{newest}</lastBuildDate>\n" + "\n".join(items) + "\n</channel>\n</rss>\n"
    )
