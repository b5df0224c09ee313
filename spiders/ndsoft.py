"""The ND-Soft news CMS shared by IT Chosun, Bloter, AI Times and many trade outlets.

Two skins are live (outlet note, 2026): the old one (`header.article-view-header h3.heading`, "기자명 …" and
"입력 …" in `ul.infomation li`) and the newer one (`h1.heading`, "입력 …" in `ul.breadcrumbs li` or
`li.info-update .info-update-origin` once edited, the author in `li.info-name`). Page metadata (og:title,
article:published_time) comes first; these selectors cover both skins after it. The body is selected by
id only: some sites print it as an `article`, others as a `div`.
"""

from __future__ import annotations

from typing import ClassVar

from spiders.base import NewsSpider

_OLD_INFO = "//ul[contains(@class,'infomation')]/li"
_NEW_DATES = "//ul[contains(@class,'breadcrumbs')]/li"


class NDSoftSpider(NewsSpider):
    start_paths: ClassVar[tuple[str, ...]] = (
        "/rss/allArticle.xml",
        "/news/articleList.html?view_type=sm",
    )
    article_pattern: ClassVar[str] = r"^/news/articleView\.html\?(?:.*&)?idxno=\d+"
    listing_pattern: ClassVar[str] = r"^/news/articleList\.html"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        # An outlet file may add or replace any field; the rest is the CMS's shared layout.
        cls.fields = {
            "title": (
                "header.article-view-header h1.heading::text",
                "header.article-view-header h3.heading::text",
                "h1.heading::text",
            ),
            # Not in the outlet note: `.subheading` is the CMS's class in the first note's pages (unverified).
            "subtitle": ("header.article-view-header .subheading::text",),
            "body": ("#article-view-content-div",),
            # Whole-item text (string()), so a date split over child elements still parses.
            "published_at": (
                "(string(//li[contains(@class,'info-update')]//*[contains(@class,'info-update-origin')]))",
                f"(string({_NEW_DATES}[contains(., '입력')]))",
                f"(string({_OLD_INFO}[contains(., '입력')]))",
            ),
            "modified_at": (
                "(string(//li[contains(@class,'info-update')]//*[contains(@class,'info-update-modify')]))",
                f"(substring-after(string({_NEW_DATES}[contains(., '수정')]), '수정'))",
                f"(string({_OLD_INFO}[contains(., '수정')]))",
            ),
            "authors": ("//li[contains(@class,'info-name')]//text()", f"{_OLD_INFO}[contains(., '기자명')]//text()"),
        } | dict(cls.fields)
