"""Pure functions over typed records: no I/O, no Prefect, no Scrapy."""
