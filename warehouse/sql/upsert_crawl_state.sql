INSERT OR REPLACE INTO crawl_state
SELECT url, article_id, source, etag, last_modified, content_hash, last_status, $now
FROM incoming_state
