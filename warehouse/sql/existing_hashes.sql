SELECT article_id, body_hash FROM articles WHERE article_id IN (SELECT unnest(?))
