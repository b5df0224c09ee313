from spiders.base import NewsSpider


class ZDNetKoreaSpider(NewsSpider):
    name = "zdnet"
    source_name = "지디넷코리아"
    base_url = "https://zdnet.co.kr"
    start_paths = ("/sitemap.xml", "/news/?page=1")
    article_pattern = r"^/view/\?(?:.*&)?no=\d{14}"
    listing_pattern = r"^/news/\?"
    fields = {
        "title": ("div.news_head h1::text",),
        "subtitle": ("div.news_head p.sub_tit::text",),
        "body": ("div#articleBody",),
        "published_at": ("//div[@class='byline']/p[@class='meta']/span[contains(., '입력')]/text()",),
        "modified_at": ("//div[@class='byline']/p[@class='meta']/span[contains(., '수정')]/text()",),
        "authors": ("meta[property='dable:author']::attr(content)",),
    }
