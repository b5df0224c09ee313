SELECT url, article_id, source, etag, last_modified, content_hash, last_status
FROM crawl_state
WHERE $sources::VARCHAR[] IS NULL OR source IN (SELECT unnest($sources::VARCHAR[]))
