"""The ND-Soft news CMS shared by IT Chosun, Bloter, AI Times and many trade outlets."""

from __future__ import annotations

from typing import ClassVar

from spiders.base import NewsSpider


class NDSoftSpider(NewsSpider):
    start_paths: ClassVar[tuple[str, ...]] = (
        "/rss/allArticle.xml",
        "/news/articleList.html?view_type=sm",
    )
    article_pattern: ClassVar[str] = r"^/news/articleView\.html\?(?:.*&)?idxno=\d+"
    listing_pattern: ClassVar[str] = r"^/news/articleList\.html"
    heading_tag: ClassVar[str] = "h3"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # Sites differ only in the heading level of the title; the rest of the layout is shared.
        cls.fields = {
            "title": (f"header.article-view-header {cls.heading_tag}.heading::text",),
            "subtitle": ("header.article-view-header h4.subheading::text",),
            "body": ("article#article-view-content-div",),
            "published_at": ("//ul[contains(@class,'infomation')]/li[contains(., '입력')]//text()",),
            "modified_at": ("//ul[contains(@class,'infomation')]/li[contains(., '수정')]//text()",),
            "authors": ("//ul[contains(@class,'infomation')]/li[contains(., '기자명')]//text()",),
        } | dict(cls.fields)
