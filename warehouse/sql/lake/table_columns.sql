SELECT column_name
FROM information_schema.columns
WHERE table_catalog = ? AND table_name = ?
ORDER BY ordinal_position
