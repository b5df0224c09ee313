from spiders.ndsoft import NDSoftSpider


class BloterSpider(NDSoftSpider):
    """ND-Soft with h1.heading (2022–23 crawler code); lists are #section-list ul li h2.titles."""

    name = "bloter"
    source_name = "블로터"
    base_url = "https://www.bloter.net"
