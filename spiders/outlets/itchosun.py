from spiders.ndsoft import NDSoftSpider


class ITChosunSpider(NDSoftSpider):
    name = "itchosun"
    source_name = "IT조선"
    base_url = "https://it.chosun.com"
