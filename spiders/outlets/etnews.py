from spiders.base import NewsSpider


class ElectronicTimesSpider(NewsSpider):
    name = "etnews"
    source_name = "전자신문"
    base_url = "https://www.etnews.com"
    start_paths = ("/news/section.html?page=1",)
    article_pattern = r"^/\d{14}$"
    listing_pattern = r"^/news/section\.html\?"
    fields = {
        "title": ("h1.title::text", ".article_title::text"),
        "subtitle": ("div.article_header h2.subtitle::text",),
        "body": ("section.article_body#articleBody", "#articleBody", "section.article_body"),
        "published_at": ("meta[property='article:published_time']::attr(content)",),
        "authors": ("meta[property='aicon:author']::attr(content)",),
    }
