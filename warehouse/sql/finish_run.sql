UPDATE runs
SET finished_at = ?,
    status = ?,
    pages_fetched = ?,
    articles_new = ?,
    articles_updated = ?,
    articles_unchanged = ?,
    mentions = ?,
    errors = ?,
    stats = ?
WHERE run_id = ?
