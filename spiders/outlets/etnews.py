from spiders.base import NewsSpider


class ElectronicTimesSpider(NewsSpider):
    name = "etnews"
    source_name = "전자신문"
    base_url = "https://www.etnews.com"
    start_paths = ("/news/section.html?id1=06&page=1",)
    # The RSS lives on another host; Section901 is every article, 904046 the AI section.
    feed_urls = tuple(f"https://rss.etnews.com/Section{code}.xml" for code in ("901", "902", "903", "904", "904046"))
    tracking_params = ("mc",)  # ?mc=ns_001_00001 on shared and internal links: the same article
    article_pattern = r"^/\d{14}$"
    listing_pattern = r"^/news/section(?:\.html\?|/[\w-]+)"
    # The date is article:published_time, read by the page-metadata rules (transforms.metadata).
    fields = {
        "title": ("div.article_header h2#article_title_h2::text", "h2#article_title_h2::text"),
        "subtitle": (".editor_mid_tit::text",),
        "body": ("div#articleBody.article_body", "#articleBody"),
        # "현대인 기자 기사 더보기" after the body: the text pieces that name the reporter.
        "authors": ("//*[contains(@class,'reporter_info')]//text()[contains(., '기자')]",),
    }
