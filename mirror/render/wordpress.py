"""WordPress outlets (the startup press: Platum, VentureSquare, Byline Network): a theme's post page, home and
category lists `/page/N/`, the RSS feed `/feed` with full text in `content:encoded`, and the REST API
`/wp-json/wp/v2/posts` (paged, `_embed` adds the author objects), as stock WordPress serves them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC
from email.utils import format_datetime

from mirror.catalog import Article, Author, Block, article_path, list_path
from mirror.render.common import (
    SiteMeta,
    ad_banner,
    admin_link,
    article_meta,
    credit_joined,
    esc,
    html_document,
    json_ld,
    pagination,
    popular_list,
    share_buttons,
    summary,
)

FEED_ITEM_LIMIT = 10  # WordPress' default "posts per feed"
WP_TIME = "%Y-%m-%dT%H:%M:%S"


def _figure(block: Block) -> str:
    text = esc(credit_joined(block))
    caption = f'<figcaption class="wp-element-caption">{text}</figcaption>' if text else ""
    return f'<figure class="wp-block-image size-large"><img src="{esc(block.src)}" alt="">{caption}</figure>'


def content_html(article: Article) -> str:
    """The post's content as WordPress stores it: block markup without theme furniture."""
    parts = []
    for block in article.blocks:
        if block.type == "p":
            parts.append(f"<p>{esc(block.text)}</p>")
        elif block.type == "h":
            parts.append(f'<h2 class="wp-block-heading">{esc(block.text)}</h2>')
        elif block.type == "figure":
            parts.append(_figure(block))
    return "\n".join(parts)


def _author_id(author: Author) -> int:
    # A stable small user id per author, as WordPress numbers its users.
    return 2 + sum(map(ord, author.name)) % 97


def _top(site: SiteMeta) -> str:
    return (
        f'<header id="masthead" class="site-header"><p class="site-title"><a href="/">{esc(site.name)}</a></p>'
        f'<nav class="main-navigation"><ul><li><a href="/">홈</a></li>'
        + "".join(
            f'<li><a href="{esc(list_path(site.outlet, code))}">{esc(name)}</a></li>'
            for code, name in site.sections.items()
        )
        + f"</ul></nav> {admin_link()}</header>\n"
    )


def _footer(site: SiteMeta) -> str:
    return f'<footer id="colophon" class="site-footer"><p>© {esc(site.name)}. All rights reserved.</p></footer>'


def render_article(site: SiteMeta, article: Article, related: Sequence[Article]) -> str:
    canonical = site.absolute(article_path(site.outlet, article))
    author = article.authors[0] if article.authors else None
    byline = (
        f'<span class="byline"><span class="author vcard"><a class="url fn n" href="/author/{_author_id(author)}/">'
        f"{esc(author.name)}</a></span></span>"
        if author
        else ""
    )
    related_items = "".join(
        f'<li><a href="{esc(article_path(site.outlet, other))}">{esc(other.title)}</a></li>' for other in related
    )
    body = (
        _top(site) + '<div id="content" class="site-content"><main id="main" class="site-main">\n'
        f'<article id="post-{esc(article.id)}" class="post type-post status-publish">\n'
        f'<header class="entry-header"><h1 class="entry-title">{esc(article.title)}</h1>\n'
        f'<div class="entry-meta"><time class="entry-date published" datetime="{article.published.isoformat()}">'
        f"{article.published.strftime('%Y-%m-%d')}</time> {byline}</div></header>\n"
        f'<div class="entry-content">\n{content_html(article)}\n</div>\n'
        f'<footer class="entry-footer">{share_buttons(site, article, "sharedaddy")}</footer>\n</article>\n'
        f'<div class="related-posts"><h3>관련 글</h3><ul>{related_items}</ul></div>\n'
        f'</main><aside id="secondary" class="widget-area">{popular_list(site, article)}'
        f"{ad_banner(site, 'sidebar', 'widget ad')}</aside></div>\n" + _footer(site)
    )
    head = article_meta(site, article) + json_ld(site, article) + "\n"
    return html_document(f"{article.title} - {site.name}", canonical, head, body)


def render_list(
    site: SiteMeta,
    section: str | None,
    articles: Sequence[Article],
    page: int,
    total_pages: int,
    heading: str | None = None,
) -> str:
    items = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{esc(article_path(site.outlet, article))}">'
        f'{esc(article.title)}</a></h2><div class="entry-summary"><p>{esc(summary(article))}</p></div></article>'
        for article in articles
    )
    title = heading or site.section_name(section)
    feed = f'<link rel="alternate" type="application/rss+xml" href="{esc(site.absolute("/feed"))}">\n'
    body = (
        _top(site) + f'<main id="main" class="site-main"><h1 class="page-title">{esc(title)}</h1>\n{items}\n'
        f"{pagination(site, section, page, total_pages, 'nav-links')}</main>\n" + _footer(site)
    )
    return html_document(f"{title} - {site.name}", site.absolute(list_path(site.outlet, section, page)), feed, body)


def render_feed(site: SiteMeta, articles: Sequence[Article]) -> str:
    """/feed: the newest posts, RFC 822 dates in GMT, dc:creator, full content in content:encoded."""
    items = []
    for article in list(articles)[:FEED_ITEM_LIMIT]:
        creator = f"<dc:creator><![CDATA[{article.authors[0].name}]]></dc:creator>" if article.authors else ""
        categories = f"<category><![CDATA[{site.section_name(article.section)}]]></category>"
        items.append(
            f"<item><title>{esc(article.title)}</title>"
            f"<link>{esc(site.absolute(article_path(site.outlet, article)))}</link>{creator}"
            f"<pubDate>{format_datetime(article.published.astimezone(UTC), usegmt=True)}</pubDate>{categories}"
            f'<guid isPermaLink="false">{esc(site.absolute("/?p=" + article.id))}</guid>'
            f"<description><![CDATA[{summary(article, 200)}]]></description>"
            f"<content:encoded><![CDATA[{content_html(article)}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<channel><title>{esc(site.name)}</title><link>{esc(site.absolute('/'))}</link>"
        "<language>ko-KR</language><generator>https://wordpress.org/?v=6.8</generator>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    )


def _post_json(site: SiteMeta, article: Article, embed: bool) -> dict:
    author = article.authors[0] if article.authors else None
    post: dict = {
        "id": int(article.id),
        "date": article.published.strftime(WP_TIME),  # site-local time, no offset
        "date_gmt": article.published.astimezone(UTC).strftime(WP_TIME),
        "modified": article.last_changed.strftime(WP_TIME),
        "modified_gmt": article.last_changed.astimezone(UTC).strftime(WP_TIME),
        "slug": article.slug or article.id,
        "status": "publish",
        "type": "post",
        "link": site.absolute(article_path(site.outlet, article)),
        "title": {"rendered": esc(article.title)},
        "content": {"rendered": content_html(article) + "\n", "protected": False},
        "excerpt": {"rendered": f"<p>{esc(summary(article))}</p>\n", "protected": False},
        "author": _author_id(author) if author else 0,
        "categories": [list(site.sections).index(article.section) + 1] if article.section in site.sections else [],
    }
    if embed and author:
        post["_embedded"] = {
            "author": [{"id": _author_id(author), "name": author.name, "slug": str(_author_id(author))}]
        }
    return post


def render_posts_json(site: SiteMeta, articles: Sequence[Article], embed: bool) -> str:
    """One page of /wp-json/wp/v2/posts (the caller slices `articles` to the page)."""
    return json.dumps([_post_json(site, article, embed) for article in articles], ensure_ascii=False)
