from spiders.ndsoft import NDSoftSpider


class ITChosunSpider(NDSoftSpider):
    """ND-Soft since ~2023-09 (13-digit idxno from 2023092…); lists are li.item h2.titles (2025).

    Its title, date and author markup has no public evidence: the page metadata carries them, with the
    shared ND-Soft selectors of both skins behind it."""

    name = "itchosun"
    source_name = "IT조선"
    base_url = "https://it.chosun.com"
