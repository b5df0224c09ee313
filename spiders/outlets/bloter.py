from spiders.ndsoft import NDSoftSpider


class BloterSpider(NDSoftSpider):
    name = "bloter"
    source_name = "블로터"
    base_url = "https://www.bloter.net"
