from spiders.base import NewsSpider


class DigitalDailySpider(NewsSpider):
    name = "ddaily"
    source_name = "디지털데일리"
    base_url = "https://www.ddaily.co.kr"
    start_paths = ("/page/list?page=1",)
    article_pattern = r"^/page/view/\d+$"
    listing_pattern = r"^/page/list(?:/[\w-]+)?\?"
    # Date and authors come from JSON-LD (the base class's metadata fallbacks).
    fields = {
        "title": ("div.view_top h1.view_title::text",),
        "subtitle": ("div.view_top h2.sub_title::text",),
        "body": ("div#news_body_area",),
    }
