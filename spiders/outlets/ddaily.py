from spiders.base import NewsSpider


class DigitalDailySpider(NewsSpider):
    name = "ddaily"
    source_name = "디지털데일리"
    base_url = "https://www.ddaily.co.kr"
    start_paths = ("/page/list?page=1",)
    article_pattern = r"^/page/view/\d+$"
    listing_pattern = r"^/page/list(?:/[\w-]+)?\?"
    # Title, date and author come from JSON-LD/OpenGraph (the base class's metadata fallbacks).
    fields = {
        "title": ("h1.article-title::text", "h1.headline::text"),
        "body": ("div.article-body", "div#news_body_area", "article"),
    }
