SELECT article_id, minhash, published_at
FROM article_signatures
WHERE ($start IS NULL OR published_at >= $start)
    AND ($end IS NULL OR published_at <= $end)
    AND article_id NOT IN (SELECT unnest($exclude::VARCHAR[]))
ORDER BY published_at NULLS LAST, article_id
